"""Regression losses: mse, mae, huber, log_cosh and their gradients.

Values are compared with exact rational arithmetic (Fraction) or 60-digit-plus decimal references.
Bounds: a mean of n nonnegative terms, each with a relative error of at most k eps / 2 (the
residual's rounding, doubled by a square, and the term's own operations), summed by numpy's
pairwise summation and divided by n, is within (n + k + 1) eps of the exact mean, relatively
(the recursive-summation bound, which pairwise summation never exceeds); where terms underflow,
a few smallest subnormals more.
"""

from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays
from support import EPS, FLOAT_DTYPES, finite_floats

from gradient_docs import check_gradient, huber, huber_grad, log_cosh, log_cosh_grad, mae, mae_grad, mse, mse_grad

TINY = 5e-324
REGRESSION = [(mse, mse_grad), (mae, mae_grad), (huber, huber_grad), (log_cosh, log_cosh_grad)]


def pairs(bound: float = 1e300):
    """Two arrays of one drawn shape, entries of every magnitude up to `bound`."""
    return array_shapes(min_dims=1, max_dims=2, max_side=5).flatmap(
        lambda shape: st.tuples(*(arrays(np.float64, shape, elements=finite_floats(bound)) for _ in range(2)))
    )


def exact_residuals(y: np.ndarray, y_hat: np.ndarray) -> list[Fraction]:
    return [Fraction(float(b)) - Fraction(float(a)) for a, b in zip(y.ravel(), y_hat.ravel(), strict=True)]


def assert_mean_close(value: float, terms: list[Fraction], k: int) -> None:
    exact = sum(terms, Fraction(0)) / len(terms)
    bound = (len(terms) + k + 1) * Fraction(EPS) * abs(exact) + 4 * Fraction(TINY)
    assert abs(Fraction(value) - exact) <= bound, (value, float(exact))


def reference_log_cosh(r: float) -> Decimal:
    """log cosh r to 50 significant digits at any magnitude (enough digits to survive cosh r - 1)."""
    a = abs(Decimal(r))
    with localcontext() as context:
        context.prec = 60 + max(0, -2 * a.adjusted()) if a else 60
        if a >= 1:
            return a - Decimal(2).ln() + (1 + (-2 * a).exp()).ln()
        return ((a.exp() + (-a).exp()) / 2).ln()


# Values


def test_notes_counterexample_gradient_is_a_vector_whose_sum_is_the_notes_formula() -> None:
    y, y_hat = np.array([0.0, 0.0]), np.array([1.0, -1.0])
    assert mse(y, y_hat) == 1.0
    assert mse_grad(y, y_hat).tolist() == [1.0, -1.0]
    assert 2 / y.size * np.sum(y_hat - y) == 0.0  # the notes' scalar: zero, although the loss is not flat
    assert mse_grad(y, y_hat).sum() == 2 / y.size * np.sum(y_hat - y)


def test_gradient_points_from_target_to_prediction() -> None:
    assert mse_grad([5.0], [7.0]).tolist() == [4.0]
    assert mse_grad([5.0], [3.0]).tolist() == [-4.0]


def test_hand_computed_values_and_subgradients_at_zero() -> None:
    y, y_hat = np.zeros(4), np.array([0.5, -2.0, 3.0, 0.0])
    assert mae(y, y_hat) == 5.5 / 4
    assert mae_grad(y, y_hat).tolist() == [0.25, -0.25, 0.25, 0.0]  # subgradient 0 at r = 0
    assert huber(y, y_hat) == 4.125 / 4  # 0.125 + (2 - 0.5) + (3 - 0.5) + 0
    assert huber_grad(y, y_hat).tolist() == [0.125, -0.25, 0.25, 0.0]
    assert huber(y, y_hat, delta=10.0) == mse(y, y_hat) / 2


@given(pairs(1e150))  # squares within the float range; beyond it, see the OverflowError tests
def test_mse_mae_and_huber_match_exact_rational_arithmetic(pair) -> None:
    y, y_hat = pair
    r = exact_residuals(y, y_hat)
    assert_mean_close(mse(y, y_hat), [t * t for t in r], k=2)  # residual (doubled by the square), square
    assert_mean_close(mae(y, y_hat), [abs(t) for t in r], k=1)
    delta = max(float(np.median(np.abs(y_hat - y))), 1e-300)
    d = Fraction(delta)
    huber_terms = [t * t / 2 if abs(t) <= d else d * (abs(t) - d / 2) for t in r]
    assert_mean_close(huber(y, y_hat, delta=delta), huber_terms, k=3)


