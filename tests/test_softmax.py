"""softmax, log_softmax, logsumexp, softmax_jacobian, softmax_jvp.

Numerical checks use check_gradient's derived tolerance; accuracy checks compare with 60-digit
decimal references, to a bound derived from the conditioning of exp: an input rounded by half an
ulp moves e^z by |z| eps / 2 relative, and each of the n additions and the division add eps / 2.
"""

import math
from decimal import localcontext

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays
from support import EPS, FLOAT_DTYPES, decimal_softmax, finite_floats

from gradient_docs import check_gradient, jacobian, log_softmax, logsumexp, softmax, softmax_jacobian, softmax_jvp

X = np.array([1.0, 2.0, 3.0])
logits = arrays(np.float64, st.integers(1, 8), elements=finite_floats(30.0))


def softmax_bound(x: np.ndarray, eps: float) -> np.ndarray:
    """Allowed relative error of each s_i (see the module docstring)."""
    z = np.abs(x - x.max())
    return eps * (z + z.max() + x.size + 4)


def assert_passes(f, grad, x) -> None:
    """The analytic gradient agrees with the numerical one wherever the check is conclusive.

    Where the numerical gradient's own error is over 1% of the gradient (a saturated softmax), the
    checker says so and cannot confirm anything; hypothesis fails the test if that happens often.
    """
    result = check_gradient(f, grad, x)
    assume(result.reliable)
    assert result.passed, result


# Values


@given(arrays(np.float64, st.integers(1, 8), elements=finite_floats(700.0)))
def test_softmax_matches_a_60_digit_reference(x) -> None:
    exact = np.array([float(v) for v in decimal_softmax(x)])
    assert np.all(np.abs(softmax(x) - exact) <= softmax_bound(x, EPS) * exact + 2 * 5e-324)


def test_naive_softmax_overflows_where_the_stable_one_does_not() -> None:
    big = np.array([1000.0, 1001.0, 1002.0])
    with np.errstate(over="ignore", invalid="ignore"):
        naive = np.exp(big) / np.exp(big).sum()
    assert np.isnan(naive).all()
    assert softmax(big) == pytest.approx(softmax(X), rel=1e-15)  # shift invariance, exactly used


def test_extreme_inputs_give_exact_zero_and_one_not_nan() -> None:
    assert softmax(np.array([-1e4, 0.0, 1e4])).tolist() == [0.0, 0.0, 1.0]
    assert softmax(np.array([-1e308, 1e308])).tolist() == [0.0, 1.0]


def test_softmax_along_an_axis_sums_to_one_along_that_axis() -> None:
    x = np.arange(12.0).reshape(3, 4)
    assert softmax(x, axis=0).sum(axis=0) == pytest.approx(np.ones(4))
    assert softmax(x, axis=1).sum(axis=1) == pytest.approx(np.ones(3))
    assert softmax(x, axis=0)[:, 0] == pytest.approx(softmax(x[:, 0]))


@given(arrays(np.float64, array_shapes(min_dims=1, max_dims=3, max_side=6), elements=finite_floats(1e4)))
def test_softmax_is_a_probability_vector_without_overflow_up_to_1e4(x) -> None:
    s = softmax(x)
    assert ((s >= 0) & (s <= 1)).all()
    n = x.shape[-1]
    assert np.abs(s.sum(axis=-1) - 1).max() <= n * EPS
    assert np.isfinite(log_softmax(x)).all()
    lse = logsumexp(x)
    assert (lse >= x.max(axis=-1)).all() and (lse <= x.max(axis=-1) + np.log(n) * (1 + EPS) + 1e4 * EPS).all()


def test_log_softmax_stays_finite_where_log_of_softmax_is_minus_infinity() -> None:
    z = np.array([0.0, 1000.0])
    with np.errstate(divide="ignore"):
        assert np.log(softmax(z))[0] == -np.inf
    assert log_softmax(z).tolist() == [-1000.0, 0.0]


