"""gradient, derivative, jacobian, hessian, default_step: formulas, steps, bounds, estimates, bad input."""

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from support import EPS, FLOAT_DTYPES, SQUEEZE_PRIME, P, eps_of, squeeze

from gradient_docs import (
    _engine,
    default_step,
    derivative,
    examples,
    gradient,
    hessian,
    jacobian,
    softmax,
    softmax_jacobian,
)
from gradient_docs.finite_diff import METHODS


def roundoff(h: float, f_value: float = 5.0, terms: int = 2) -> float:
    """Bound on the rounding error of a difference quotient: each of `terms` values of f is off
    by at most eps*|f| (with a margin of 4 for the rounding inside f), divided by the step."""
    return terms * 4 * EPS * abs(f_value) / h


# --- the formulas and their steps ------------------------------------------------------------


def test_forward_difference_reproduces_the_notes_with_its_exact_truncation_error() -> None:
    h = 1e-6
    g = gradient(examples.f, P, method="forward", step=h)
    # For this cubic the forward quotient is exactly (10 + 6h + h^2, -2 + h).
    assert np.all(np.abs(g - np.array([10 + 6 * h + h**2, -2 + h])) <= roundoff(h))
    assert np.array2string(g) == "[10.000006 -1.999999]"


def test_central_difference_reproduces_the_notes_and_its_truncation_error_is_h_squared() -> None:
    h = 1e-6
    g = gradient(examples.f, P, method="central", step=h)
    assert np.all(np.abs(g - np.array([10 + h**2, -2.0])) <= roundoff(2 * h))  # f_xxx = 6; quadratic in y
    assert np.array2string(g) == "[10. -2.]"
    assert not np.array_equal(g, [10.0, -2.0])  # "exact" only at numpy's print precision


def test_backward_difference_has_the_mirror_truncation_error() -> None:
    h = 1e-4
    g = gradient(examples.f, P, method="backward", step=h)
    assert np.all(np.abs(g - np.array([10 - 6 * h + h**2, -2 - h])) <= roundoff(h))


@pytest.mark.parametrize(("method", "order"), [("forward", 1), ("backward", 1), ("central", 2)])
def test_error_shrinks_like_h_to_the_order_of_the_method(method: str, order: int) -> None:
    # exp has every derivative equal to itself, so the leading error term never vanishes.
    exact = np.exp(0.3)
    errors = [abs(derivative(np.exp, 0.3, method=method, step=h) - exact) for h in (1e-2, 5e-3)]
    assert errors[0] / errors[1] == pytest.approx(2**order, rel=0.02)


def test_default_step_balances_truncation_and_rounding() -> None:
    assert default_step(np.array([0.5, 3.0]), "forward") == pytest.approx(np.sqrt(EPS) * np.array([1.0, 3.0]))
    assert default_step(np.array([0.5, -3.0]), "central") == pytest.approx(EPS ** (1 / 3) * np.array([1.0, 3.0]))
    eps32 = eps_of(np.float32)
    assert default_step(np.array([2.0], dtype=np.float32), "central")[0] == pytest.approx(2 * eps32 ** (1 / 3))


@pytest.mark.parametrize(("method", "bound"), [("forward", 4e-7), ("backward", 4e-7), ("central", 1e-9)])
def test_default_steps_reach_the_methods_best_accuracy(method: str, bound: float) -> None:
    # Best attainable relative error: ~sqrt(eps) = 1.5e-8 one-sided, ~eps^(2/3) = 3.7e-11 central,
    # times the derivative ratios of this f (|f''| / |f'| = 1.2 at P, |f| / |f'| = 0.5).
    assert np.abs(gradient(examples.f, P, method=method) - examples.f_gradient(P)).max() <= bound


def test_steps_scale_with_the_coordinates() -> None:
    # f = x^2 at x = 1e8: |f| = 1e16, so each value of f carries a rounding error of about 2.
    # Central differences are exact for a quadratic, so rounding is the whole error: eps|f|/h.
    x = np.array([1e8])
    fixed = gradient(lambda p: p[0] ** 2, x, step=1e-6)[0]
    scaled = gradient(lambda p: p[0] ** 2, x)[0]  # h = eps^(1/3) * 1e8 = 606
    assert abs(fixed - 2e8) / 2e8 > 1e-3
    assert abs(scaled - 2e8) / 2e8 <= 4 * EPS * 1e16 / 606 / 2e8


