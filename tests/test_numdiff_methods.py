"""Complex step, Richardson, step_scale, vectorized evaluation, derivative, jacobian, hessian."""

import numpy as np
import pytest

from gradient_docs import (
    Derivative,
    derivative,
    examples,
    gradient,
    hessian,
    jacobian,
    softmax,
    softmax_jacobian,
)
from gradient_docs import finite_diff

EPS = np.finfo(np.float64).eps
P = np.array([2.0, 1.0])


def squeeze(t):
    return np.exp(t) / np.sqrt(np.sin(t) ** 3 + np.cos(t) ** 3)


# f'(1.5) of exp(t)/sqrt(sin^3 t + cos^3 t), from the closed form evaluated with mpmath at 40 digits
SQUEEZE_PRIME = 4.05342789389862


def test_complex_step_is_exact_to_rounding_on_the_notes_function() -> None:
    # Im f(x + ih e_k)/h = df/dx_k - h^2 f'''/6 + ...; with h = 1e-20 only rounding is left.
    g = gradient(examples.f, P, method="complex")
    assert np.abs(g - [10.0, -2.0]).max() <= 2 * EPS * 10


def test_complex_step_has_no_cancellation_at_any_tiny_step() -> None:
    for h in (1e-10, 1e-20, 1e-100, 1e-300):
        assert derivative(squeeze, 1.5, method="complex", step=h) == pytest.approx(SQUEEZE_PRIME, rel=4 * EPS)


def test_complex_step_costs_n_evaluations() -> None:
    result = gradient(examples.f, P, method="complex", full_output=True)
    assert isinstance(result, Derivative) and result.nfev == 2


def test_complex_step_rejects_f_that_drops_the_imaginary_part() -> None:
    with pytest.raises(ValueError, match=r"`f` returned a real value for a complex input, so method='complex' cannot work"):
        gradient(lambda p: float(np.real(p[0] ** 2)), P, method="complex")
    with pytest.raises(ValueError, match=r"returned a real value for a complex input"):
        gradient(lambda p: np.abs(p[0]) ** 2, P, method="complex")


def test_complex_step_rejects_f_that_cannot_take_complex_input() -> None:
    import math

    with pytest.raises(TypeError, match=r"method='complex' needs an f that accepts complex input .* f raised TypeError"):
        gradient(lambda p: math.exp(complex(p[0]).real) + math.cos(complex(p[0])), P, method="complex")
    with pytest.raises(TypeError, match=r"f raised ComplexWarning"):
        gradient(lambda p: np.float64(p[0]) * 2.0, P, method="complex")


def test_richardson_reaches_1e_13_and_its_error_estimate_bounds_the_true_error() -> None:
    result = derivative(squeeze, 1.5, method="richardson", full_output=True)
    true_error = abs(result.value - SQUEEZE_PRIME)
    assert true_error <= 1e-13 * SQUEEZE_PRIME + 8 * EPS  # the reference itself is rounded
    assert true_error <= result.error
    assert result.nfev == 10


def test_richardson_works_one_point_at_a_time_and_vectorized_alike() -> None:
    calls = []

    def one_point_only(p):
        assert p.shape == (2,)  # never a batch
        calls.append(1)
        return examples.f(p)

    g = gradient(one_point_only, P, method="richardson")
    assert len(calls) == 2 * finite_diff.RICHARDSON_LEVELS * 2
    assert g == pytest.approx([10.0, -2.0], abs=1e-12)
    assert gradient(examples.f, P, method="richardson", vectorized=True) == pytest.approx(g, abs=1e-14)


@pytest.mark.parametrize("method", ["forward", "central", "richardson"])
def test_step_scale_makes_a_narrow_function_differentiable(method: str) -> None:
    # tanh((x - 1)/1e-6) near 1: |x| = 1 suggests steps of 1e-8 to 0.1, all far too large.
    def narrow(p):
        return float(np.sum(np.tanh((p - 1.0) / 1e-6)))

    x = 1.0 + np.array([3e-7, -5e-7])
    exact = 1e6 / np.cosh((x - 1.0) / 1e-6) ** 2
    blind = gradient(narrow, x, method=method)
    told = gradient(narrow, x, method=method, step_scale=1e-6)
    assert np.abs(blind - exact).max() / exact.max() > 1e-3
    bound = {"forward": 1e-6, "central": 1e-9, "richardson": 1e-11}[method]
    assert np.abs(told - exact).max() / exact.max() <= bound