@given(pairs())
def test_gradients_match_exact_rational_arithmetic(pair) -> None:
    y, y_hat = pair
    r = np.array([float(t) for t in exact_residuals(y, y_hat)])  # the residual, correctly rounded
    n = y.size
    exact = [2 * Fraction(float(t)) / n for t in r]
    # one rounding of r and one of the quotient: 2 eps / 2 relative, plus a subnormal floor
    assert all(abs(Fraction(float(g)) - e) <= EPS * abs(e) + TINY for g, e in zip(mse_grad(y, y_hat).ravel(), exact))
    assert np.array_equal(mae_grad(y, y_hat).ravel(), np.sign(r) / n)
    assert np.array_equal(huber_grad(y, y_hat, delta=1.0).ravel(), np.clip(r, -1.0, 1.0) / n)


@pytest.mark.parametrize("exponent", range(-300, 309, 8))
@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_log_cosh_and_its_gradient_match_references_at_every_magnitude(exponent: int, sign: float) -> None:
    # log1p(2 sinh(r/2)^2): sinh, square, log1p (whose condition number is at most 1) -> 4 ulps;
    # |r| + log1p(e^-2|r|) - log 2: three terms and two sums, worst at |r| = 1 (result 0.43) -> 4 ulps.
    # Twice that leaves room for libm's last bits.
    r = sign * 10.0**exponent
    exact = reference_log_cosh(r)
    assert abs(Decimal(log_cosh([0.0], [r])) - exact) <= Decimal(8 * EPS) * exact + Decimal(TINY)
    assert log_cosh_grad([0.0], [r]).tolist() == [np.tanh(r)]  # n = 1: tanh itself, untouched


@given(finite_floats(1e308))
def test_log_cosh_matches_the_reference_for_any_residual(r: float) -> None:
    exact = reference_log_cosh(r)
    assert abs(Decimal(log_cosh([0.0], [r])) - exact) <= Decimal(8 * EPS) * exact + Decimal(TINY)


@pytest.mark.parametrize("r", [1e3, 1e5, 1e300])
def test_log_cosh_is_finite_where_the_textbook_formula_overflows(r: float) -> None:
    with np.errstate(over="ignore"):
        assert np.isinf(np.log(np.cosh(r)))
    assert log_cosh([0.0], [r]) == pytest.approx(r - np.log(2), rel=EPS)
    assert log_cosh_grad([0.0], [-r]).tolist() == [-1.0]


# Gradients against numerical ones (hypothesis draws shapes and magnitudes)


@given(pairs(100.0))
def test_mse_and_log_cosh_gradients_match_numerical(pair) -> None:
    y, y_hat = pair
    for loss, grad in [(mse, mse_grad), (log_cosh, log_cosh_grad)]:
        result = check_gradient(lambda p, f=loss: f(y, p), lambda p, g=grad: g(y, p), y_hat)
        assume(result.reliable)
        assert result.passed, result


@given(pairs(100.0))
def test_mae_and_huber_gradients_match_numerical_away_from_their_kinks(pair) -> None:
    y, y_hat = pair
    r = np.abs(y_hat - y)
    assume(np.all(r > 1e-2 * np.maximum(np.abs(y), 1)) and np.all(np.abs(r - 1.0) > 1e-2 * np.maximum(np.abs(y), 1)))
    for loss, grad in [(mae, mae_grad), (huber, huber_grad)]:
        result = check_gradient(lambda p, f=loss: f(y, p), lambda p, g=grad: g(y, p), y_hat)
        assume(result.reliable)
        assert result.passed, result


# Findings of issue 9


@pytest.mark.parametrize(
    ("call", "exact"),
    [
        (lambda: mse([0.0, 0.0], [1e154, 1e154]), Fraction(10**154) ** 2),
        (lambda: mse([0.0] * 3, [1.2e154, -1.3e154, 1e150]), None),
        (lambda: mae([0.0] * 4, [1.5e308, -1.5e308, 1.5e308, 1.0]), None),
        (lambda: huber([0.0, 0.0], [1e300, -1e300], delta=1e8), None),
        (lambda: log_cosh([0.0, 0.0], [1.7e308, -1.7e308]), None),
    ],
)
def test_finding_9_losses_do_not_overflow_before_averaging(call, exact) -> None:
    value = call()
    assert np.isfinite(value)
    if exact is not None:
        assert Fraction(value) == pytest.approx(exact, rel=EPS)