def test_result_has_the_shape_of_x_and_per_coordinate_steps_are_accepted() -> None:
    a = np.arange(6.0).reshape(2, 3)
    assert gradient(lambda m: float(np.sum(m**2)), a) == pytest.approx(2 * a, abs=1e-8)
    g = gradient(examples.f, P, method="forward", step=[1e-6, 1e-4])
    assert g == pytest.approx([10 + 6e-6, -2 + 1e-4], abs=roundoff(1e-6))


def test_float32_points_reach_f_as_float32_and_integers_become_float64() -> None:
    seen = []

    def f(p):
        seen.append(p.dtype)
        return float(np.sum(p**2))

    g = gradient(f, np.array([1.0, 2.0], dtype=np.float32))
    assert set(seen) == {np.dtype(np.float32)}
    assert g == pytest.approx([2.0, 4.0], rel=1e-3)  # float32 central: error ~ eps32^(2/3) = 2.4e-5
    assert gradient(examples.f, [2, 1]) == pytest.approx([10.0, -2.0], rel=1e-9)


def test_f_that_modifies_its_argument_does_not_corrupt_the_point() -> None:
    def f(p):
        value = float(np.sum(p**2))
        p[:] = 1e6
        return value

    x = np.array([1.0, -2.0])
    assert gradient(f, x) == pytest.approx([2.0, -4.0], rel=1e-8)
    assert x.tolist() == [1.0, -2.0]


# --- complex step ---------------------------------------------------------------------------


def test_complex_step_is_exact_to_rounding_at_any_tiny_step() -> None:
    assert np.abs(gradient(examples.f, P, method="complex") - [10.0, -2.0]).max() <= 2 * EPS * 10
    for h in (1e-10, 1e-20, 1e-100, 1e-300):
        assert derivative(squeeze, 1.5, method="complex", step=h) == pytest.approx(SQUEEZE_PRIME, rel=4 * EPS)
    assert gradient(examples.f, P, method="complex", full_output=True).nfev == 2


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_complex_step_works_in_every_float_dtype(dtype) -> None:
    # Finding 7: the step 1e-20 * max(|x|, 1) underflowed to 0 in float16 arithmetic, giving nan.
    x = np.array([0.5, -1.25], dtype=dtype)
    result = gradient(lambda p: np.sum(np.sin(p)), x, method="complex", full_output=True)
    evaluated = eps_of(np.result_type(dtype, np.complex64).type(0).real.dtype)
    assert np.all(np.abs(result.value - np.cos(x.astype(np.float64))) <= result.error)
    assert np.all(result.error <= 4 * evaluated)  # the precision f is evaluated in, not float64's


def test_complex_step_rejects_f_that_drops_or_refuses_the_imaginary_part() -> None:
    import math

    with pytest.raises(ValueError, match=r"`f` returned a real value for a complex input, so method='complex'"):
        gradient(lambda p: float(np.real(p[0] ** 2)), P, method="complex")
    with pytest.raises(
        TypeError, match=r"method='complex' needs an f that accepts complex input .* f raised TypeError"
    ):
        gradient(lambda p: math.exp(complex(p[0]).real) + math.cos(complex(p[0])), P, method="complex")
    with pytest.raises(TypeError, match=r"f raised ComplexWarning"):
        gradient(lambda p: np.float64(p[0]) * 2.0, P, method="complex")


# --- derivative, jacobian, hessian ------------------------------------------------------------


def test_derivative_of_a_scalar_function() -> None:
    assert derivative(np.sin, 0.5) == pytest.approx(np.cos(0.5), rel=1e-10)
    assert derivative(squeeze, 1.5, method="forward") == pytest.approx(SQUEEZE_PRIME, rel=1e-7)
    assert isinstance(derivative(np.sin, 0.5), float)
    with pytest.raises(ValueError, match=r"`x` must be 0-dimensional; got an array of shape \(2,\)"):
        derivative(np.sin, [0.5, 1.0])


