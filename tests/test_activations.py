"""sigmoid, sigmoid_grad, relu, relu_grad: values against 60-digit references, every dtype, complex step."""

from decimal import Decimal, localcontext

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays
from support import EPS, FLOAT_DTYPES, finite_floats

import gradient_docs
from gradient_docs import check_gradient
from gradient_docs.activations import relu, relu_grad, sigmoid, sigmoid_grad

TINY = 5e-324  # float64's smallest subnormal: the absolute error floor where a result underflows


def reference_sigmoid(z: float) -> Decimal:
    """sigma(z) in 60 digits, in the form that neither overflows nor underflows early."""
    with localcontext() as context:
        context.prec = 60
        t = Decimal(-abs(z)).exp()
        return 1 / (1 + t) if z >= 0 else t / (1 + t)


@given(finite_floats())
def test_sigmoid_and_its_derivative_match_60_digit_references_at_every_magnitude(z: float) -> None:
    # sigmoid: exp (1 ulp), 1 + t (1/2), one division (1/2) -> 2 ulps; sigma' adds a product
    # and a division -> 3 ulps. Where the result is subnormal, an absolute error of 2 TINY.
    s, ds = reference_sigmoid(z), reference_sigmoid(z) * reference_sigmoid(-z)
    assert abs(float(sigmoid(np.array([z]))[0]) - float(s)) <= 4 * EPS * float(s) + 2 * TINY
    assert abs(float(sigmoid_grad(np.array([z]))[0]) - float(ds)) <= 6 * EPS * float(ds) + 2 * TINY


def test_sigmoid_grad_keeps_the_digits_that_s_times_one_minus_s_loses() -> None:
    s = sigmoid(np.array([40.0]))
    assert (s * (1 - s)).tolist() == [0.0]  # 1 - s rounds to 0
    assert float(sigmoid_grad(np.array([40.0]))[0]) == pytest.approx(float(reference_sigmoid(-40.0)), rel=4 * EPS)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("function", [sigmoid, sigmoid_grad, relu, relu_grad])
def test_every_float_dtype_is_kept_and_accurate_in_it(function, dtype) -> None:
    z = np.linspace(-12.0, 12.0, 97).astype(dtype)
    out = function(z)
    assert out.dtype == dtype
    exact = function(z.astype(np.float64))  # the float64 result at the same (rounded) inputs
    # rounding the float64 result to dtype costs 1/2 ulp, computing in dtype a few more
    eps, tiny = float(np.finfo(dtype).eps), float(np.finfo(dtype).smallest_subnormal)
    assert np.all(np.abs(out - exact) <= 4 * eps * np.abs(exact) + 2 * tiny)


@given(arrays(np.float64, array_shapes(max_dims=2, max_side=5), elements=finite_floats(30.0)))
def test_the_complex_step_through_sigmoid_gives_sigmoid_grad(z) -> None:
    # Im sigma(z + ih) / h = sigma'(z) - O(h^2 sigma'''); h = 1e-20 leaves only rounding, a few ulps.
    h = 1e-20
    step = np.imag(sigmoid(z + 1j * h)) / h
    assert np.all(np.abs(step - sigmoid_grad(z)) <= 8 * EPS * np.abs(sigmoid_grad(z)) + 2 * TINY)


@given(arrays(np.float64, st.integers(1, 6), elements=finite_floats(20.0)))
def test_sigmoid_grad_and_relu_grad_pass_the_gradient_check(z) -> None:
    assert check_gradient(lambda x: float(np.sum(sigmoid(x))), sigmoid_grad, z).passed
    away = np.where(np.abs(z) < 0.1, 0.5, z)  # the kink of relu at 0 is no place for a check
    assert check_gradient(lambda x: float(np.sum(relu(x))), relu_grad, away).passed


def test_relu_values_and_the_subgradient_zero_at_the_kink() -> None:
    assert relu([-2.0, 0.0, 3.0]).tolist() == [0.0, 0.0, 3.0]
    assert relu_grad([-2.0, -0.0, 0.0, 3.0]).tolist() == [0.0, 0.0, 0.0, 1.0]
    assert relu_grad(np.array([1, -1])).dtype == np.float64  # integers become float64


def test_sigmoid_is_still_importable_from_the_package() -> None:
    assert gradient_docs.sigmoid is sigmoid
    assert "sigmoid" in gradient_docs.__all__


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: relu([1j]), TypeError, r"`z` must be an array of real numbers; got list"),
        (lambda: relu_grad(np.array([1 + 0j])), TypeError, r"`z` must be an array of real numbers"),
        (lambda: sigmoid([np.nan]), ValueError, r"`z` must contain only finite values; got nan at index \(0,\)"),
        (lambda: sigmoid_grad(["a"]), TypeError, r"`z` must be an array of real numbers"),
        (lambda: relu([]), ValueError, r"`z` must not be empty"),
    ],
)
def test_bad_input_is_rejected_by_name(call, error, match) -> None:
    with pytest.raises(error, match=match):
        call()
