"""Classification losses: binary cross-entropy (probabilities, logits), hinge, cross-entropy, multi-class hinge.

References are 60-digit decimal computations (tests/support.py) or hand-computed values. Accuracy
bounds follow the conditioning of exp: a logit gap |z_k - m| carries a relative error of
|z_k - m| eps / 2 into e^{z_k - m}, and each of the K additions and the few remaining
operations adds eps / 2.
"""

import math
from decimal import Decimal, localcontext

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from support import EPS, FLOAT_DTYPES, decimal_softmax, finite_floats, reference_digits

import gradient_docs as gd
from gradient_docs import check_gradient

# Binary cross-entropy on probabilities


def test_binary_cross_entropy_values_and_clipping() -> None:
    expected = -(math.log(0.9) + math.log(0.8)) / 2
    assert gd.binary_cross_entropy([1.0, 0.0], [0.9, 0.2]) == pytest.approx(expected, rel=2 * EPS)
    assert gd.binary_cross_entropy([1.0], [0.0]) == pytest.approx(-math.log(1e-12), rel=2 * EPS)
    assert gd.binary_cross_entropy([0.0], [1.0]) == pytest.approx(-math.log(1e-12), rel=1e-4)  # 1 - (1 - 1e-12)
    assert gd.binary_cross_entropy([1.0], [0.0], clip=1e-6) == pytest.approx(-math.log(1e-6), rel=2 * EPS)
    # Erratum 4: in the clip region the loss does not move, so neither does its gradient.
    assert gd.binary_cross_entropy_grad([1.0, 0.0], [0.0, 1.0]).tolist() == [0.0, 0.0]
    assert gd.binary_cross_entropy_grad([1.0], [1e-12]).tolist() == pytest.approx([-1e12], rel=2 * EPS)


@pytest.mark.parametrize("p", [1e-13, 1e-12 / 2, 1 - 1e-13])
def test_the_gradient_is_that_of_the_clipped_loss_inside_the_clip_region(p: float) -> None:
    # The clipped loss is flat there: a central difference inside the region is exactly 0.
    h = p / 4 if p < 0.5 else (1 - p) / 4
    slope = (gd.binary_cross_entropy([1.0], [p + h]) - gd.binary_cross_entropy([1.0], [p - h])) / (2 * h)
    assert slope == 0.0
    assert gd.binary_cross_entropy_grad([1.0], [p]).tolist() == [0.0]


def test_binary_cross_entropy_keeps_the_digits_of_a_tiny_probability() -> None:
    # -log(1 - p) = p + p^2/2 + ... for p = 1e-10: log1p keeps it, log(1 - p) would lose 6 digits
    assert gd.binary_cross_entropy([0.0], [1e-10]) == pytest.approx(1e-10 + 5e-21, rel=2 * EPS)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("p", [0.0, 1.0])
@pytest.mark.parametrize("y", [0.0, 1.0, 0.25])
def test_finding_1_binary_cross_entropy_at_exactly_0_and_1_in_every_dtype(dtype, p, y) -> None:
    targets, predictions = np.array([y], dtype=dtype), np.array([p], dtype=dtype)
    value = gd.binary_cross_entropy(targets, predictions)
    grad = gd.binary_cross_entropy_grad(targets, predictions)
    assert np.isfinite(value) and np.isfinite(grad).all()
    assert value == gd.binary_cross_entropy(np.float64(y)[None], np.float64(p)[None])  # as in float64
    cost = -math.log(1e-12) * (y if p == 0.0 else 1 - y)  # the clipped side's share
    assert value == pytest.approx(cost, rel=1e-4, abs=1e-11)  # 1 - (1 - 1e-12) is 1e-12 to 1e-4


@pytest.mark.parametrize("clip", [1e-17, 1e-100, 1e-300])
def test_finding_2_any_clip_in_0_to_half_works_even_below_float64_epsilon(clip: float) -> None:
    assert gd.binary_cross_entropy([0.0, 1.0], [1.0, 0.0], clip=clip) == pytest.approx(-math.log(clip), rel=2 * EPS)
    # at 0 and 1 the predictions are clipped: the loss is flat there, and its gradient 0, finite
    assert gd.binary_cross_entropy_grad([0.0, 1.0], [1.0, 0.0], clip=clip).tolist() == [0.0, 0.0]
    assert gd.binary_cross_entropy_grad([1.0], [clip], clip=clip).tolist() == pytest.approx(
        [(clip - 1) / clip], rel=2 * EPS
    )