@pytest.mark.parametrize("method", METHODS)
def test_jacobian_of_softmax_matches_the_formula(method: str) -> None:
    x = np.array([1.0, 2.0, 3.0, -1.0])
    result = jacobian(softmax, x, method=method, full_output=True)
    assert result.value.shape == result.error.shape == (4, 4)
    assert np.all(np.abs(result.value - softmax_jacobian(x)) <= result.error + 2 * EPS)  # the formula's rounding


def test_jacobian_shape_is_outputs_by_inputs_and_sizes_must_not_change() -> None:
    def f(x):  # R^3 -> R^2
        return np.array([x[0] * x[1], np.sin(x[2])])

    J = jacobian(f, np.array([1.0, 2.0, 0.5]))
    assert J == pytest.approx(np.array([[2.0, 1.0, 0.0], [0.0, 0.0, np.cos(0.5)]]), abs=1e-9)
    with pytest.raises(ValueError, match=r"`f` must return the same number of values at every point"):
        jacobian(lambda x: np.ones(2 if x[0] > 1 else 3), np.array([1.0, 1.0]))


def test_hessian_of_the_notes_function_is_symmetric_accurate_and_costs_what_it_says() -> None:
    result = hessian(examples.f, P, full_output=True)
    assert np.array_equal(result.value, result.value.T)
    # The second differences of a cubic are exact but for rounding, eps|f|/h^2 with h = 1.2e-4 s.
    assert np.all(np.abs(result.value - examples.f_hessian(P)) <= result.error)
    assert np.abs(result.value - examples.f_hessian(P)).max() <= 1e-6
    assert result.nfev == 1 + 2 * 2 + 2 * 2 * 1


def test_hessian_of_log_sum_exp_is_the_softmax_jacobian_and_vectorized_agrees() -> None:
    from gradient_docs import logsumexp

    x = np.array([0.5, -1.0, 2.0])
    H = hessian(lambda z: float(logsumexp(z)), x)
    assert np.abs(H - softmax_jacobian(x)).max() <= 1e-7
    batched = hessian(lambda z: np.asarray(logsumexp(z, axis=-1)), x, vectorized=True)
    assert np.array_equal(H, batched)


@given(arrays(np.float64, 2, elements=st.floats(-10, 10)))
def test_numerical_hessian_of_the_notes_function_is_within_its_error_estimate(p) -> None:
    result = hessian(examples.f, p, full_output=True)
    assert np.array_equal(result.value, result.value.T)
    assert np.all(np.abs(result.value - examples.f_hessian(p)) <= result.error)


def test_hessian_uses_the_messages_of_every_other_function() -> None:
    with pytest.raises(ValueError, match=r"`step` is too small: x\[0\] = 2.0 plus -?1e-30 rounds back to 2.0"):
        hessian(examples.f, P, step=1e-30)
    with pytest.raises(ValueError, match=r"`f` must return a scalar"):
        hessian(lambda p: p, P)
    with pytest.raises(ValueError, match=r"`step` must be > 0"):
        hessian(examples.f, P, step=-1.0)


# --- vectorized evaluation --------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_vectorized_evaluation_gives_the_loops_result_in_small_chunks(method: str, monkeypatch) -> None:
    monkeypatch.setattr(_engine, "CHUNK_ELEMENTS", 16)  # several batches, so their joins are exercised
    batches = []

    def rosenbrock(x):
        batches.append(x.shape)
        a, b = x[..., :-1], x[..., 1:]
        return np.sum(100.0 * (b - a * a) ** 2 + (1.0 - a) ** 2, axis=-1)

    x = np.random.default_rng(5).uniform(-2, 2, size=7)
    loop = gradient(rosenbrock, x, method=method)
    loop_calls = len(batches)
    batches.clear()
    assert np.array_equal(loop, gradient(rosenbrock, x, method=method, vectorized=True))
    assert len(batches) < loop_calls
    assert all(shape[0] * shape[1] <= 16 or shape[0] == 1 for shape in batches)


@given(arrays(np.float64, st.integers(1, 12), elements=st.floats(-3, 3)), st.sampled_from(METHODS))
def test_vectorized_and_one_point_at_a_time_agree_exactly(x, method) -> None:
    def f(z):
        return np.sum(np.sin(z) * np.exp(-z * z / 4), axis=-1)

    assert np.array_equal(gradient(f, x, method=method), gradient(f, x, method=method, vectorized=True))


