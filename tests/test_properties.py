"""Property tests: every analytic gradient and Jacobian in the package agrees with the numerical
one at random points, and softmax stays a probability vector for inputs up to 1e4 in magnitude.

The gradient checks use check_gradient's derived tolerance (ten times the error estimated from
steps h and 2h, plus rounding), never a tolerance tuned to these tests.
"""

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from gradient_docs import (
    check_gradient,
    examples,
    log_softmax,
    logsumexp,
    mse,
    mse_grad,
    softmax,
    softmax_jacobian,
    softmax_jvp,
)

EPS = np.finfo(np.float64).eps


def floats(bound: float) -> st.SearchStrategy[float]:
    return st.floats(-bound, bound, allow_nan=False, allow_infinity=False)


points = arrays(np.float64, 2, elements=floats(10.0))
logits = arrays(np.float64, st.integers(1, 8), elements=floats(30.0))


def assert_passes(f, grad, x) -> None:
    """The analytic gradient agrees with the numerical one wherever the check is conclusive.

    Where the numerical gradient's own error is over 1% of the gradient (a saturated softmax
    output, a near-zero directional derivative), the checker says so and cannot confirm
    anything; such points are discarded, and hypothesis fails the test if that happens often.
    """
    result = check_gradient(f, grad, x)
    assume(result.reliable)
    assert result.passed, result


@given(points)
def test_notes_function_gradient_matches_numerical(p) -> None:
    assert_passes(examples.f, examples.f_gradient, p)


@given(points, st.integers(0, 1))
def test_notes_function_hessian_rows_match_numerical(p, i) -> None:
    assert_passes(lambda q: examples.f_gradient(q)[i], lambda q: examples.f_hessian(q)[i], p)


@given(logits, st.data())
def test_softmax_jacobian_rows_match_numerical(x, data) -> None:
    i = data.draw(st.integers(0, x.size - 1))
    assert_passes(lambda z: softmax(z)[i], lambda z: softmax_jacobian(z)[i], x)


@given(logits, st.data())
def test_log_softmax_jacobian_rows_match_numerical(x, data) -> None:
    # d log s_i / d x_j = delta_ij - s_j. For j = i, 1 - s_i cancels catastrophically when s_i is
    # close to 1 (the checker caught a 1e-5 error at x = (29, 1)); the sum of the other s_j does not.
    i = data.draw(st.integers(0, x.size - 1))

    def row(z):
        s = softmax(z)
        g = -s
        g[i] = np.delete(s, i).sum()
        return g

    assert_passes(lambda z: log_softmax(z)[i], row, x)


@given(logits)
def test_logsumexp_gradient_is_softmax(x) -> None:
    assert_passes(lambda z: float(logsumexp(z)), softmax, x)


@given(logits, st.data())
def test_softmax_jvp_is_the_directional_derivative(x, data) -> None:
    v = data.draw(arrays(np.float64, x.shape, elements=floats(5.0)))
    i = data.draw(st.integers(0, x.size - 1))
    jvp = softmax_jvp(x, v)
    # d/dt softmax(x + t v)_i at t = 0 is (J v)_i
    assert_passes(lambda t: softmax(x + t[0] * v)[i], lambda t: np.array([jvp[i]]), np.zeros(1))


@given(st.data(), array_shapes(min_dims=1, max_dims=2, max_side=5))
def test_mse_gradient_matches_numerical(data, shape) -> None:
    y = data.draw(arrays(np.float64, shape, elements=floats(100.0)))
    y_hat = data.draw(arrays(np.float64, shape, elements=floats(100.0)))
    assert_passes(lambda p: mse(y, p), lambda p: mse_grad(y, p), y_hat)


@given(arrays(np.float64, array_shapes(min_dims=1, max_dims=3, max_side=6), elements=floats(1e4)))
def test_softmax_is_a_probability_vector_without_overflow_up_to_1e4(x) -> None:
    s = softmax(x)
    assert np.isfinite(s).all()
    assert ((s >= 0) & (s <= 1)).all()
    n = x.shape[-1]
    assert np.abs(s.sum(axis=-1) - 1).max() <= n * EPS
    assert np.isfinite(log_softmax(x)).all()
    lse = logsumexp(x)
    assert np.isfinite(lse).all()
    assert (lse >= x.max(axis=-1)).all() and (lse <= x.max(axis=-1) + np.log(n) * (1 + EPS) + 1e4 * EPS).all()


@given(logits)
def test_complex_step_jacobian_of_softmax_is_exact_to_rounding(x) -> None:
    from gradient_docs import jacobian

    J = jacobian(softmax, x, method="complex")
    # Each entry is computed to a few ulps of the largest entry of its row (s_i <= 1).
    assert np.abs(J - softmax_jacobian(x)).max() <= 8 * EPS


@given(points)
def test_numerical_hessian_of_the_notes_function_is_within_its_error_estimate(p) -> None:
    from gradient_docs import hessian

    result = hessian(examples.f, p, full_output=True)
    assert np.array_equal(result.value, result.value.T)
    assert np.all(np.abs(result.value - examples.f_hessian(p)) <= result.error)


@given(arrays(np.float64, st.integers(1, 12), elements=floats(3.0)), st.sampled_from(["forward", "central", "complex", "richardson"]))
def test_vectorized_and_one_point_at_a_time_agree_exactly(x, method) -> None:
    from gradient_docs import gradient

    def f(z):
        return np.sum(np.sin(z) * np.exp(-z * z / 4), axis=-1)

    assert np.array_equal(gradient(f, x, method=method), gradient(f, x, method=method, vectorized=True))
