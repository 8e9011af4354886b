"""check_gradient(): it passes right gradients, fails wrong ones, and says where they differ."""

import numpy as np
import pytest

from gradient_docs import GradientCheck, check_gradient, examples, relative_error

P = np.array([2.0, 1.0])
METHODS = ["forward", "backward", "central"]


def times(factor: float):
    return lambda p: factor * examples.f_gradient(p)


@pytest.mark.parametrize("method", METHODS)
def test_correct_gradient_passes(method: str) -> None:
    result = check_gradient(examples.f, examples.f_gradient, P, method=method)
    assert result.passed
    assert result.method == method


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("factor", [1.001, 0.999, 1.00001])
def test_gradient_off_by_a_small_factor_fails(method: str, factor: float) -> None:
    # Test the test: a relative error of 1e-3 (or 1e-5) is far above the ~1e-8 (one-sided) and
    # ~1e-11 (central) errors of the numerical gradient, so the checker must reject it.
    result = check_gradient(examples.f, times(factor), P, method=method)
    assert not result.passed
    # The measured error is the planted one plus the numerical gradient's own (<= 2e-8 relative
    # one-sided, i.e. up to 2e-3 of a planted 1e-5).
    assert result.max_relative_error == pytest.approx(abs(factor - 1) / max(factor, 1), rel=1e-2)


def test_a_wrong_component_is_named_in_the_repr() -> None:
    def grad_with_sign_error(p):
        g = examples.f_gradient(p)
        return np.array([g[0], -g[1]])  # the classic sign slip in df/dy

    result = check_gradient(examples.f, grad_with_sign_error, P)
    assert not result.passed
    assert result.worst_index == (1,)
    assert result.max_relative_error == pytest.approx(2.0)
    text = repr(result)
    assert "passed=False" in text and "worst at index (1,)" in text
    assert "analytic=2, numerical=-2" in text and "> tolerance=" in text


def test_a_passing_check_says_so_in_the_repr() -> None:
    text = repr(check_gradient(examples.f, examples.f_gradient, P))
    assert text.startswith("GradientCheck(passed=True, method='central'")
    assert "<= tolerance=" in text


def test_zero_gradient_at_a_critical_point_passes() -> None:
    # At the saddle (0, 0) the gradient is exactly 0; relative error is meaningless there and the
    # tolerance comes from the error estimate alone.
    assert check_gradient(examples.f, examples.f_gradient, [0.0, 0.0]).passed
    assert not check_gradient(examples.f, lambda p: examples.f_gradient(p) + 1e-6, [0.0, 0.0]).passed


def test_error_estimate_bounds_the_true_error_of_the_numerical_gradient() -> None:
    for point in ([2.0, 1.0], [-3.0, 0.5], [0.1, 7.0]):
        result = check_gradient(examples.f, examples.f_gradient, point)
        true_error = np.abs(result.numerical - result.analytic)
        assert np.all(true_error <= result.tolerance)
        # Central differences of a cubic: the truncation error is h^2 (x) and 0 (y); the estimate
        # from steps h and 2h recovers it, so the tolerance is not looser than 10 x (estimate +
        # rounding) plus the relative floor.
        assert np.all(result.error_estimate <= 1e-8)


def test_explicit_tolerances_replace_the_derived_ones() -> None:
    loose = check_gradient(examples.f, times(1.001), P, rtol=1e-2)
    assert loose.passed
    assert loose.tolerance == pytest.approx(1e-2 * np.abs(times(1.001)(P)))
    tight = check_gradient(examples.f, examples.f_gradient, P, rtol=0.0, atol=1e-14)
    assert not tight.passed  # central differences are not exact, so 1e-14 is out of reach


def test_result_fields_have_the_shape_of_x() -> None:
    a = np.arange(1.0, 7.0).reshape(2, 3)
    result = check_gradient(lambda m: float(np.sum(m**3)), lambda m: 3 * m**2, a)
    assert result.passed
    for field in (result.analytic, result.numerical, result.tolerance, result.error_estimate):
        assert field.shape == (2, 3)
    assert isinstance(result, GradientCheck)


def test_relative_error_is_zero_where_both_are_zero() -> None:
    assert relative_error(np.array([0.0, 1.0]), np.array([0.0, 1.5])).tolist() == [0.0, 0.5 / 1.5]