def test_nfev_counts_each_fixed_stencil() -> None:
    x = np.arange(1.0, 6.0)
    expected = {"forward": 6, "backward": 6, "central": 10, "complex": 5}
    for method, count in expected.items():
        assert gradient(lambda p: np.sum(p**2), x, method=method, full_output=True).nfev == count


# --- error estimates, pinned (every method, every float dtype) --------------------------------


def exp_family(draw, dtype):
    """f(x) = sum_k c_k exp(a_k x_k), c_k > 0 of any magnitude, a_k = +-1, |x_k| <= 1.

    Its derivatives satisfy the error model's assumption exactly (|f^(j)| = |f'| on the scale
    s = max(|x|, 1) = 1), and with c_k > 0 nothing cancels, so |f| bounds the size of every term.
    """
    n = draw(st.integers(1, 4))
    c = np.array(draw(st.lists(st.floats(-3, 3), min_size=n, max_size=n)))
    a = np.array(draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=n, max_size=n)))
    x = np.array(draw(st.lists(st.floats(-1, 1), min_size=n, max_size=n))).astype(dtype)
    scale = 10.0**c

    def f(p):
        real = p.real.dtype if p.dtype.kind == "c" else p.dtype
        return np.sum(scale.astype(real) * np.exp(a.astype(real) * p))

    wide = x.astype(np.longdouble)
    exact = (scale.astype(np.longdouble) * a * np.exp(a * wide)).astype(np.float64)
    return f, x, exact


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("method", METHODS)
@given(data=st.data())
def test_error_estimate_bounds_the_true_error(method, dtype, data) -> None:
    f, x, exact = exp_family(data.draw, dtype)
    result = gradient(f, x, method=method, full_output=True)
    true = np.abs(result.value - exact)
    assert np.all(true <= result.error), (true, result.error)


@pytest.mark.parametrize("method", ["forward", "backward", "central"])
@given(data=st.data())
def test_truncation_part_of_the_estimate_is_the_true_truncation_within_one_percent(method, data) -> None:
    # At a step where truncation dominates (h = 1e-3 one-sided, 1e-2 central), the model's
    # leading Taylor term is exact for this family; the next term is h/3 (one-sided) or h^2/20
    # (central) of it, 3e-4 and 5e-6. So the estimate lies within 1% (plus its rounding part)
    # of the true error: scaling the truncation term by 0.99 or 1.01 fails this test.
    f, x, exact = exp_family(data.draw, np.float64)
    h = 1e-3 if method != "central" else 1e-2
    result = gradient(f, x, method=method, step=h, full_output=True)
    true = np.abs(result.value - exact)
    rounding = 2 * 2 * EPS * (abs(f(x)) + np.sum(np.abs(x * exact))) / h
    assert np.all(true <= 1.01 * result.error)
    assert np.all(result.error <= 1.01 * true + rounding)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("method", METHODS)
@given(data=st.data())
def test_error_estimate_is_not_absurdly_loose(method, dtype, data) -> None:
    # The estimate is a truncation term (the true one, to leading order, for this family) plus a
    # rounding bound rho eps (|f| + sum |x_k f_k|) / h, at most 2 rho eps |f| / h here. A
    # difference quotient at step h cannot be more accurate than about eps |f| / h (its values
    # carry that much rounding), so the estimate exceeds max(true error, eps |f| / h_min) by at
    # most 2 rho times the extrapolation's amplification (<= 4, see richardson.py): 64 covers it.
    # The complex step has no cancellation: its bound is 2 eps |f'|.
    f, x, exact = exp_family(data.draw, dtype)
    result = gradient(f, x, method=method, full_output=True)
    true = np.abs(result.value - exact)
    if method == "complex":
        evaluated = eps_of(np.result_type(dtype, np.complex64).type(0).real.dtype)
        assert np.all(result.error <= 2 * evaluated * np.abs(result.value))
        return
    smallest = result.step * (1.6**-60 if method == "richardson" else 1.0)
    floor = eps_of(dtype) * abs(float(f(x))) / np.maximum(smallest, np.abs(x) * eps_of(dtype))
    assert np.all(result.error <= 64 * np.maximum(true, floor))


def test_derivative_repr_names_method_cost_worst_estimate_and_value() -> None:
    result = gradient(examples.f, P, method="complex", full_output=True)
    assert repr(result) == "Derivative(method='complex', nfev=2, max error estimate=4.44e-15, value=array([10., -2.]))"


