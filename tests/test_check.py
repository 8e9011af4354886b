"""check_gradient: it passes right gradients, fails wrong ones, says where, and never leaves the bounds."""

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from support import EPS, P

from gradient_docs import LOSSES, GradientCheck, check_gradient, examples, relative_error
from gradient_docs.finite_diff import METHODS

STENCILS = ["forward", "backward", "central"]


def times(factor: float):
    return lambda p: factor * examples.f_gradient(p)


@pytest.mark.parametrize("direction", ["all", "random"])
@pytest.mark.parametrize("method", METHODS)
def test_correct_gradient_passes_and_a_wrong_one_fails(method: str, direction: str) -> None:
    result = check_gradient(examples.f, examples.f_gradient, P, method=method, direction=direction, seed=3)
    assert result.passed and result.reliable and result.method == method and result.direction == direction
    # Test the test: 1e-4 is far above every method's error (<= 2e-8 relative one-sided).
    wrong = check_gradient(examples.f, times(1 + 1e-4), P, method=method, direction=direction, seed=3)
    assert not wrong.passed and wrong.reliable


@pytest.mark.parametrize("method", STENCILS)
@pytest.mark.parametrize("factor", [1.001, 0.999, 1.00001])
def test_gradient_off_by_a_small_factor_fails_with_the_planted_error_measured(method: str, factor: float) -> None:
    result = check_gradient(examples.f, times(factor), P, method=method)
    assert not result.passed
    # The measured error is the planted one plus the numerical gradient's own (<= 2e-8 relative).
    assert result.max_relative_error == pytest.approx(abs(factor - 1) / max(factor, 1), rel=1e-2)


def test_a_wrong_component_is_named_in_the_message_and_the_repr_is_short() -> None:
    def grad_with_sign_error(p):
        g = examples.f_gradient(p)
        return np.array([g[0], -g[1]])  # the classic sign slip in df/dy

    result = check_gradient(examples.f, grad_with_sign_error, P)
    assert not result.passed and result.worst_index == (1,)
    assert result.max_relative_error == pytest.approx(2.0)
    assert result.message.startswith("failed: largest difference at index (1,): analytic 2, numerical -2,")
    assert "> tolerance" in result.message
    expected = (
        "GradientCheck(passed=False, reliable=True, method='central', direction='all', max_relative_error=2, nfev=9)"
    )
    assert repr(result) == expected


def test_a_passing_check_says_so() -> None:
    result = check_gradient(examples.f, examples.f_gradient, P)
    assert result.message.startswith("passed: largest difference at index (") and "<= tolerance" in result.message
    assert isinstance(result, GradientCheck)


def test_zero_gradient_at_a_critical_point_passes() -> None:
    assert check_gradient(examples.f, examples.f_gradient, [0.0, 0.0]).passed
    assert not check_gradient(examples.f, lambda p: examples.f_gradient(p) + 1e-6, [0.0, 0.0]).passed


def test_error_estimate_bounds_the_true_error_of_the_numerical_gradient() -> None:
    for point in ([2.0, 1.0], [-3.0, 0.5], [0.1, 7.0]):
        result = check_gradient(examples.f, examples.f_gradient, point)
        assert np.all(np.abs(result.numerical - result.analytic) <= result.error_estimate)
        assert np.all(result.error_estimate <= 1e-8)  # a cubic: truncation h^2 and rounding, no more


def test_explicit_tolerances_replace_the_derived_ones() -> None:
    loose = check_gradient(examples.f, times(1.001), P, rtol=1e-2)
    assert loose.passed and loose.tolerance == pytest.approx(1e-2 * np.abs(times(1.001)(P)))
    assert not check_gradient(examples.f, examples.f_gradient, P, rtol=0.0, atol=1e-14).passed


def test_result_fields_have_the_shape_of_x_and_the_cost_is_reported() -> None:
    a = np.arange(1.0, 7.0).reshape(2, 3)
    result = check_gradient(lambda m: float(np.sum(m**3)), lambda m: 3 * m**2, a)
    assert result.passed and result.nfev == 4 * 6 + 1  # steps h and 2h on both sides, plus f(x)
    for field in (result.analytic, result.numerical, result.tolerance, result.error_estimate, result.predicted_error):
        assert field.shape == (2, 3)


def test_random_direction_measures_its_error_and_costs_a_few_evaluations_in_any_dimension() -> None:
    calls = []

    def f(w):
        calls.append(1)
        return float(np.sum(np.sin(w)))

    w = np.random.default_rng(0).normal(size=10_000)
    result = check_gradient(f, np.cos, w, direction="random", seed=1)
    assert result.passed and result.nfev == len(calls) == 5 and result.analytic.shape == (1,)
    assert not check_gradient(f, lambda w: (1 + 1e-6) * np.cos(w), w, direction="random", seed=1).passed


