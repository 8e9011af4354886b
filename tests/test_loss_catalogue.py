"""The loss catalogue: one registry, every gradient checked, values, stability, bad input."""

import inspect
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gradient_docs as gd
from gradient_docs import LOSSES, check_gradient
from gradient_docs.registry import LOSS_MODULES


def public_losses() -> dict[str, object]:
    """Every public function of the loss modules that is not itself a gradient."""
    found = {}
    for module in LOSS_MODULES:
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isfunction(obj) and not name.endswith("_grad") and name != "sigmoid":
                found[name] = module
    return found


def test_every_loss_has_a_gradient_and_a_registry_entry() -> None:
    registered = {spec.name for spec in LOSSES}
    for name, module in public_losses().items():
        assert hasattr(module, f"{name}_grad"), f"{name} has no {name}_grad"
        assert name in registered, f"{name} is missing from gradient_docs.registry.LOSSES"
    assert registered == set(public_losses())
    for spec in LOSSES:
        assert spec.grad.__name__ == f"{spec.name}_grad"


SHAPES = {"regression": [(5,), (2, 3)], "binary": [(4,), (2, 3)], "multi-class": [(4,), (3, 5)], "divergence": [(4,), (2, 6)]}


@pytest.mark.parametrize("spec", LOSSES, ids=[s.name for s in LOSSES])
@given(seed=st.integers(0, 2**32 - 1), which=st.integers(0, 1))
def test_every_analytic_gradient_matches_the_numerical_one(spec, seed, which) -> None:
    rng = np.random.default_rng(seed)
    target, prediction = spec.sample(rng, SHAPES[spec.family][which])
    result = check_gradient(
        lambda q: spec.loss(target, q, **spec.kwargs), lambda q: spec.grad(target, q, **spec.kwargs), prediction
    )
    assert result.passed, result


@pytest.mark.parametrize("spec", LOSSES, ids=[s.name for s in LOSSES])
def test_a_wrong_gradient_fails_the_registry_check(spec) -> None:
    rng = np.random.default_rng(1)
    target, prediction = spec.sample(rng, SHAPES[spec.family][1])
    result = check_gradient(
        lambda q: spec.loss(target, q, **spec.kwargs), lambda q: 1.001 * spec.grad(target, q, **spec.kwargs), prediction
    )
    assert not result.passed


# Values against hand-computed numbers


def test_regression_values() -> None:
    y, y_hat = np.zeros(4), np.array([0.5, -2.0, 3.0, 0.0])
    assert gd.mae(y, y_hat) == pytest.approx(5.5 / 4)
    assert gd.mae_grad(y, y_hat).tolist() == [0.25, -0.25, 0.25, 0.0]  # subgradient 0 at r = 0
    # Huber, delta = 1: 0.125 + (2 - 0.5) + (3 - 0.5) + 0 = 4.125
    assert gd.huber(y, y_hat) == pytest.approx(4.125 / 4)
    assert gd.huber_grad(y, y_hat).tolist() == [0.125, -0.25, 0.25, 0.0]
    assert gd.huber(y, y_hat, delta=10.0) == pytest.approx(gd.mse(y, y_hat) / 2)
    assert gd.log_cosh(y, y_hat) == pytest.approx(np.mean(np.log(np.cosh(y_hat))), rel=1e-15)
    assert gd.log_cosh_grad(y, y_hat) == pytest.approx(np.tanh(y_hat) / 4, rel=1e-15)


@pytest.mark.parametrize("r", [1e3, 1e5, 1e300])
def test_log_cosh_is_finite_and_accurate_for_huge_residuals(r: float) -> None:
    with np.errstate(over="ignore"):
        assert np.isinf(np.log(np.cosh(r)))  # the textbook formula overflows
    assert gd.log_cosh([0.0], [r]) == pytest.approx(r - math.log(2), rel=1e-15)
    assert gd.log_cosh_grad([0.0], [-r]).tolist() == [-1.0]


