"""The notes' function: values, gradient, Hessian, critical points."""

from fractions import Fraction

import numpy as np
import pytest

from gradient_docs import check_gradient, examples


def test_values_at_the_notes_point() -> None:
    assert examples.f([2.0, 1.0]) == 5.0
    assert examples.f_gradient([2.0, 1.0]).tolist() == [10.0, -2.0]
    assert examples.f_hessian([2.0, 1.0]).tolist() == [[12.0, -2.0], [-2.0, 2.0]]


def test_steepest_ascent_direction_and_rate() -> None:
    g = examples.f_gradient([2.0, 1.0])
    assert np.linalg.norm(g) == pytest.approx(np.sqrt(104), rel=1e-15)
    angles = np.radians(np.arange(0, 360, 0.01))
    rates = np.stack([np.cos(angles), np.sin(angles)], axis=1) @ g
    assert rates.max() <= np.sqrt(104) * (1 + 1e-15)
    assert rates.max() == pytest.approx(np.sqrt(104), rel=1e-8)  # grid spacing 1e-4 rad: cos error 5e-9


@pytest.mark.parametrize("point", [[2.0, 1.0], [-1.0, 3.0], [0.5, -0.25]])
def test_gradient_and_hessian_rows_pass_the_check(point) -> None:
    assert check_gradient(examples.f, examples.f_gradient, point).passed
    for i in range(2):
        row = check_gradient(lambda q: examples.f_gradient(q)[i], lambda q: examples.f_hessian(q)[i], point)
        assert row.passed


def test_critical_points_are_a_saddle_and_a_local_minimum() -> None:
    saddle, minimum = np.array([0.0, 0.0]), np.array([2 / 3, 2 / 3])
    assert np.abs(examples.f_gradient(saddle)).max() == 0.0
    assert np.abs(examples.f_gradient(minimum)).max() <= 4 * np.finfo(float).eps
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


def test_a_point_must_have_two_coordinates() -> None:
    with pytest.raises(ValueError, match=r"`p` must have shape \(2,\) or \(..., 2\), a point \(x, y\); got shape \(3,\)"):
        examples.f([1.0, 2.0, 3.0])
