"""The shared argument checks: masked arrays, flags, seeds, bounds."""

import numpy as np
import pytest

from gradient_docs import _validation as iv
from gradient_docs import check_gradient, examples, gradient, hessian, jacobian, relative_error


@pytest.mark.parametrize(
    "call",
    [
        lambda x: iv.as_real_array("x", x),
        lambda x: gradient(lambda p: 0.0, x),
        lambda x: jacobian(lambda p: p, x),
        lambda x: hessian(lambda p: 0.0, x),
        lambda x: check_gradient(examples.f, examples.f_gradient, x),
        lambda x: relative_error(x, [1.0, 2.0]),
    ],
)
def test_masked_arrays_are_refused_everywhere(call) -> None:
    # Finding 16: masked arrays passed with NaN under the mask, and functions disagreed on them.
    masked = np.ma.masked_array([2.0, np.nan], mask=[False, True])
    with pytest.raises(TypeError, match=r"must be a plain array, not a masked array .*\.filled\(\.\.\.\)"):
        call(masked)


@pytest.mark.parametrize("value", [True, False, np.True_])
def test_flags_accept_booleans(value) -> None:
    assert iv.flag("full_output", value) is bool(value)


@pytest.mark.parametrize("value", ["no", 0, 1, None, np.array([True])])
def test_flags_refuse_everything_else(value) -> None:
    with pytest.raises(TypeError, match=r"`full_output` must be True or False; got "):
        iv.flag("full_output", value)


@pytest.mark.parametrize("value", [None, 0, 7, np.int64(3), np.random.default_rng(1)])
def test_seeds_accept_what_default_rng_accepts(value) -> None:
    assert iv.seed("seed", value) is value


@pytest.mark.parametrize("value", [-1, 1.5, "1", True, [1, 2]])
def test_seeds_refuse_everything_else(value) -> None:
    with pytest.raises(TypeError, match=r"`seed` must be None, an int >= 0 or a numpy.random.Generator"):
        iv.seed("seed", value)


def test_bounds_broadcast_and_flatten() -> None:
    x = np.zeros((2, 2))
    lower, upper = iv.bounds("bounds", (-1.0, [[1.0, 2.0], [3.0, np.inf]]), x)
    assert lower.tolist() == [-1.0] * 4 and upper.tolist() == [1.0, 2.0, 3.0, np.inf]
    assert iv.bounds("bounds", None, x) == (None, None)


def test_a_point_on_its_bound_is_inside() -> None:
    lower, upper = iv.bounds("bounds", (0.0, 1.0), np.array([0.0, 1.0]))
    assert lower.tolist() == [0.0, 0.0] and upper.tolist() == [1.0, 1.0]
