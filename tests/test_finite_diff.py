"""gradient(): the difference formulas, their error orders, default steps, and bad input."""

import numpy as np
import pytest

from gradient_docs import default_step, examples, gradient

EPS = np.finfo(np.float64).eps
P = np.array([2.0, 1.0])  # the notes' point; f(P) = 5


def roundoff(h: float, f_value: float = 5.0, terms: int = 2) -> float:
    """Bound on the rounding error of a difference quotient: each of ``terms`` values of f is off
    by at most eps*|f| (with a margin of 4 for the rounding inside f), divided by the step."""
    return terms * 4 * EPS * abs(f_value) / h


def test_forward_difference_reproduces_the_notes_with_its_exact_truncation_error() -> None:
    h = 1e-6
    g = gradient(examples.f, P, method="forward", step=h)
    # For this cubic the forward quotient is exactly (10 + 6h + h^2, -2 + h).
    expected = np.array([10 + 6 * h + h**2, -2 + h])
    assert np.all(np.abs(g - expected) <= roundoff(h))
    assert np.array2string(g) == "[10.000006 -1.999999]"


def test_central_difference_reproduces_the_notes_and_its_truncation_error_is_h_squared() -> None:
    h = 1e-6
    g = gradient(examples.f, P, method="central", step=h)
    expected = np.array([10 + h**2, -2.0])  # f_xxx = 6 gives h^2; f is quadratic in y
    assert np.all(np.abs(g - expected) <= roundoff(2 * h))
    assert np.array2string(g) == "[10. -2.]"
    assert not np.array_equal(g, [10.0, -2.0])  # "exact" only at numpy's print precision


def test_backward_difference_has_the_mirror_truncation_error() -> None:
    h = 1e-4
    g = gradient(examples.f, P, method="backward", step=h)
    expected = np.array([10 - 6 * h + h**2, -2 - h])
    assert np.all(np.abs(g - expected) <= roundoff(h))


@pytest.mark.parametrize(("method", "order"), [("forward", 1), ("backward", 1), ("central", 2)])
def test_error_shrinks_like_h_to_the_order_of_the_method(method: str, order: int) -> None:
    # exp has every derivative equal to itself, so the leading error term never vanishes.
    x = np.array([0.3])
    exact = np.exp(0.3)
    errors = [abs(gradient(lambda z: float(np.exp(z[0])), x, method=method, step=h)[0] - exact) for h in (1e-2, 5e-3)]
    ratio = errors[0] / errors[1]
    assert ratio == pytest.approx(2**order, rel=0.02)


def test_default_step_balances_truncation_and_rounding() -> None:
    assert default_step(np.array([0.5, 3.0]), "forward") == pytest.approx(np.sqrt(EPS) * np.array([1.0, 3.0]))
    assert default_step(np.array([0.5, -3.0]), "central") == pytest.approx(EPS ** (1 / 3) * np.array([1.0, 3.0]))
    assert default_step(np.array([2.0], dtype=np.float32), "central")[0] == pytest.approx(
        2 * np.finfo(np.float32).eps ** (1 / 3)
    )


@pytest.mark.parametrize(("method", "bound"), [("forward", 4e-7), ("backward", 4e-7), ("central", 1e-9)])
def test_default_steps_reach_the_methods_best_accuracy(method: str, bound: float) -> None:
    # Best attainable relative error: ~sqrt(eps) = 1.5e-8 one-sided, ~eps^(2/3) = 3.7e-11 central,
    # times the derivative ratios of this f (|f''| / |f'| = 1.2 at P, |f| / |f'| = 0.5).
    error = np.abs(gradient(examples.f, P, method=method) - examples.f_gradient(P))
    assert error.max() <= bound


def test_steps_scale_with_the_coordinates() -> None:
    # f = x^2 at x = 1e8: |f| = 1e16, so each value of f carries a rounding error of about 2.
    # Central differences are exact for a quadratic, so rounding is the whole error: eps|f|/h.
    x = np.array([1e8])
    fixed = gradient(lambda p: p[0] ** 2, x, step=1e-6)[0]
    scaled = gradient(lambda p: p[0] ** 2, x)[0]  # h = eps^(1/3) * 1e8 = 606
    assert abs(fixed - 2e8) / 2e8 > 1e-3
    assert abs(scaled - 2e8) / 2e8 <= 4 * EPS * 1e16 / 606 / 2e8


