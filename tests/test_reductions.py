"""_reductions: means that are bit for bit the plain mean where it fits, and never overflow early."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gradient_docs._reductions import mean, mean_of_products

BIG = np.finfo(np.float64).max

# Magnitudes from 1e-50 to 1e50 (or exactly 0): the products span at most 1e200 : 1e-100, so
# shifting them by the largest exponent stays in the normal range and the shift is exact.
factor = st.one_of(st.just(0.0), st.floats(1e-50, 1e50), st.floats(-1e50, -1e-50))
vectors = st.integers(1, 40).flatmap(lambda n: st.tuples(*(arrays(np.float64, n, elements=factor),) * 2))


@given(vectors)
def test_where_the_plain_mean_fits_the_result_is_bit_for_bit_the_same(uv) -> None:
    u, v = uv
    assert mean_of_products(u, v, what="mean", cause="test") == np.mean(u * v)
    assert mean(u, what="mean", cause="test") == np.mean(u)


@given(vectors, st.integers(-30, 30))
def test_the_exponent_scales_by_a_power_of_two(uv, exponent) -> None:
    u, v = uv
    got = mean_of_products(u, v, what="mean", cause="test", exponent=exponent)
    assert got == np.mean(u * v) * 2.0**exponent


def test_a_sum_or_a_term_beyond_the_range_does_not_overflow_a_mean_that_fits() -> None:
    with np.errstate(over="raise"):
        # Two squares of 1e154 sum to 2e308 (> max); their mean is 1e308.
        r = np.array([1e154, 1e154])
        assert mean_of_products(r, r, what="mean", cause="test") == pytest.approx(1e308, rel=1e-15)
        # One square of 1.5e154 is 2.25e308 (> max); its mean with 0 is 1.125e308.
        r = np.array([1.5e154, 0.0])
        assert mean_of_products(r, r, what="mean", cause="test") == pytest.approx(1.125e308, rel=1e-15)
        assert mean(np.array([BIG, BIG]), what="mean", cause="test") == BIG


def test_a_mean_beyond_the_range_raises_naming_what_and_why() -> None:
    r = np.array([3e154, 3e154])
    with pytest.raises(
        OverflowError, match=r"^the loss is beyond the float range \(> 1\.798e\+308\): big residuals\.$"
    ):
        mean_of_products(r, r, what="the loss", cause="big residuals")
    with pytest.raises(OverflowError, match="the mean"):
        mean(np.array([BIG, BIG]), what="the mean", cause="test", exponent=1)