def test_a_clip_whose_gradient_overflows_is_refused_clearly() -> None:
    with pytest.raises(OverflowError, match=r"`binary_cross_entropy_grad` is beyond the float range .* clip = 1e-310"):
        gd.binary_cross_entropy_grad([1.0], [1e-310], clip=1e-310)
    assert gd.binary_cross_entropy([0.0], [1.0], clip=1e-310) == pytest.approx(-math.log(1e-310), rel=2 * EPS)


# Binary cross-entropy on logits, hinge


@pytest.mark.parametrize("z", [-1e4, -50.0, 0.0, 50.0, 1e4])
@pytest.mark.parametrize("y", [0.0, 1.0])
def test_binary_cross_entropy_with_logits_is_finite_and_matches_the_definition(z: float, y: float) -> None:
    value = gd.binary_cross_entropy_with_logits([y], [z])
    exact = (max(z, 0.0) - y * z) + math.log1p(math.exp(-abs(z)))  # log(1 + e^z) - y z, exactly grouped
    assert value == pytest.approx(exact, rel=EPS, abs=1e-300)


@given(finite_floats(700.0), st.sampled_from([0.0, 1.0, 0.3]))
def test_binary_cross_entropy_with_logits_gradient_matches_a_60_digit_reference(z: float, y: float) -> None:
    with localcontext() as context:
        context.prec = reference_digits([z, 0.0])  # 1 - sigma(z) needs z / ln 10 more digits
        sigma = 1 / (1 + Decimal(-z).exp())
        exact = float(sigma - Decimal(y))
    g = gd.binary_cross_entropy_with_logits_grad([y], [z])[0]
    # sigma(-|z|): 2 ulps; the difference with y cancels only for soft labels near sigma(z), where
    # the error is a few ulps of max(sigma, y), not of the result
    assert abs(g - exact) <= 4 * EPS * (abs(exact) if y in (0.0, 1.0) else max(float(sigma), y)) + 1e-323


def test_binary_cross_entropy_with_logits_gradient_keeps_a_confident_right_answers_gradient() -> None:
    assert gd.binary_cross_entropy_with_logits_grad([1.0], [40.0])[0] == pytest.approx(-math.exp(-40) / (1 + math.exp(-40)), rel=4 * EPS)  # fmt: skip


def test_logits_and_probabilities_agree_where_both_are_accurate() -> None:
    z = np.array([-3.0, 0.5, 2.0])
    y = np.array([0.0, 1.0, 1.0])
    p = gd.sigmoid(z)
    assert gd.binary_cross_entropy_with_logits(y, z) == pytest.approx(gd.binary_cross_entropy(y, p), rel=1e-12)
    # chain rule: d/dz = d/dp * sigma'(z)
    assert gd.binary_cross_entropy_with_logits_grad(y, z) == pytest.approx(
        gd.binary_cross_entropy_grad(y, p) * gd.sigmoid_grad(z), rel=1e-12
    )


def test_hinge_values() -> None:
    y, z = np.array([1.0, -1.0, 1.0]), np.array([2.0, 0.5, -1.0])
    assert gd.hinge(y, z) == pytest.approx((0 + 1.5 + 2.0) / 3, rel=EPS)
    assert gd.hinge_grad(y, z).tolist() == pytest.approx([0.0, 1 / 3, -1 / 3], rel=EPS)
    assert gd.hinge_grad([1.0], [1.0]).tolist() == [0.0]  # at the kink: subgradient 0


@pytest.mark.parametrize(
    ("call", "exact"),
    [
        (lambda: gd.binary_cross_entropy_with_logits([0.0, 0.0], [1.7e308, 1.7e308]), 1.7e308),
        (lambda: gd.binary_cross_entropy_with_logits([1.0, 0.0], [-1.7e308, 1.7e308]), 1.7e308),
        (lambda: gd.hinge([1.0, 1.0], [-1.7e308, -1.7e308]), 1.7e308),
        (lambda: gd.cross_entropy([[0.0, 1.0], [0.0, 1.0]], [[1.7e308, 0.0], [1.7e308, 0.0]]), 1.7e308),
        (lambda: gd.multiclass_hinge([[1.0, 0.0, 0.0]] * 2, [[-0.7e308, 0.5e308, 0.5e308]] * 2), 2.4e308),
    ],
)
def test_finding_9_classification_losses_do_not_overflow_before_averaging(call, exact) -> None:
    if exact > np.finfo(np.float64).max:
        with pytest.raises(OverflowError, match="is beyond the float range"):
            call()
    else:
        assert call() == pytest.approx(exact, rel=4 * EPS)