@given(
    arrays(np.float64, st.integers(1, 6), elements=st.floats(-3, 3)),
    st.integers(0, 2**32 - 1),
    st.integers(-3, 3),
)
def test_random_direction_passes_correct_gradients_at_any_scale_of_f(x, seed, power) -> None:
    # The old tolerance, ten times a *predicted* error, assumed f varies on the scale of |x| and
    # rejected correct gradients of functions that vary faster (4.9% of the registry's checks).
    scale = 10.0**power

    def f(p):
        return float(np.sum(np.sin(p / scale)) * scale**2)

    result = check_gradient(f, lambda p: np.cos(p / scale) * scale, x, direction="random", seed=seed)
    assume(result.reliable)
    assert result.passed, result.message


def test_a_kink_within_the_step_makes_the_check_inconclusive_not_passed() -> None:
    def relu_sum(w):
        return np.sum(np.maximum(w, 0.0))

    def relu_grad(w):
        return (w > 0).astype(float)

    w = np.array([1e-7, 0.5, -0.3])  # the central step 6e-6 straddles the kink at 0
    result = check_gradient(relu_sum, relu_grad, w)
    assert not result.reliable and not result.passed
    assert result.message.startswith("inconclusive: ") and "at index (0,)" in result.message
    assert check_gradient(relu_sum, relu_grad, np.array([0.1, 0.5, -0.3])).passed
    assert check_gradient(relu_sum, relu_grad, w, method="complex").passed


def test_a_kink_in_one_coordinate_among_many_is_not_averaged_away() -> None:
    from dataclasses import replace

    from gradient_docs.learning import two_layer_init, two_layer_loss_and_grads

    # A two-layer ReLU network whose first hidden unit sits exactly at its kink for the first
    # example: the finite difference of W1 and b1 straddles it, while the other 14 (or 4)
    # coordinates are smooth. Their pooled noise must not hide that one coordinate's error.
    rng = np.random.default_rng(0)
    p = two_layer_init(3, 5, 4, seed=1)
    W1, b1 = p.W1.copy(), rng.normal(size=5)
    W1[:, 0], b1[0] = [1.0, -1.0, 0.25], 1.0
    p = replace(p, W1=W1, b1=b1, b2=rng.normal(size=4))
    X, y = np.array([[1.0, 2.0, 0.0], [0.5, -1.0, 2.0]]), np.array([1, 3])
    assert (X @ p.W1 + p.b1)[0, 0] == 0.0
    for name in ("W1", "b1"):
        result = check_gradient(
            lambda v, name=name: two_layer_loss_and_grads(replace(p, **{name: v}), X, y)[0],
            lambda v, name=name: getattr(two_layer_loss_and_grads(replace(p, **{name: v}), X, y)[1], name),
            getattr(p, name),
        )
        assert not result.reliable and not result.passed, (name, result.message)
        assert result.message.startswith("inconclusive: ")


def test_noise_dominated_numerical_gradient_is_inconclusive() -> None:
    from gradient_docs import softmax, softmax_jacobian

    # s_1 at x = (0, 20) is 1 - 2e-9: its gradient is far below the rounding noise of s_1 / h.
    result = check_gradient(lambda z: softmax(z)[1], lambda z: softmax_jacobian(z)[1], np.array([0.0, 20.0]))
    assert not result.reliable


@pytest.mark.parametrize("method", METHODS)
def test_huge_values_and_points_do_not_overflow_the_noise_estimate(method) -> None:
    # Finding 8: noise**2 overflowed for |f| > 1e170 (or x near 1e300): a correct gradient came
    # back inconclusive with an error estimate of inf.
    for scale, x in ((1e200, np.array([0.3, -1.2])), (1.0, np.array([1e300, -3e299]))):

        def f(p, scale=scale):
            return np.sum(p * scale) + np.sum(np.sin(p / 1e300))

        def grad(p, scale=scale):
            return scale + np.cos(p / 1e300) / 1e300

        result = check_gradient(f, grad, x, method=method)
        assert np.all(np.isfinite(result.error_estimate)) and result.reliable and result.passed, (scale, result.message)