def test_binary_cross_entropy_values_and_clipping() -> None:
    expected = -(math.log(0.9) + math.log(0.8)) / 2
    assert gd.binary_cross_entropy([1.0, 0.0], [0.9, 0.2]) == pytest.approx(expected, rel=1e-14)
    assert gd.binary_cross_entropy([1.0], [0.0]) == pytest.approx(-math.log(1e-12), rel=1e-12)
    assert gd.binary_cross_entropy([1.0], [0.0], eps=1e-6) == pytest.approx(-math.log(1e-6), rel=1e-9)
    assert np.isfinite(gd.binary_cross_entropy_grad([1.0], [0.0])).all()


@pytest.mark.parametrize("z", [-1e4, -50.0, 0.0, 50.0, 1e4])
@pytest.mark.parametrize("y", [0.0, 1.0])
def test_binary_cross_entropy_with_logits_is_finite_and_matches_the_definition(z: float, y: float) -> None:
    value = gd.binary_cross_entropy_with_logits([y], [z])
    exact = (max(z, 0.0) - y * z) + math.log1p(math.exp(-abs(z)))  # log(1 + e^z) - y z, exactly grouped
    assert value == pytest.approx(exact, rel=1e-15, abs=1e-300)
    grad = gd.binary_cross_entropy_with_logits_grad([y], [z])[0]
    assert np.isfinite(grad) and -1 <= grad <= 1
    assert grad == pytest.approx(1 / (1 + math.exp(-z)) - y if abs(z) < 700 else float(z > 0) - y, abs=1e-15)


def test_logits_and_probabilities_agree_where_both_are_accurate() -> None:
    z = np.array([-3.0, 0.5, 2.0])
    y = np.array([0.0, 1.0, 1.0])
    p = gd.sigmoid(z)
    assert gd.binary_cross_entropy_with_logits(y, z) == pytest.approx(gd.binary_cross_entropy(y, p), rel=1e-12)
    # chain rule: d/dz = d/dp * sigma'(z)
    assert gd.binary_cross_entropy_with_logits_grad(y, z) == pytest.approx(
        gd.binary_cross_entropy_grad(y, p) * p * (1 - p), rel=1e-12
    )


def test_cross_entropy_values_batches_and_soft_labels() -> None:
    z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    y = np.array([[0.0, 1.0, 0.0], [0.2, 0.3, 0.5]])
    per_row = [math.log(sum(math.exp(v) for v in z[0])) - 2.0, math.log(3.0)]
    assert gd.cross_entropy(y, z) == pytest.approx(sum(per_row) / 2, rel=1e-14)
    assert gd.cross_entropy_grad(y, z) == pytest.approx((gd.softmax(z) - y) / 2, rel=1e-15)
    assert gd.cross_entropy(y[0], z[0]) == pytest.approx(per_row[0], rel=1e-14)  # 1-D is a batch of one


def test_cross_entropy_is_finite_where_the_naive_composition_is_not() -> None:
    z = np.array([0.0, 1000.0])
    y = np.array([1.0, 0.0])
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        naive = -np.sum(y * np.log(np.exp(z) / np.exp(z).sum()))
    assert not np.isfinite(naive)
    assert gd.cross_entropy(y, z) == pytest.approx(1000.0, rel=1e-15)
    assert gd.cross_entropy_grad(y, z).tolist() == [-1.0, 1.0]


def test_cross_entropy_gradient_equals_the_chain_rule_through_the_softmax_jacobian() -> None:
    z = np.array([0.3, -1.2, 2.0, 0.1])
    y = np.array([0.0, 0.0, 1.0, 0.0])
    s = gd.softmax(z)
    through_jacobian = gd.softmax_jacobian(z).T @ (-y / s)  # dCE/ds = -y/s, then J^T
    assert through_jacobian == pytest.approx(gd.cross_entropy_grad(y, z), rel=1e-12, abs=1e-15)