def test_finding_9_multiclass_hinge_margins_beyond_the_range_average_to_a_finite_loss() -> None:
    labels = [[1.0, 0.0], [1.0, 0.0]]
    assert gd.multiclass_hinge(labels, [[-1e308, 1e308], [0.0, -1e308]]) == pytest.approx(1e308, rel=EPS)


# Cross-entropy


def test_cross_entropy_values_batches_and_soft_labels() -> None:
    z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    y = np.array([[0.0, 1.0, 0.0], [0.2, 0.3, 0.5]])
    per_row = [math.log(sum(math.exp(v) for v in z[0])) - 2.0, math.log(3.0)]
    assert gd.cross_entropy(y, z) == pytest.approx(sum(per_row) / 2, rel=4 * EPS)
    assert gd.cross_entropy_grad(y, z) == pytest.approx((gd.softmax(z) - y) / 2, rel=4 * EPS)
    assert gd.cross_entropy(y[0], z[0]) == pytest.approx(per_row[0], rel=4 * EPS)  # 1-D is a batch of one


def test_cross_entropy_is_finite_where_the_naive_composition_is_not() -> None:
    z = np.array([0.0, 1000.0])
    y = np.array([1.0, 0.0])
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        naive = -np.sum(y * np.log(np.exp(z) / np.exp(z).sum()))
    assert not np.isfinite(naive)
    assert gd.cross_entropy(y, z) == 1000.0
    assert gd.cross_entropy_grad(y, z).tolist() == [-1.0, 1.0]


def test_cross_entropy_gradient_equals_the_chain_rule_through_the_softmax_jacobian() -> None:
    z = np.array([0.3, -1.2, 2.0, 0.1])
    y = np.array([0.0, 0.0, 1.0, 0.0])
    s = gd.softmax(z)
    through_jacobian = gd.softmax_jacobian(z).T @ (-y / s)  # dCE/ds = -y/s, then J^T
    assert through_jacobian == pytest.approx(gd.cross_entropy_grad(y, z), rel=1e-12, abs=1e-15)


def decimal_cross_entropy(y: np.ndarray, z: np.ndarray) -> tuple[Decimal, list[Decimal]]:
    """The loss and gradient of one row in 60-digit arithmetic: -sum y log s, (sum y) s - y."""
    s = decimal_softmax(z)
    with localcontext() as context:
        context.prec = reference_digits(z)
        dy = [Decimal(float(v)) for v in y]
        loss = -sum((yk * sk.ln() for yk, sk in zip(dy, s, strict=True) if yk), Decimal(0))
        total = sum(dy)
        return loss, [total * sk - yk for yk, sk in zip(dy, s, strict=True)]


@st.composite
def labelled_rows(draw, *, one_hot: bool):
    k = draw(st.integers(1, 6))
    z = draw(arrays(np.float64, k, elements=finite_floats(300.0)))
    if one_hot:
        y = np.eye(k)[draw(st.integers(0, k - 1))]
    else:
        w = draw(arrays(np.float64, k, elements=st.floats(0.0, 1.0)))
        assume(w.sum() > 0)
        y = w / w.sum()
    return y, z


@given(labelled_rows(one_hot=False))
def test_cross_entropy_and_its_gradient_match_60_digit_references(row) -> None:
    y, z = row
    loss, grad = decimal_cross_entropy(y, z)
    gaps = np.abs(z - z.max())
    # every term of the loss is >= 0: a relative bound; each gradient entry may cancel (soft labels
    # near s), so its bound is relative to the larger of sum(y) s_k and y_k
    assert abs(Decimal(gd.cross_entropy(y, z)) - loss) <= Decimal(EPS * (2 * gaps.max() + z.size + 6)) * loss
    s = gd.softmax(z)
    bound = EPS * (gaps + gaps.max() + z.size + 6) * np.maximum(s, y)
    assert np.all(np.abs(gd.cross_entropy_grad(y, z) - np.array([float(g) for g in grad])) <= bound + 1e-323)