# --- bounds -------------------------------------------------------------------------------------


def guarded(f, lower, upper):
    """f that raises if evaluated outside [lower, upper] (to the last bit)."""

    def inside_only(p):
        real = np.real(p)
        if np.any(real < lower) or np.any(real > upper):
            raise AssertionError(f"evaluated outside the bounds at {real}")
        return f(p)

    return inside_only


def smooth(p):
    return np.sum(np.sin(3 * p) + p**3)


@pytest.mark.parametrize("method", METHODS)
@given(data=st.data())
def test_no_method_evaluates_outside_the_bounds(method, data) -> None:
    n = data.draw(st.integers(1, 4))
    lower = np.array(data.draw(st.lists(st.floats(-5, 5), min_size=n, max_size=n)))
    width = np.array(data.draw(st.lists(st.floats(1e-3, 10), min_size=n, max_size=n)))
    upper = lower + width
    where = np.array(
        data.draw(st.lists(st.sampled_from([0.0, 1e-12, 1e-6, 0.3, 1 - 1e-9, 1.0]), min_size=n, max_size=n))
    )
    x = np.clip(lower + where * width, lower, upper)
    f = guarded(smooth, lower, upper)
    exact = 3 * np.cos(3 * x) + 3 * x**2
    # Every stencil is one-sided of the method's order, or the method's own, at its default step:
    # at worst a one-sided first-order quotient, error ~ sqrt(eps) |f''| ~ 1e-6 here.
    assert np.abs(gradient(f, x, method=method, bounds=(lower, upper)) - exact).max() <= 1e-5 * (
        1 + np.abs(exact).max()
    )
    jacobian(guarded(lambda p: np.array([smooth(p), p[0]]), lower, upper), x, method=method, bounds=(lower, upper))
    if n == 1:
        derivative(f, x[0], method=method, bounds=(lower[0], upper[0]))
    hessian(guarded(smooth, lower, upper), x, bounds=(lower, upper))


def test_one_sided_formulas_near_a_bound_keep_their_order_and_report_their_error() -> None:
    # exp(x), defined here for x >= 0 only: central differences at x = 1e-9 would step below 0.
    # It varies on the scale 1 the error model assumes, so the estimates bound the errors, and
    # the one-sided stencil of central differences, (-3 f0 + 4 f1 - f2) / 2h, keeps order 2.
    f = guarded(lambda p: float(np.sum(np.exp(p))), 0.0, np.inf)
    x = np.array([1e-6, 1e-9, 0.0, 0.5])
    for method in ("central", "forward", "backward", "richardson"):
        result = gradient(f, x, method=method, bounds=(0.0, np.inf), full_output=True)
        assert np.all(np.abs(result.value - np.exp(x)) <= result.error), method
    errors = [abs(gradient(f, [0.0], step=h, bounds=(0.0, 1.0))[0] - 1.0) for h in (1e-2, 5e-3)]
    assert errors[0] / errors[1] == pytest.approx(4, rel=0.02)  # h^2, not h

    # sqrt(x)^3 near 0 varies on the scale of x itself: the adaptive method shrinks its steps to
    # it, one-sided, from h = 0.5. f also carries the term 4^1.5 = 8 of the other coordinate, whose
    # rounding (eps * 8) over steps below 1e-6 limits coordinate 0 to about 1e-4 relative.
    g = guarded(lambda p: float(np.sum(np.sqrt(p) ** 3)), 0.0, np.inf)
    x = np.array([1e-6, 4.0])
    result = gradient(g, x, method="richardson", bounds=(0.0, np.inf), full_output=True)
    assert np.all(np.abs(result.value - 1.5 * np.sqrt(x)) <= result.error)
    assert np.all(result.error <= 1e-3 * 1.5 * np.sqrt(x))