@given(arrays(np.float64, st.integers(1, 8), elements=finite_floats(700.0)))
def test_log_softmax_matches_a_60_digit_reference(x) -> None:
    with localcontext() as context:
        context.prec = 60
        exact = np.array([float(v.ln()) if v > 0 else -np.inf for v in decimal_softmax(x)])
    assume(np.isfinite(exact).all())
    # log s_i = z_i - log(1 + r): two roundings of results up to |z|, so an absolute error of
    # a few ulps of max(|z_i|, log n), not a relative one.
    scale = np.maximum(np.abs(x - x.max()), math.log(x.size) + 1)
    assert np.all(np.abs(log_softmax(x) - exact) <= 4 * EPS * scale)


def test_logsumexp_matches_the_naive_formula_and_survives_large_inputs() -> None:
    assert float(logsumexp(X)) == pytest.approx(math.log(sum(math.exp(v) for v in X)), rel=1e-15)
    assert float(logsumexp(np.array([1000.0, 1000.0]))) == pytest.approx(1000.0 + math.log(2), rel=1e-15)
    assert logsumexp(np.ones((2, 3)), axis=0).shape == (3,)


# Jacobian and Jacobian-vector products


def test_jacobian_is_diag_minus_outer_product_symmetric_with_zero_row_sums() -> None:
    s = softmax(X)
    J = softmax_jacobian(X)
    for i in range(3):
        for j in range(3):
            assert J[i, j] == pytest.approx(s[i] * ((i == j) - s[j]), rel=1e-15)
    assert np.array_equal(J, J.T)
    assert np.abs(J.sum(axis=1)).max() <= 2 * EPS


def test_diagonal_alone_is_not_the_jacobian() -> None:
    J = softmax_jacobian(X)
    s = softmax(X)
    assert np.diag(J) == pytest.approx(s * (1 - s))
    assert np.abs(J - np.diag(np.diag(J))).max() > 0.1  # the notes' answer misses these


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
    v = data.draw(arrays(np.float64, x.shape, elements=finite_floats(5.0)))
    i = data.draw(st.integers(0, x.size - 1))
    jvp = softmax_jvp(x, v)
    # d/dt softmax(x + t v)_i at t = 0 is (J v)_i
    assert_passes(lambda t: softmax(x + t[0] * v)[i], lambda t: np.array([jvp[i]]), np.zeros(1))


def test_jvp_equals_jacobian_times_vector_including_batches() -> None:
    rng = np.random.default_rng(3)
    x, v = rng.normal(size=(4, 5)), rng.normal(size=(4, 5))
    product = softmax_jvp(x, v)
    for row in range(4):
        assert product[row] == pytest.approx(softmax_jacobian(x[row]) @ v[row], rel=1e-12, abs=1e-15)


@given(logits, st.data())
def test_softmax_jvp_is_unchanged_by_scaling_v_by_a_power_of_two(x, data) -> None:
    # Exact for normal numbers: entries of v are 0 or at least 1e-100, so that neither side is subnormal.
    magnitudes = st.floats(1e-100, 1.0) | st.floats(-1.0, -1e-100) | st.just(0.0)
    v = data.draw(arrays(np.float64, x.shape, elements=magnitudes))
    k = data.draw(st.integers(-400, 400))
    assert np.array_equal(softmax_jvp(x, np.ldexp(v, k)), np.ldexp(softmax_jvp(x, v), k))


# Findings of issue 9


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_finding_20_softmax_jvp_with_huge_v_is_finite_and_accurate(sign) -> None:
    x, v = np.array([0.0, 1.0, -0.5]), sign * np.array([1.5e308, -1.5e308, 1e308])
    s = decimal_softmax(x)
    with localcontext() as context:
        context.prec = 60
        dv = [context.create_decimal(float(t)) for t in v]
        sv = sum(si * vi for si, vi in zip(s, dv, strict=True))
        exact = np.array([float(si * (vi - sv)) for si, vi in zip(s, dv, strict=True)])
    out = softmax_jvp(x, v)
    assert np.isfinite(out).all()
    assert np.all(np.abs(out - exact) <= 16 * EPS * np.abs(v).max())  # a few ulps of the scale of v