@given(labelled_rows(one_hot=True))
def test_finding_4_one_hot_gradients_are_accurate_relative_to_themselves(row) -> None:
    y, z = row
    _, grad = decimal_cross_entropy(y, z)
    exact = np.array([float(g) for g in grad])
    gaps = np.abs(z - z.max())
    bound = EPS * (gaps + gaps.max() + z.size + 6) * np.abs(exact)
    assert np.all(np.abs(gd.cross_entropy_grad(y, z) - exact) <= bound + 1e-323)


def test_finding_4_a_confident_right_answer_keeps_its_tiny_gradient() -> None:
    y, z = np.array([0.0, 1.0]), np.array([14.9, 84.7])
    _, grad = decimal_cross_entropy(y, z)
    out = gd.cross_entropy_grad(y, z)
    assert out[1] == pytest.approx(float(grad[1]), rel=8 * EPS)
    assert out[1] == pytest.approx(-4.5e-31, rel=0.01)
    assert out[0] == -out[1]


def test_finding_3_the_gradient_is_exact_when_labels_sum_to_1_only_within_the_tolerance() -> None:
    z = np.array([[0.3, -1.2, 2.0], [1.0, 0.5, -0.5]])
    y = np.array([[0.2, 0.3, 0.5 + 8e-7], [0.0, 1.0 - 9e-7, 0.0]])
    sums = y.sum(axis=-1, keepdims=True)
    assert gd.cross_entropy_grad(y, z) == pytest.approx((sums * gd.softmax(z) - y) / 2, rel=4 * EPS, abs=1e-17)
    result = check_gradient(lambda q: gd.cross_entropy(y, q), lambda q: gd.cross_entropy_grad(y, q), z)
    assert result.passed, result


def test_finding_5_cross_entropy_at_logits_of_1e308() -> None:
    z = np.array([1e308, -1e308])
    assert gd.cross_entropy([1.0, 0.0], z) == 0.0  # 0 log 0 = 0, not 0 * -inf = nan
    assert gd.cross_entropy_grad([1.0, 0.0], z).tolist() == [0.0, 0.0]
    assert gd.cross_entropy_grad([0.0, 1.0], z).tolist() == [1.0, -1.0]
    assert gd.cross_entropy([1.0, 1e-300], z) == pytest.approx(2e8, rel=4 * EPS)  # 1e-300 * 2e308
    with pytest.raises(OverflowError, match=r"`cross_entropy` is beyond the float range"):
        gd.cross_entropy([0.0, 1.0], z)  # the true loss is 2e308


# Multi-class hinge


def test_multiclass_hinge_values_of_the_cs231n_example() -> None:
    scores = np.array([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]])
    labels = np.eye(3)  # cat, car, frog
    # CS231n: 2.9, 0, 12.9 (frog: max(0, 2.2 + 3.1 + 1) + max(0, 2.5 + 3.1 + 1) = 6.3 + 6.6)
    assert gd.multiclass_hinge(labels, scores) == pytest.approx((2.9 + 0.0 + 12.9) / 3, rel=4 * EPS)
    grad = gd.multiclass_hinge_grad(labels, scores)
    assert grad.ravel() == pytest.approx(np.ravel([[-1, 1, 0], [0, 0, 0], [1, 1, -2]]) / 3, rel=EPS)
    assert gd.multiclass_hinge(labels, scores, margin=0.0) == pytest.approx((1.9 + 0.0 + 10.9) / 3, rel=4 * EPS)
    assert gd.multiclass_hinge([1.0], [3.0]) == 0.0  # one class: nothing to beat


def test_multiclass_hinge_gradient_takes_the_inactive_subgradient_at_a_kink() -> None:
    assert gd.multiclass_hinge_grad([1.0, 0.0], [1.0, 0.0]).tolist() == [0.0, 0.0]  # 0 - 1 + 1 = 0
    assert gd.multiclass_hinge_grad([1.0, 0.0], [1.0, 0.0], margin=1.5).tolist() == [-1.0, 1.0]