def test_point_outside_its_bounds_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match=r"`x` must lie within `bounds`; got x\[1\] = 1.0 outside \[0.0, 0.5\]"):
        gradient(examples.f, P, bounds=(0.0, [np.inf, 0.5]))
    with pytest.raises(ValueError, match=r"`bounds` must have lower < upper; got lower 1.0 and upper 1.0"):
        gradient(examples.f, P, bounds=(1.0, 1.0))
    with pytest.raises(TypeError, match=r"`bounds` must be a pair \(lower, upper\); got float 1.0"):
        gradient(examples.f, P, bounds=1.0)
    with pytest.raises(ValueError, match=r"`bounds` upper must be a scalar or broadcast to the shape of `x` \(2,\)"):
        gradient(examples.f, P, bounds=(0.0, [1.0, 2.0, 3.0]))
    with pytest.raises(TypeError, match=r"`bounds` lower must be real numbers \(inf allowed, not nan\)"):
        gradient(examples.f, P, bounds=(np.nan, 3.0))


# --- bad input and the findings of issue 9 ----------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"method": "sideways"}, ValueError, r"`method` must be one of 'central', 'forward', .*; got 'sideways'"),
        ({"step": 0.0}, ValueError, r"`step` must be > 0; got 0.0"),
        ({"step": -1e-3}, ValueError, r"`step` must be > 0; got -0.001"),
        ({"step": [1e-3] * 3}, ValueError, r"`step` must be a scalar or broadcast to the shape of `x` \(2,\)"),
        ({"step": np.nan}, ValueError, r"`step` must contain only finite values"),
        ({"step": 1e-30}, ValueError, r"`step` is too small: x\[0\] = 2.0 plus -?1e-30 rounds back to 2.0 in float64"),
        ({"step_scale": 0.0}, ValueError, r"`step_scale` must be > 0; got 0.0"),
        ({"step_scale": 1e-300}, ValueError, r"`step_scale` is too small: x\[0\] = 2.0 plus"),  # finding 13
        ({"vectorized": "yes"}, TypeError, r"`vectorized` must be True or False; got str 'yes'"),
        ({"full_output": "no"}, TypeError, r"`full_output` must be True or False; got str 'no'"),  # finding 15
    ],
)
def test_bad_options_are_rejected_by_name(kwargs: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        gradient(examples.f, P, **kwargs)


def test_method_names_in_the_message_come_from_the_table() -> None:
    listed = ", ".join(repr(m) for m in METHODS)
    with pytest.raises(ValueError, match=re.escape(f"`method` must be one of {listed}; got 'secant'")):
        jacobian(examples.f, P, method="secant")


def test_default_step_names_its_own_argument() -> None:
    with pytest.raises(ValueError, match=r"`scale` must be > 0; got -1"):  # finding 13
        default_step(P, "central", scale=-1)


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
        (np.ma.masked_array([1.0, np.nan], mask=[False, True]), TypeError, r"`x` must be a plain array, not a masked"),
    ],
)
def test_bad_points_are_rejected_by_name(x, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        gradient(lambda p: 0.0, x)


def test_derivative_names_f_when_it_is_not_callable() -> None:
    with pytest.raises(TypeError, match=r"`f` must be callable; got NoneType None"):  # finding 12
        derivative(None, 1.0)
    with pytest.raises(TypeError, match=r"`f` must be callable; got int 3"):
        gradient(3, P)


def test_an_exception_inside_f_says_where_f_was_evaluated_and_chains_the_original() -> None:
    def fails_right_of_two(p):  # finding 18
        if p[0] > 2.0:
            raise KeyError("no data there")
        return examples.f(p)

    with pytest.raises(KeyError, match=r"`f` raised KeyError at x = \[2.0000\d+, 1.0\]: 'no data there'") as info:
        gradient(fails_right_of_two, P)
    assert isinstance(info.value.__cause__, KeyError) and info.value.__cause__.args == ("no data there",)
    with pytest.raises(ZeroDivisionError, match=r"at a batch of 4 points, the first at x = \["):
        gradient(lambda p: 1 / 0, P, vectorized=True)


@pytest.mark.parametrize(
    ("f", "error", "match"),
    [
        (lambda p: p * 2, ValueError, r"`f` must return a scalar; it returned an array of shape \(2,\) at x = \["),
        (lambda p: p[0] if p[0] >= 2 else float("nan"), ValueError, r"`f` returned a non-finite value \(nan\) at x"),
        (lambda p: "five", TypeError, r"`f` must return a real scalar; it returned str 'five'"),
    ],
)
def test_bad_values_of_f_are_rejected_not_propagated(f, error, match) -> None:
    with pytest.raises(error, match=match):
        gradient(f, P)
