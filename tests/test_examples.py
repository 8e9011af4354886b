"""The notes' function: values, gradient, Hessian, critical points, dtypes, complex points."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from support import EPS, FLOAT_DTYPES, finite_floats

from gradient_docs import check_gradient, examples

points = arrays(np.float64, 2, elements=finite_floats(10.0))


def assert_passes(f, grad, x) -> None:
    """The analytic gradient agrees with the numerical one wherever the check is conclusive."""
    result = check_gradient(f, grad, x)
    assume(result.reliable)
    assert result.passed, result


def test_values_at_the_notes_point() -> None:
    assert examples.f([2.0, 1.0]) == 5.0
    assert examples.f_gradient([2.0, 1.0]).tolist() == [10.0, -2.0]
    assert examples.f_hessian([2.0, 1.0]).tolist() == [[12.0, -2.0], [-2.0, 2.0]]


@given(points)
def test_values_match_exact_rational_arithmetic(p) -> None:
    x, y = (Fraction(float(v)) for v in p)
    exact = x**3 - 2 * x * y + y**2
    # five roundings of terms up to max(|x|^3, 2|xy|, y^2), so an absolute bound of 5 ulps of that,
    # and where a term underflows, half the smallest subnormal per rounding
    scale = max(abs(x) ** 3, 2 * abs(x * y), y**2)
    tiny = Fraction(5e-324)
    assert abs(Fraction(examples.f(p)) - exact) <= 5 * Fraction(EPS) * scale + 5 * tiny
    gx, gy = 3 * x * x - 2 * y, 2 * y - 2 * x
    g = examples.f_gradient(p)
    assert abs(Fraction(float(g[0])) - gx) <= 3 * Fraction(EPS) * max(3 * x * x, 2 * abs(y)) + 3 * tiny
    assert abs(Fraction(float(g[1])) - gy) <= 2 * Fraction(EPS) * max(abs(gy), 1)


def test_steepest_ascent_direction_and_rate() -> None:
    g = examples.f_gradient([2.0, 1.0])
    assert np.linalg.norm(g) == pytest.approx(np.sqrt(104), rel=1e-15)
    angles = np.radians(np.arange(0, 360, 0.01))
    rates = np.stack([np.cos(angles), np.sin(angles)], axis=1) @ g
    assert rates.max() <= np.sqrt(104) * (1 + 1e-15)
    assert rates.max() == pytest.approx(np.sqrt(104), rel=1e-8)  # grid spacing 1e-4 rad: cos error 5e-9


@given(points)
def test_gradient_matches_numerical(p) -> None:
    assert_passes(examples.f, examples.f_gradient, p)


@given(points, st.integers(0, 1))
def test_hessian_rows_match_numerical(p, i) -> None:
    assert_passes(lambda q: examples.f_gradient(q)[i], lambda q: examples.f_hessian(q)[i], p)


def test_critical_points_are_a_saddle_and_a_local_minimum() -> None:
    saddle, minimum = np.array([0.0, 0.0]), np.array([2 / 3, 2 / 3])
    assert np.abs(examples.f_gradient(saddle)).max() == 0.0
    assert np.abs(examples.f_gradient(minimum)).max() <= 4 * EPS
    low, high = np.linalg.eigvalsh(examples.f_hessian(saddle))
    assert low < 0 < high
    assert (np.linalg.eigvalsh(examples.f_hessian(minimum)) > 0).all()
    x = Fraction(2, 3)
    assert x**3 - 2 * x * x + x**2 == Fraction(-4, 27)  # exact arithmetic
    assert examples.f(minimum) == pytest.approx(-4 / 27, rel=1e-15)


def test_batches_of_points() -> None:
    points = np.array([[2.0, 1.0], [0.0, 0.0], [1.0, 1.0]])
    assert examples.f(points).tolist() == [5.0, 0.0, 0.0]
    assert examples.f_gradient(points).shape == (3, 2)
    assert examples.f_hessian(points).shape == (3, 2, 2)
    assert examples.f_hessian(points)[0].tolist() == [[12.0, -2.0], [-2.0, 2.0]]


@given(points)
def test_finding_17_f_accepts_complex_points_and_the_complex_step_gives_its_gradient(p) -> None:
    # Im f(p + i h e_j) / h = df/dp_j - h^2 f'''/6: the x^3 term leaves exactly -h^2 = -1e-40 in
    # the x-direction; the rest is rounding, a few ulps of the largest term.
    for j in range(2):
        e = np.zeros(2)
        e[j] = 1e-20
        value = examples.f(p + 1j * e)
        assert isinstance(value, complex)
        g = examples.f_gradient(p)[j]
        assert abs(value.imag / 1e-20 - g) <= 4 * EPS * max(3 * p[0] ** 2, 2 * abs(p[1]), 2 * abs(p[0])) + 1e-40


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_finding_11_gradients_and_hessians_keep_the_float_dtype_and_one_point_gives_a_float(dtype) -> None:
    p = np.array([2.0, 1.0], dtype=dtype)
    assert type(examples.f(p)) is float and examples.f(p) == 5.0
    assert examples.f_gradient(p).dtype == dtype and examples.f_gradient(p).tolist() == [10.0, -2.0]
    assert examples.f_hessian(p).dtype == dtype
    assert examples.f(p[None, :]).dtype == dtype


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: examples.f([1.0, 2.0, 3.0]), ValueError, r"`p` must have shape \(2,\) or \(..., 2\), a point \(x, y\); got shape \(3,\)"),
        (lambda: examples.f_gradient(1.0), ValueError, r"`p` must have at least 1 dimension"),
        (lambda: examples.f_hessian([np.nan, 1.0]), ValueError, r"`p` must contain only finite values"),
        (lambda: examples.f(["a", "b"]), TypeError, r"`p` must be an array of real numbers"),
    ],
)  # fmt: skip
def test_bad_input_is_rejected_by_name(call, error, match) -> None:
    with pytest.raises(error, match=match):
        call()