@pytest.mark.parametrize("method", ["forward", "backward", "central", "complex", "richardson"])
def test_vectorized_evaluation_gives_the_loops_result(method: str, monkeypatch) -> None:
    # Small chunks, so that several batches are needed and their joins are exercised.
    monkeypatch.setattr(finite_diff, "CHUNK_ELEMENTS", 16)
    batches = []

    def rosenbrock(x):
        batches.append(x.shape)
        a, b = x[..., :-1], x[..., 1:]
        return np.sum(100.0 * (b - a * a) ** 2 + (1.0 - a) ** 2, axis=-1)

    x = np.random.default_rng(5).uniform(-2, 2, size=7)
    loop = gradient(rosenbrock, x, method=method)
    loop_calls = len(batches)
    batches.clear()
    batched = gradient(rosenbrock, x, method=method, vectorized=True)
    assert np.array_equal(loop, batched)
    assert len(batches) < loop_calls
    assert all(shape[0] * shape[1] <= 16 or shape[0] == 1 for shape in batches)


def test_vectorized_f_with_a_wrong_output_shape_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"`f` \(vectorized\) must return shape \(4,\) for 4 points; got shape \(\)"):
        gradient(lambda x: float(np.sum(x)), P, vectorized=True)


def test_nfev_counts_each_method() -> None:
    x = np.arange(1.0, 6.0)
    expected = {"forward": 6, "backward": 6, "central": 10, "complex": 5, "richardson": 50}
    for method, count in expected.items():
        assert gradient(lambda p: np.sum(p**2), x, method=method, full_output=True).nfev == count


def test_derivative_of_a_scalar_function() -> None:
    assert derivative(np.sin, 0.5) == pytest.approx(np.cos(0.5), rel=1e-10)
    assert derivative(squeeze, 1.5, method="forward") == pytest.approx(SQUEEZE_PRIME, rel=1e-7)
    assert isinstance(derivative(np.sin, 0.5), float)
    with pytest.raises(ValueError, match=r"`x` must be 0-dimensional; got an array of shape \(2,\)"):
        derivative(np.sin, [0.5, 1.0])


@pytest.mark.parametrize("method", ["forward", "central", "complex", "richardson"])
def test_jacobian_of_softmax_matches_the_formula(method: str) -> None:
    x = np.array([1.0, 2.0, 3.0, -1.0])
    J = jacobian(softmax, x, method=method)
    bound = {"forward": 1e-7, "central": 1e-10, "complex": 1e-16, "richardson": 1e-12}[method]
    assert J.shape == (4, 4)
    assert np.abs(J - softmax_jacobian(x)).max() <= bound


def test_jacobian_shape_is_outputs_by_inputs() -> None:
    def f(x):  # R^3 -> R^2
        return np.array([x[0] * x[1], np.sin(x[2])])

    x = np.array([1.0, 2.0, 0.5])
    J = jacobian(f, x)
    assert J.shape == (2, 3)
    assert J == pytest.approx(np.array([[2.0, 1.0, 0.0], [0.0, 0.0, np.cos(0.5)]]), abs=1e-9)


def test_jacobian_rejects_outputs_that_change_size() -> None:
    with pytest.raises(ValueError, match=r"`f` must return the same number of values at every point"):
        jacobian(lambda x: np.ones(2 if x[0] > 1 else 3), np.array([1.0, 1.0]))


def test_hessian_of_the_notes_function_is_symmetric_and_accurate() -> None:
    result = hessian(examples.f, P, full_output=True)
    H = result.value
    assert np.array_equal(H, H.T)
    # The second differences of a cubic are exact but for rounding, eps|f|/h^2 with h = 1.2e-4 s.
    assert np.abs(H - examples.f_hessian(P)).max() <= 1e-6
    assert np.all(np.abs(H - examples.f_hessian(P)) <= result.error)
    assert result.nfev == 1 + 2 * 2 + 2 * 2 * 1


def test_hessian_of_log_sum_exp_is_the_softmax_jacobian() -> None:
    from gradient_docs import logsumexp

    x = np.array([0.5, -1.0, 2.0])
    assert np.abs(hessian(lambda z: float(logsumexp(z)), x) - softmax_jacobian(x)).max() <= 1e-7


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: gradient(examples.f, P, step_scale=0.0), ValueError, r"`step_scale` must be > 0; got 0.0"),
        (lambda: gradient(examples.f, P, vectorized="yes"), TypeError, r"`vectorized` must be True or False; got 'yes'"),
        (lambda: hessian(examples.f, P, step=-1.0), ValueError, r"`step` must be > 0"),
        (lambda: hessian(lambda p: p, P), ValueError, r"`f` must return a scalar"),
        (lambda: jacobian(examples.f, P, method="secant"), ValueError, r"`method` must be one of"),
    ],
)
def test_bad_options_are_rejected_by_name(call, error, match) -> None:
    with pytest.raises(error, match=match):
        call()