@pytest.mark.parametrize(
    ("grad", "kwargs", "error", "match"),
    [
        (lambda p: np.ones(3), {}, ValueError, r"`grad` must return an array shaped like `x` \(2,\); it returned shape \(3,\)"),
        (lambda p: np.array([np.nan, 1.0]), {}, ValueError, r"`grad\(x\)` must contain only finite values"),
        (examples.f_gradient, {"rtol": -1.0}, ValueError, r"`rtol` must be >= 0; got -1.0"),
        (examples.f_gradient, {"atol": [1.0, 2.0]}, ValueError, r"`atol` must be 0-dimensional"),
        (examples.f_gradient, {"method": "sideways"}, ValueError, r"`method` must be one of 'central', 'forward', 'backward', 'complex', 'richardson'; got 'sideways'"),
        (examples.f_gradient, {"direction": "some"}, ValueError, r"`direction` must be one of 'all', 'random'; got 'some'"),
        ("not a function", {}, TypeError, r"`grad` must be callable"),
    ],
)
def test_bad_arguments_are_rejected_by_name(grad, kwargs: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        check_gradient(examples.f, grad, P, **kwargs)


@pytest.mark.parametrize("seed", range(20))
def test_random_direction_check_catches_a_small_error_for_any_direction(seed: int) -> None:
    result = check_gradient(examples.f, times(1.001), P, direction="random", seed=seed)
    assert not result.passed
    assert result.nfev == 2
    assert result.analytic.shape == result.numerical.shape == (1,)


@pytest.mark.parametrize("seed", range(20))
def test_random_direction_check_passes_a_correct_gradient(seed: int) -> None:
    assert check_gradient(examples.f, examples.f_gradient, P, direction="random", seed=seed).passed


def test_random_direction_check_costs_two_evaluations_in_ten_thousand_dimensions() -> None:
    calls = []

    def f(w):
        calls.append(1)
        return float(np.sum(np.sin(w)))

    w = np.random.default_rng(0).normal(size=10_000)
    result = check_gradient(f, np.cos, w, direction="random", seed=1)
    assert result.passed and result.nfev == 2 and len(calls) == 2
    assert not check_gradient(f, lambda w: 1.001 * np.cos(w), w, direction="random", seed=1).passed


@pytest.mark.parametrize("method", ["complex", "richardson"])
def test_check_with_complex_step_and_richardson(method: str) -> None:
    assert check_gradient(examples.f, examples.f_gradient, P, method=method).passed
    assert not check_gradient(examples.f, times(1 + 1e-8), P, method=method).passed  # far below central's reach


def test_result_reports_predicted_error_and_evaluations() -> None:
    result = check_gradient(examples.f, examples.f_gradient, P)
    assert result.nfev == 4 * 2 + 1  # steps h and 2h on both sides, plus f(x)
    assert result.predicted_error.shape == (2,)
    observed = np.abs(result.numerical - result.analytic)
    assert np.all(observed <= 10 * result.predicted_error)  # the model is not far off here
    assert "predicted error=" in repr(result) and "nfev=9" in repr(result)


def relu_sum(w):
    return np.sum(np.maximum(w, 0.0))


def test_a_kink_within_the_step_makes_the_check_inconclusive_not_passed() -> None:
    # ReLU at 1e-7: the central step 6e-6 straddles the kink and the quotient is ~0.5, not 1.
    w = np.array([1e-7, 0.5, -0.3])
    result = check_gradient(relu_sum, lambda w: (w > 0).astype(float), w)
    assert not result.reliable and not result.passed
    assert "inconclusive" in repr(result) and "index (0,)" in repr(result)
    # Away from the kink, or with the complex step (which never straddles it), it is conclusive.
    assert check_gradient(relu_sum, lambda w: (w > 0).astype(float), np.array([0.1, 0.5, -0.3])).passed
    assert check_gradient(relu_sum, lambda w: (w > 0).astype(float), w, method="complex").passed


def test_noise_dominated_numerical_gradient_is_inconclusive() -> None:
    from gradient_docs import softmax, softmax_jacobian

    # s_1 at x = (0, 20) is 1 - 2e-9: its gradient is far below the rounding noise of s_1 / h.
    x = np.array([0.0, 20.0])
    result = check_gradient(lambda z: softmax(z)[1], lambda z: softmax_jacobian(z)[1], x)
    assert not result.reliable


def test_saturated_softmax_jacobian_keeps_full_relative_accuracy() -> None:
    import math

    from gradient_docs import softmax_jacobian

    # d s_1 / d x_1 = s_1 (1 - s_1) = e^-20 / (1 + e^-20)^2 at x = (0, 20). Computing 1 - s_1 from
    # s_1 = 1 - 2e-9 would keep only 7 digits; the closed form keeps all of them.
    J = softmax_jacobian(np.array([0.0, 20.0]))
    assert J[1, 1] == pytest.approx(math.exp(-20) / (1 + math.exp(-20)) ** 2, rel=4e-16)
    # The complex step through softmax's division is NOT this accurate here: the imaginary part of
    # e_1 / (e_0 + e_1) cancels inside the complex division. No subtraction in the quotient does
    # not mean no cancellation inside f.
    from gradient_docs import jacobian, softmax

    assert abs(jacobian(softmax, np.array([0.0, 20.0]), method="complex")[1, 1] / J[1, 1] - 1) > 1e-9
