"""Adaptive Richardson extrapolation: accuracy, cost, narrow features without hints, honesty."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import EPS, SQUEEZE_PRIME, P, squeeze

from gradient_docs import derivative, examples, gradient


def test_reaches_the_rounding_level_with_an_estimate_that_bounds_the_error() -> None:
    result = derivative(squeeze, 1.5, method="richardson", full_output=True)
    true_error = abs(result.value - SQUEEZE_PRIME)
    assert true_error <= 1e-14 * SQUEEZE_PRIME + 4 * EPS  # the reference itself is rounded
    assert true_error <= result.error <= 1e3 * (true_error + EPS * SQUEEZE_PRIME)
    assert result.nfev <= 30


def test_polynomials_stop_after_three_levels() -> None:
    # Central differences of a cubic have the error f''' h^2 / 6 only: the first extrapolated
    # column is exact, and two agreeing columns end the ladder (3 levels, 6 evaluations each).
    result = gradient(examples.f, P, method="richardson", full_output=True)
    assert result.value.tolist() == [10.0, -2.0]
    assert result.nfev == 2 * 2 * 3 + 1


@pytest.mark.parametrize(
    ("f", "x", "exact"),
    [
        (lambda p: np.sum(np.tanh((p - 1.0) / 1e-6)), 1.0 + np.array([3e-7, -5e-7]), None),
        (lambda p: np.sum(np.sin(1e6 * p)), np.array([1.3e-6, 0.7e-6]), None),
    ],
    ids=["tanh((x-1)/1e-6) near 1", "sin(1e6 x) near 1e-6"],
)
def test_narrow_features_need_no_hint(f, x, exact) -> None:
    # From h = 0.5 the differences do not converge (the table's error grows), so the ladder
    # restarts below its last step until the steps reach the feature's scale of 1e-6.
    result = gradient(f, x, method="richardson", full_output=True)
    if exact is None:
        exact = 1e6 / np.cosh((x - 1.0) / 1e-6) ** 2 if x[0] > 0.5 else 1e6 * np.cos(1e6 * x)
    assert np.all(np.abs(result.value - exact) <= 1e-12 * np.abs(exact))
    # Honest and loose: the rounding bound counts eps sum |x_k f_k| = eps * 1e6 per value, which
    # tanh((x - 1) / 1e-6) does not incur (x - 1 is exact near 1).
    assert np.all(np.abs(result.value - exact) <= result.error)
    assert np.all(result.error <= 1e-6 * np.abs(exact))
    assert gradient(f, x, method="central").tolist() != pytest.approx(exact.tolist(), rel=1e-3)  # blind central fails


def test_non_finite_values_are_skipped_not_returned() -> None:
    # log(x) at x = 0.3 from h = 0.5: x - h < 0 gives nan, so the first levels are skipped.
    result = derivative(lambda t: np.log(t), 0.3, method="richardson", full_output=True)
    assert abs(result.value - 1 / 0.3) <= result.error <= 1e-11


def test_a_function_non_finite_everywhere_around_x_is_refused() -> None:
    with pytest.raises(ValueError, match=r"`f` returned non-finite values at every step around x\[0\] = 1.0"):
        gradient(lambda p: np.sum(np.log(p - 1.0)), np.array([1.0, 3.0]), method="richardson")


def test_one_point_at_a_time_and_vectorized_alike() -> None:
    calls = []

    def one_point_only(p):
        assert p.shape == (2,)
        calls.append(1)
        return examples.f(p)

    g = gradient(one_point_only, P, method="richardson", full_output=True)
    assert len(calls) == g.nfev
    assert np.array_equal(g.value, gradient(examples.f, P, method="richardson", vectorized=True))


@given(
    st.floats(-3, 3),
    st.integers(-6, 6),
    st.sampled_from([np.sin, np.exp, np.arctan]),
)
def test_estimate_bounds_the_error_at_any_magnitude_of_x_and_scale_of_f(t, power, g) -> None:
    # f(x) = g(x / 10^power): features on the scale 10^power, x on the same scale.
    scale = 10.0**power
    x = t * scale
    derivative_of = {np.sin: np.cos, np.exp: np.exp, np.arctan: lambda u: 1 / (1 + u * u)}[g]
    exact = derivative_of(np.longdouble(x) / np.longdouble(scale)) / np.longdouble(scale)
    result = derivative(lambda v: g(v / scale), x, method="richardson", full_output=True)
    assert abs(np.longdouble(result.value) - exact) <= result.error