@pytest.mark.parametrize("direction", ["all", "random"])
@pytest.mark.parametrize("method", METHODS)
def test_every_registry_sample_point_completes_for_every_method_inside_the_domain(method, direction) -> None:
    rng = np.random.default_rng(9)
    for spec in LOSSES:
        lower, upper = spec.bounds
        for _ in range(4):
            target, prediction = spec.sample(rng, (2, 3))

            def loss(p, spec=spec, target=target, lower=lower, upper=upper):
                if np.any(np.real(p) < lower) or np.any(np.real(p) > upper):
                    raise AssertionError(f"{spec.name} evaluated outside its domain at {p}")
                return spec.loss(target, p, **spec.kwargs)

            try:
                result = check_gradient(
                    loss,
                    lambda p, spec=spec, target=target: spec.grad(target, p, **spec.kwargs),
                    prediction,
                    method=method,
                    direction=direction,
                    seed=1,
                    bounds=spec.bounds,
                )
            except TypeError as exc:  # the losses take real input only: the complex step cannot apply
                assert method == "complex" and "complex" in str(exc), exc
                continue
            assert result.reliable, (spec.name, result.message)


def test_relative_error_is_zero_where_both_are_zero_and_safe_at_extremes() -> None:
    assert relative_error(np.array([0.0, 1.0]), np.array([0.0, 1.5])).tolist() == [0.0, 0.5 / 1.5]
    assert relative_error([1e308, -1e308], [-1e308, 1e-308]).tolist() == [2.0, 1.0]
    assert relative_error([1, 2], [1, 4]).tolist() == [0.0, 0.5]  # lists of ints are numbers too


@pytest.mark.parametrize(
    ("a", "n", "error", "match"),
    [
        ([1.0, np.nan], [1.0, 1.0], ValueError, r"`analytic` must contain only finite values; got nan"),
        ([1.0, 2.0], [1.0, np.inf], ValueError, r"`numerical` must contain only finite values; got inf"),
        ([1.0, 2.0], [1.0], ValueError, r"`analytic` and `numerical` must have the same shape; got \(2,\) and \(1,\)"),
        ([True, False], [1.0, 0.0], TypeError, r"`analytic` must be an array of real numbers"),
        ([1.0, 2.0], [1j, 2.0], TypeError, r"`numerical` must be an array of real numbers"),
        (np.array([1.0, None]), [1.0, 2.0], TypeError, r"`analytic` must be an array of real numbers"),
    ],
)
def test_relative_error_validates_its_input(a, n, error, match) -> None:
    with pytest.raises(error, match=match):  # finding 6: NaN gave 0.0, shapes broadcast silently
        relative_error(a, n)


@pytest.mark.parametrize(
    ("grad", "kwargs", "error", "match"),
    [
        (
            lambda p: np.ones(3),
            {},
            ValueError,
            r"`grad` must return an array shaped like `x` \(2,\); it returned shape \(3,\)",
        ),
        (lambda p: np.array([np.nan, 1.0]), {}, ValueError, r"`grad\(x\)` must contain only finite values"),
        (examples.f_gradient, {"rtol": -1.0}, ValueError, r"`rtol` must be >= 0; got -1.0"),
        (examples.f_gradient, {"atol": [1.0, 2.0]}, ValueError, r"`atol` must be 0-dimensional"),
        (
            examples.f_gradient,
            {"method": "sideways"},
            ValueError,
            r"`method` must be one of 'central', .*; got 'sideways'",
        ),
        (
            examples.f_gradient,
            {"direction": "some"},
            ValueError,
            r"`direction` must be one of 'all', 'random'; got 'some'",
        ),
        (
            examples.f_gradient,
            {"seed": "abc"},
            TypeError,
            r"`seed` must be None, an int >= 0 or a numpy.random.Generator; got str",
        ),
        (examples.f_gradient, {"seed": -1, "direction": "random"}, TypeError, r"`seed` must be None, an int >= 0"),
        (examples.f_gradient, {"seed": 1.5, "direction": "all"}, TypeError, r"`seed` must be None, an int >= 0"),
        (examples.f_gradient, {"seed": True}, TypeError, r"`seed` must be None, an int >= 0"),
        (examples.f_gradient, {"bounds": (0.0, 1.5)}, ValueError, r"`x` must lie within `bounds`; got x\[0\] = 2.0"),
        ("not a function", {}, TypeError, r"`grad` must be callable"),
    ],
)
def test_bad_arguments_are_rejected_by_name(grad, kwargs: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):  # finding 14: seeds are checked for both directions
        check_gradient(examples.f, grad, P, **kwargs)


def test_float32_check_uses_float32_precision() -> None:
    q32 = np.array([2.1, 1.3], dtype=np.float32)
    assert check_gradient(examples.f, examples.f_gradient, q32).passed
    result = check_gradient(examples.f, examples.f_gradient, q32, method="complex")
    assert np.all(result.error_estimate >= 2 * np.finfo(np.float32).eps * np.abs(result.numerical) * 0.99)
    assert np.all(result.error_estimate > 1e3 * EPS * np.abs(result.numerical))