def test_finding_20_log_softmax_is_finite_at_1e308_where_the_true_value_is() -> None:
    assert log_softmax(np.array([1e308, 0.0])).tolist() == [0.0, -1e308]
    assert log_softmax(np.array([-1e308, -1e308])) == pytest.approx([-math.log(2)] * 2, rel=EPS)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_finding_20_log_softmax_beyond_the_float_range_is_refused_not_minus_infinity(dtype) -> None:
    big = float(np.finfo(dtype).max) / 1.5  # x spans 1.33 times the float range
    with pytest.raises(OverflowError, match=r"`log_softmax\(x\)` is beyond the float range .* at index \(1,\)"):
        log_softmax(np.array([big, -big], dtype=dtype))


def test_finding_17_the_softmax_family_accepts_complex_input_for_the_complex_step() -> None:
    # Im f(x + i h e_j) / h is column j of the Jacobian, to rounding (h = 1e-20: no truncation).
    x = np.array([0.3, -1.2, 2.0])
    for j in range(3):
        e = np.zeros(3)
        e[j] = 1e-20
        column = np.imag(softmax(x + 1j * e)) / 1e-20
        assert np.all(np.abs(column - softmax_jacobian(x)[:, j]) <= 8 * EPS)
        assert np.imag(logsumexp(x + 1j * e)) / 1e-20 == pytest.approx(softmax(x)[j], rel=8 * EPS)
    assert log_softmax(x + 0j).dtype == np.complex128
    assert softmax_jvp(x + 0j, np.ones(3)).dtype == np.complex128


@given(logits)
def test_complex_step_jacobian_of_softmax_is_exact_to_rounding(x) -> None:
    J = jacobian(softmax, x, method="complex")
    # Each entry is computed to a few ulps of the largest entry of its row (s_i <= 1).
    assert np.abs(J - softmax_jacobian(x)).max() <= 8 * EPS


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("function", [softmax, log_softmax, logsumexp, softmax_jacobian])
def test_finding_11_the_softmax_family_keeps_the_input_dtype_and_is_accurate_in_it(function, dtype) -> None:
    x = np.random.default_rng(4).normal(scale=3.0, size=7).astype(dtype)
    out = function(x)
    assert out.dtype == dtype
    exact = function(x.astype(np.float64))  # the float64 result at the same (rounded) inputs
    eps, tiny = float(np.finfo(dtype).eps), float(np.finfo(dtype).smallest_subnormal)
    bound = eps * (np.abs(x).max() * 2 + x.size + 4)  # softmax_bound, in dtype, relative to 1
    assert np.all(np.abs(out - exact) <= bound * np.maximum(np.abs(exact), 1.0) + 2 * tiny)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_finding_11_softmax_jvp_keeps_the_dtype(dtype) -> None:
    x = np.array([1.0, -2.0, 0.5], dtype=dtype)
    assert softmax_jvp(x, np.array([1.0, 0.0, -1.0], dtype=dtype)).dtype == dtype


# Bad input


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: softmax(np.float64(1.0)), ValueError, r"`x` must have at least 1 dimension\(s\); got an array of shape \(\)"),
        (lambda: softmax([1.0, np.nan]), ValueError, r"`x` must contain only finite values; got nan at index \(1,\)"),
        (lambda: softmax([[1.0, 2.0]], axis=2), ValueError, r"`axis` must be in \[-2, 1\] for a 2-dimensional input; got 2"),
        (lambda: softmax([1.0, 2.0], axis=0.5), TypeError, r"`axis` must be an integer; got float 0.5"),
        (lambda: softmax([]), ValueError, r"`x` must not be empty"),
        (lambda: softmax_jacobian(np.ones((2, 2))), ValueError, r"`x` must be 1-dimensional; got an array of shape \(2, 2\)"),
        (lambda: softmax_jvp(X, np.ones(2)), ValueError, r"`x` and `v` must have the same shape; got \(3,\) and \(2,\)"),
        (lambda: softmax_jvp(X, [1.0, np.inf, 0.0]), ValueError, r"`v` must contain only finite values"),
        (lambda: log_softmax(["a"]), TypeError, r"`x` must be an array of real numbers"),
        (lambda: logsumexp([np.inf]), ValueError, r"`x` must contain only finite values"),
    ],
)  # fmt: skip
def test_bad_input_is_rejected_by_name(call, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        call()