def test_finding_9_the_mean_matches_the_exact_one_near_the_top_of_the_range() -> None:
    y, y_hat = np.zeros(3), np.array([1.2e154, -1.3e154, 1e150])
    assert_mean_close(mse(y, y_hat), [t * t for t in exact_residuals(y, y_hat)], k=2)
    y, y_hat = np.zeros(4), np.array([1.5e308, -1.5e308, 1.5e308, 1.0])
    assert_mean_close(mae(y, y_hat), [abs(t) for t in exact_residuals(y, y_hat)], k=1)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: mse([0.0], [1e155]), r"`mse` is beyond the float range"),
        (lambda: huber([0.0], [1e300], delta=1e300), r"`huber` is beyond the float range"),
        (lambda: mse_grad([0.0], [1.7e308]), r"`mse_grad` is beyond the float range .* at index \(0,\)"),
        (lambda: mae([-1e308], [1e308]), r"the residual `predictions - targets` is beyond the float range .*predictions = 1e\+308, targets = -1e\+308"),
    ],
)  # fmt: skip
def test_results_beyond_the_float_range_are_refused_not_infinite(call, match) -> None:
    with pytest.raises(OverflowError, match=match):
        call()


@pytest.mark.parametrize("r", [2e154, 1e300, 1.7e308])
def test_finding_10_huber_computes_each_branch_only_where_it_applies(r: float) -> None:
    # Under filterwarnings = error, an overflow in the unused quadratic branch would raise.
    assert huber([0.0], [r]) == r - 0.5
    assert huber_grad([0.0], [r]).tolist() == [1.0]
    assert huber([0.0], [3.0], delta=r) == 4.5  # the unused linear branch, delta (|r| - delta / 2), would overflow


def test_finding_10_huber_in_float16_with_a_large_delta() -> None:
    y, y_hat = np.zeros(2, dtype=np.float16), np.array([300.0, -2.0], dtype=np.float16)
    assert huber(y, y_hat, delta=1e5) == (300.0**2 / 2 + 2.0) / 2
    assert huber_grad(y, y_hat, delta=1e5).tolist() == [150.0, -1.0]


@pytest.mark.parametrize("r", [1e-8, 1e-6, 1e-3, 0.5, 1e308, 1.7976931348623157e308])
def test_finding_10_log_cosh_is_accurate_for_tiny_residuals_and_finite_for_huge_ones(r: float) -> None:
    exact = reference_log_cosh(r)
    assert abs(Decimal(log_cosh([0.0], [r])) - exact) <= Decimal(8 * EPS) * exact


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize(("loss", "grad"), REGRESSION, ids=[loss.__name__ for loss, _ in REGRESSION])
def test_finding_11_float64_out_whatever_float_dtype_goes_in(loss, grad, dtype) -> None:
    y = np.array([0.1, -2.0, 3.5, 0.0], dtype=dtype)
    y_hat = np.array([0.3, 1.0, 3.0, -0.7], dtype=dtype)
    value = loss(y, y_hat)
    assert type(value) is float
    assert value == loss(y.astype(np.float64), y_hat.astype(np.float64))  # computed in float64
    g = grad(y, y_hat)
    assert g.dtype == np.float64
    assert np.array_equal(g, grad(y.astype(np.float64), y_hat.astype(np.float64)))


@pytest.mark.parametrize(("loss", "grad"), REGRESSION, ids=[loss.__name__ for loss, _ in REGRESSION])
def test_finding_17_losses_refuse_complex_input(loss, grad) -> None:
    for function in (loss, grad):
        with pytest.raises(TypeError, match=r"`predictions` must be real; got an array .* complex128"):
            function([1.0], np.array([1.0 + 1e-20j]))


# Bad input


@pytest.mark.parametrize("function", [mse, mse_grad, mae, mae_grad, huber, huber_grad, log_cosh, log_cosh_grad])
@pytest.mark.parametrize(
    ("y", "y_hat", "error", "match"),
    [
        ([1.0, 2.0], [1.0], ValueError, r"`targets` and `predictions` must have the same shape; got \(2,\) and \(1,\)"),
        ([], [], ValueError, r"`targets` must not be empty"),
        ([1.0], [np.inf], ValueError, r"`predictions` must contain only finite values; got inf at index \(0,\)"),
        (["1"], [1.0], TypeError, r"`targets` must be an array of real numbers"),
        ([1j], [1.0], TypeError, r"`targets` must be real; got list"),
    ],
)
def test_bad_input_is_rejected_by_name(function, y, y_hat, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        function(y, y_hat)


@pytest.mark.parametrize("function", [huber, huber_grad])
@pytest.mark.parametrize(
    ("delta", "error", "match"),
    [(0.0, ValueError, r"`delta` must be > 0; got 0.0"), ("1", TypeError, r"`delta` must be an array of real numbers")],
)
def test_huber_delta_is_checked(function, delta, error, match) -> None:
    with pytest.raises(error, match=match):
        function([1.0], [2.0], delta=delta)