def test_hinge_values() -> None:
    y, s = np.array([1.0, -1.0, 1.0]), np.array([2.0, 0.5, -1.0])
    assert gd.hinge(y, s) == pytest.approx((0 + 1.5 + 2.0) / 3)
    assert gd.hinge_grad(y, s).tolist() == pytest.approx([0.0, 1 / 3, -1 / 3])
    assert gd.hinge_grad([1.0], [1.0]).tolist() == [0.0]  # at the kink: subgradient 0


def test_kl_divergence_values_zero_log_zero_and_self_divergence() -> None:
    p, q = np.array([0.5, 0.5, 0.0]), np.array([0.25, 0.25, 0.5])
    assert gd.kl_divergence(p, q) == pytest.approx(math.log(2), rel=1e-15)
    assert gd.kl_divergence(p, p) == 0.0  # 0 log 0 = 0, no nan
    assert gd.kl_divergence_grad(p, q).tolist() == [-2.0, -2.0, 0.0]
    assert gd.kl_divergence([1.0, 0.0], [0.5, 0.5]) == pytest.approx(math.log(2))


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: gd.mae([1.0, 2.0], [1.0]), ValueError, r"`y` and `y_hat` must have the same shape; got \(2,\) and \(1,\)"),
        (lambda: gd.huber([1.0], [1.0], delta=0.0), ValueError, r"`delta` must be > 0; got 0.0"),
        (lambda: gd.log_cosh([np.nan], [1.0]), ValueError, r"`y` must contain only finite values; got nan"),
        (lambda: gd.binary_cross_entropy([1.0], [1.2]), ValueError, r"`p` must contain probabilities in \[0, 1\]; got 1.2 at index \(0,\)"),
        (lambda: gd.binary_cross_entropy([2.0], [0.5]), ValueError, r"`y` must contain targets in \[0, 1\]; got 2.0"),
        (lambda: gd.binary_cross_entropy([1.0], [0.5], eps=0.7), ValueError, r"`eps` must be < 0.5; got 0.7"),
        (lambda: gd.binary_cross_entropy_with_logits([1.0], [np.inf]), ValueError, r"`z` must contain only finite values; got inf"),
        (lambda: gd.binary_cross_entropy_with_logits_grad([-1.0], [0.0]), ValueError, r"`y` must contain targets in \[0, 1\]"),
        (lambda: gd.cross_entropy([0.5, 0.6], [0.0, 0.0]), ValueError, r"`y` must hold probability vectors along its last axis \(summing to 1 within 1e-06\); row \(0,\) sums to 1.1"),
        (lambda: gd.cross_entropy_grad([[1.0, 0.0]], [0.0, 0.0]), ValueError, r"`y` and `logits` must have the same shape; got \(1, 2\) and \(2,\)"),
        (lambda: gd.cross_entropy(1.0, 0.0), ValueError, r"`y` must have at least 1 dimension"),
        (lambda: gd.hinge([1.0, 0.0], [0.5, 0.5]), ValueError, r"`y` must contain only the labels \{-1, 1\}; got 0.0 at index \(1,\)"),
        (lambda: gd.kl_divergence([0.5, 0.5], [1.0, 0.0]), ValueError, r"`q` must be > 0 wherever `p` > 0 .* p = 0.5 at index \(1,\)"),
        (lambda: gd.kl_divergence_grad([0.5, 0.5], [0.7, -0.1]), ValueError, r"`q` must contain probabilities in \[0, inf\]; got -0.1"),
        (lambda: gd.kl_divergence([0.7, 0.7], [0.5, 0.5]), ValueError, r"`p` must hold probability vectors"),
        (lambda: gd.kl_divergence(["a"], [1.0]), TypeError, r"`p` must be an array of real numbers"),
    ],
)
def test_bad_input_is_rejected_by_name(call, error, match) -> None:
    with pytest.raises(error, match=match):
        call()