@given(st.integers(1, 3), st.integers(2, 5), st.data())
def test_multiclass_hinge_gradient_matches_numerical_away_from_kinks(rows, k, data) -> None:
    z = data.draw(arrays(np.float64, (rows, k), elements=finite_floats(50.0)))
    classes = data.draw(arrays(np.int64, rows, elements=st.integers(0, k - 1)))
    labels = np.eye(k)[classes]
    margins = z - np.take_along_axis(z, classes[:, None], axis=1) + 1.0
    assume(np.all((labels == 1) | (np.abs(margins) > 1e-2 * np.maximum(np.abs(z), 1))))
    result = check_gradient(lambda q: gd.multiclass_hinge(labels, q), lambda q: gd.multiclass_hinge_grad(labels, q), z)
    assume(result.reliable)
    assert result.passed, result


def test_multiclass_hinge_is_exported_and_registered() -> None:
    assert {"multiclass_hinge", "multiclass_hinge_grad"} <= set(gd.__all__)
    assert "multiclass_hinge" in [spec.name for spec in gd.LOSSES]


# Bad input


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: gd.binary_cross_entropy([1.0], [1.2]), ValueError, r"`predictions` must contain probabilities in \[0, 1\]; got 1.2 at index \(0,\)"),
        (lambda: gd.binary_cross_entropy([2.0], [0.5]), ValueError, r"`targets` must contain targets in \[0, 1\]; got 2.0"),
        (lambda: gd.binary_cross_entropy([1.0], [0.5], clip=0.7), ValueError, r"`clip` must be in \(0, 0.5\); got 0.7"),
        (lambda: gd.binary_cross_entropy_grad([1.0], [0.5], clip=0.0), ValueError, r"`clip` must be in \(0, 0.5\); got 0.0"),
        (lambda: gd.binary_cross_entropy([1.0], [0.5], eps=1e-3), TypeError, r"unexpected keyword argument 'eps'"),
        (lambda: gd.binary_cross_entropy_with_logits([1.0], [np.inf]), ValueError, r"`logits` must contain only finite values; got inf"),
        (lambda: gd.binary_cross_entropy_with_logits_grad([-1.0], [0.0]), ValueError, r"`labels` must contain labels in \[0, 1\]"),
        (lambda: gd.cross_entropy([0.5, 0.6], [0.0, 0.0]), ValueError, r"`labels` must hold probability vectors along its last axis \(summing to 1 within 1e-06\); row \(0,\) sums to 1.1"),
        (lambda: gd.cross_entropy(np.array([0.5, 0.6], np.float16), [0.0, 0.0]), ValueError, r"summing to 1 within 0.00195"),
        (lambda: gd.cross_entropy_grad([[1.0, 0.0]], [0.0, 0.0]), ValueError, r"`labels` and `logits` must have the same shape; got \(1, 2\) and \(2,\)"),
        (lambda: gd.cross_entropy(1.0, 0.0), ValueError, r"`labels` must have at least 1 dimension"),
        (lambda: gd.hinge([1.0, 0.0], [0.5, 0.5]), ValueError, r"`labels` must contain only the labels \{-1, 1\}; got 0.0 at index \(1,\)"),
        (lambda: gd.multiclass_hinge([[1.0, 1.0]], [[0.0, 0.0]]), ValueError, r"`labels` must hold one-hot rows along its last axis \(exactly one 1 per row\); row \(0,\) has 2 ones"),
        (lambda: gd.multiclass_hinge_grad([0.5, 0.5], [0.0, 0.0]), ValueError, r"`labels` must contain only the labels \{0, 1\}; got 0.5"),
        (lambda: gd.multiclass_hinge([1.0, 0.0], [0.0, 0.0], margin=-1.0), ValueError, r"`margin` must be >= 0; got -1.0"),
        (lambda: gd.multiclass_hinge([[1.0, 0.0]], [[-1e308, 1e308]]), OverflowError, r"`multiclass_hinge` is beyond the float range"),
        (lambda: gd.cross_entropy([1.0, 0.0], np.array([1.0, 2.0 + 1j])), TypeError, r"`logits` must be real; got an array of shape \(2,\) and dtype complex128"),
    ],
)  # fmt: skip
def test_bad_input_is_rejected_by_name(call, error, match) -> None:
    with pytest.raises(error, match=match):
        call()
