"""kl_divergence and kl_divergence_grad: values, references, gradient checks, extremes, dtypes, bad input."""

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from support import EPS, FLOAT_DTYPES

from gradient_docs import check_gradient, kl_divergence, kl_divergence_grad


@st.composite
def distributions(draw):
    """(p, q): rows of p summing to 1 (some entries 0), q > 0 of any magnitude down to 1e-300."""
    rows, k = draw(st.integers(1, 3)), draw(st.integers(1, 6))
    w = draw(arrays(np.float64, (rows, k), elements=st.floats(0.0, 1.0)))
    assume(np.all(w.sum(axis=1) > 0))
    p = w / w.sum(axis=1, keepdims=True)
    assume(np.all(np.abs(p.sum(axis=1) - 1) <= 1e-6))
    q = draw(arrays(np.float64, (rows, k), elements=st.floats(1e-300, 1.0)))
    return p, q


def test_values_zero_log_zero_and_self_divergence() -> None:
    p, q = np.array([0.5, 0.5, 0.0]), np.array([0.25, 0.25, 0.5])
    assert kl_divergence(p, q) == pytest.approx(math.log(2), rel=EPS)
    assert kl_divergence(p, p) == 0.0  # 0 log 0 = 0, no nan
    assert kl_divergence_grad(p, q).tolist() == [-2.0, -2.0, 0.0]
    assert kl_divergence([1.0, 0.0], [0.5, 0.5]) == pytest.approx(math.log(2), rel=EPS)
    assert kl_divergence([1.0], [0.25]) == pytest.approx(math.log(4), rel=EPS)  # one class: q need not sum to 1


@given(distributions())
def test_values_and_gradients_match_references(pq) -> None:
    p, q = pq
    rows = p.shape[0]
    exact = sum(pk * (math.log(pk) - math.log(qk)) for pk, qk in zip(p.ravel(), q.ravel(), strict=True) if pk) / rows
    # each term: two logs (1 ulp each, of terms up to |log q| <= 691) and a product; the sum of
    # terms of both signs is bounded relative to the sum of their magnitudes
    magnitude = sum(pk * (abs(math.log(pk)) + abs(math.log(qk))) for pk, qk in zip(p.ravel(), q.ravel()) if pk) / rows
    assert abs(kl_divergence(p, q) - exact) <= (p.size + 4) * EPS * magnitude
    grad = kl_divergence_grad(p, q)
    reference = [-(Fraction(float(pk)) / rows) / Fraction(float(qk)) for pk, qk in zip(p.ravel(), q.ravel())]
    # two correctly rounded divisions; p / B rounds to a multiple of 5e-324 where it is subnormal
    floor = Fraction(5e-324) / Fraction(float(q.min()))
    assert all(abs(Fraction(float(g)) - r) <= Fraction(EPS) * abs(r) + floor for g, r in zip(grad.ravel(), reference))


@given(distributions())
def test_gradient_matches_numerical(pq) -> None:
    p, q = pq
    q = q * 0.9 + 0.1  # steps of the checker stay inside q > 0
    result = check_gradient(lambda x: kl_divergence(p, x), lambda x: kl_divergence_grad(p, x), q)
    assume(result.reliable)
    assert result.passed, result


def test_finding_20_the_gradient_at_q_5e_324_is_finite_where_the_true_value_is() -> None:
    p, q = [1e-300, 1.0 - 1e-300], [5e-324, 1.0]
    exact = -Fraction(1e-300) / Fraction(5e-324)
    assert Fraction(float(kl_divergence_grad(p, q)[0])) == pytest.approx(exact, rel=EPS)
    assert np.isfinite(kl_divergence(p, q))
    two_rows = kl_divergence_grad([[1e-290, 1.0], [1.0, 0.0]], [[1e-310, 1.0], [1.0, 1.0]])  # p / q = 1e20 / 2 rows
    assert two_rows[0, 0] == pytest.approx(-0.5e20, rel=1e-9)  # 1e-310 is subnormal: 10 digits


def test_finding_20_a_gradient_beyond_the_float_range_is_refused_not_minus_infinity() -> None:
    with pytest.raises(
        OverflowError, match=r"`kl_divergence_grad` is beyond the float range .* at index \(0,\): .*`q`"
    ):
        kl_divergence_grad([0.5, 0.5], [5e-324, 1.0])  # the true value is -1.0e323


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_finding_11_float64_out_whatever_float_dtype_goes_in(dtype) -> None:
    p = np.array([[0.1, 0.2, 0.7], [0.5, 0.5, 0.0]], dtype=dtype)  # rows sum to 1 within K eps of dtype
    q = np.array([[0.3, 0.3, 0.4], [0.2, 0.7, 0.1]], dtype=dtype)
    p64, q64 = p.astype(np.float64), q.astype(np.float64)  # exactly the inputs, computed in float64
    value = kl_divergence(p, q)
    terms = np.where(p64 > 0, p64 * (np.log(np.where(p64 > 0, p64, 1.0)) - np.log(q64)), 0.0)
    assert type(value) is float and value == terms.sum() / 2
    grad = kl_divergence_grad(p, q)
    assert grad.dtype == np.float64 and np.array_equal(grad, -(p64 / 2) / q64)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: kl_divergence([0.5, 0.5], [1.0, 0.0]), ValueError, r"`q` must be > 0 wherever `p` > 0 .* p = 0.5 at index \(1,\)"),
        (lambda: kl_divergence_grad([0.5, 0.5], [0.7, -0.1]), ValueError, r"`q` must contain probabilities in \[0, inf\]; got -0.1"),
        (lambda: kl_divergence([0.7, 0.7], [0.5, 0.5]), ValueError, r"`p` must hold probability vectors along its last axis \(summing to 1 within 1e-06\); row \(0,\) sums to 1.4"),
        (lambda: kl_divergence(["a"], [1.0]), TypeError, r"`p` must be an array of real numbers"),
        (lambda: kl_divergence([1.0], np.array([1.0 + 0j])), TypeError, r"`q` must be real; got an array"),
        (lambda: kl_divergence(1.0, 1.0), ValueError, r"`p` must have at least 1 dimension"),
        (lambda: kl_divergence_grad([[1.0, 0.0]], [1.0, 0.0]), ValueError, r"`p` and `q` must have the same shape; got \(1, 2\) and \(2,\)"),
    ],
)  # fmt: skip
def test_bad_input_is_rejected_by_name(call, error, match) -> None:
    with pytest.raises(error, match=match):
        call()