def test_result_has_the_shape_of_x_for_matrices() -> None:
    a = np.arange(6.0).reshape(2, 3)
    g = gradient(lambda m: float(np.sum(m**2)), a)
    assert g.shape == (2, 3)
    assert g == pytest.approx(2 * a, abs=1e-8)


def test_per_coordinate_steps_are_accepted() -> None:
    g = gradient(examples.f, P, method="forward", step=[1e-6, 1e-4])
    assert g == pytest.approx([10 + 6e-6, -2 + 1e-4], abs=roundoff(1e-6))


def test_float32_points_reach_f_as_float32() -> None:
    seen = []

    def f(p):
        seen.append(p.dtype)
        return float(np.sum(p**2))

    g = gradient(f, np.array([1.0, 2.0], dtype=np.float32))
    assert set(seen) == {np.dtype(np.float32)}
    assert g == pytest.approx([2.0, 4.0], rel=1e-3)  # float32 central: error ~ eps32^(2/3) = 2.4e-5


def test_f_that_modifies_its_argument_does_not_corrupt_the_point() -> None:
    def f(p):
        value = float(np.sum(p**2))
        p[:] = 1e6
        return value

    x = np.array([1.0, -2.0])
    assert gradient(f, x) == pytest.approx([2.0, -4.0], rel=1e-8)
    assert x.tolist() == [1.0, -2.0]


def test_integer_points_are_promoted_to_float() -> None:
    assert gradient(examples.f, [2, 1]) == pytest.approx([10.0, -2.0], rel=1e-9)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"method": "sideways"}, ValueError, r"`method` must be one of 'central', 'forward', 'backward', 'complex', 'richardson'; got 'sideways'"),
        ({"step": 0.0}, ValueError, r"`step` must be > 0; got 0.0"),
        ({"step": -1e-3}, ValueError, r"`step` must be > 0; got -0.001"),
        ({"step": [1e-3, 1e-3, 1e-3]}, ValueError, r"`step` must be a scalar or broadcast to the shape of `x` \(2,\); got shape \(3,\)"),
        ({"step": np.nan}, ValueError, r"`step` must contain only finite values"),
        ({"step": 1e-30}, ValueError, r"`step` is too small: x\[0\] = 2.0 plus -?1e-30 rounds back to 2.0 in float64"),
    ],
)
def test_bad_options_are_rejected_by_name(kwargs: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        gradient(examples.f, P, **kwargs)


@pytest.mark.parametrize(
    ("x", "error", "match"),
    [
        ([], ValueError, r"`x` must not be empty; got an array of shape \(0,\)"),
        ([1.0, np.nan], ValueError, r"`x` must contain only finite values; got nan at index \(1,\)"),
        ([np.inf, 1.0], ValueError, r"`x` must contain only finite values; got inf at index \(0,\)"),
        (["a", "b"], TypeError, r"`x` must be an array of real numbers; got list \['a', 'b'\]"),
        ([1 + 2j, 0], TypeError, r"`x` must be an array of real numbers"),
        ([True, False], TypeError, r"`x` must be an array of real numbers"),
        ([[1.0, 2.0], [3.0]], TypeError, r"`x` must be an array of real numbers; got a ragged sequence"),
    ],
)
def test_bad_points_are_rejected_by_name(x, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        gradient(lambda p: 0.0, x)


def test_f_returning_a_vector_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"`f` must return a scalar; it returned an array of shape \(2,\) at x = \[(1\.99998|2\.00001)\d*, 1\.0\]"):
        gradient(lambda p: p * 2, P)


def test_f_returning_nan_is_rejected_not_propagated() -> None:
    with pytest.raises(ValueError, match=r"`f` returned a non-finite value \(nan\) at x = \["):
        gradient(lambda p: p[0] if p[0] >= 2 else float("nan"), P)  # undefined left of P


def test_f_returning_text_is_rejected() -> None:
    with pytest.raises(TypeError, match=r"`f` must return a real scalar; it returned str 'five'"):
        gradient(lambda p: "five", P)


def test_non_callable_f_is_rejected() -> None:
    with pytest.raises(TypeError, match=r"`f` must be callable; got int 3"):
        gradient(3, P)
