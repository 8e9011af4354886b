"""Input validation shared by every public function.

Each helper names the argument it checks, says what was expected and what was given, and
returns the normalised value, so the public functions stay free of checking code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


def describe(value: Any) -> str:
    """A short description of what the caller passed, for error messages."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"{type(value).__name__} {value!r}"[:120]


def as_real_array(
    name: str, value: Any, *, ndim: int | None = None, min_ndim: int = 0, complex_ok: bool = False
) -> np.ndarray:
    """Return `value` as a finite, non-empty floating-point array, or raise.

    Integers are converted to float64; float16/32/64 arrays keep their precision. `ndim`
    requires an exact number of dimensions, `min_ndim` a minimum. `complex_ok` lets complex
    arrays through, for functions that are real-analytic and so can be differentiated by the
    complex step.

    Raises
    ------
    TypeError
        `value` is not numeric (strings, objects, booleans, complex numbers).
    ValueError
        Wrong number of dimensions, empty, or containing NaN or infinity.
    """
    if isinstance(value, np.ma.MaskedArray):
        raise TypeError(
            f"`{name}` must be a plain array, not a masked array (its masked entries would be used as they are);"
            f" pass `{name}.filled(...)` or `{name}.compressed()`."
        )
    if isinstance(value, np.ndarray):
        array = value
    else:
        try:
            array = np.asarray(value)
        except ValueError as exc:  # ragged nested sequences
            raise TypeError(f"`{name}` must be an array of real numbers; got a ragged sequence ({exc}).") from exc
    kind = array.dtype.kind  # b bool, i/u integer, f float, c complex
    if kind not in ("iuf" + ("c" if complex_ok else "")):
        raise TypeError(f"`{name}` must be an array of real numbers; got {describe(value)}.")
    if kind in "iu":
        array = array.astype(np.float64)
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"`{name}` must be {ndim}-dimensional; got an array of shape {array.shape}.")
    if array.ndim < min_ndim:
        raise ValueError(f"`{name}` must have at least {min_ndim} dimension(s); got an array of shape {array.shape}.")
    if array.size == 0:
        raise ValueError(f"`{name}` must not be empty; got an array of shape {array.shape}.")
    finite = np.isfinite(array)
    if not finite.all():
        bad = np.argwhere(~finite)[0]
        where = tuple(int(i) for i in bad)
        raise ValueError(
            f"`{name}` must contain only finite values; got {array[where]} at index {where}"
            f" ({int((~finite).sum())} non-finite of {array.size})."
        )
    return array


def same_shape(name_a: str, a: np.ndarray, name_b: str, b: np.ndarray) -> None:
    """Raise ValueError unless `a` and `b` have the same shape."""
    if a.shape != b.shape:
        raise ValueError(f"`{name_a}` and `{name_b}` must have the same shape; got {a.shape} and {b.shape}.")


def matching_arrays(name_a: str, a: Any, name_b: str, b: Any, *, min_ndim: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Validate two arrays that must have the same shape (a target and a prediction)."""
    a = as_real_array(name_a, a, min_ndim=min_ndim)
    b = as_real_array(name_b, b, min_ndim=min_ndim)
    same_shape(name_a, a, name_b, b)
    return a, b


def choice(name: str, value: Any, allowed: tuple[str, ...]) -> str:
    """Raise ValueError unless `value` is one of the strings in `allowed`."""
    if not isinstance(value, str) or value not in allowed:
        options = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"`{name}` must be one of {options}; got {value!r}.")
    return value


def axis_index(name: str, axis: Any, ndim: int) -> int:
    """Return `axis` as a non-negative index into `ndim` dimensions, or raise."""
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"`{name}` must be an integer; got {describe(axis)}.")
    if not -ndim <= axis < ndim:
        raise ValueError(f"`{name}` must be in [{-ndim}, {ndim - 1}] for a {ndim}-dimensional input; got {axis}.")
    return int(axis) % ndim


def flag(name: str, value: Any) -> bool:
    """Return `value` as a bool; only True, False and numpy booleans are accepted."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"`{name}` must be True or False; got {describe(value)}.")
    return bool(value)


def seed(name: str, value: Any) -> Any:
    """Accept None, an int >= 0 or a numpy Generator (what numpy.random.default_rng takes)."""
    if value is None or isinstance(value, np.random.Generator):
        return value
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 0:
        raise TypeError(f"`{name}` must be None, an int >= 0 or a numpy.random.Generator; got {describe(value)}.")
    return value


def bounds(name: str, value: Any, x: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Validate `(lower, upper)` for `x`: broadcast to x's shape, flattened, float64; x inside.

    Either limit may be infinite (use -inf or inf for "no limit"); None returns (None, None).
    """
    if value is None:
        return None, None
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise TypeError(f"`{name}` must be a pair (lower, upper); got {describe(value)}.")
    limits = []
    for side, limit in zip(("lower", "upper"), value):
        array = np.asarray(limit)
        if array.dtype.kind not in "iuf" or np.isnan(array).any():
            raise TypeError(f"`{name}` {side} must be real numbers (inf allowed, not nan); got {describe(limit)}.")
        try:
            limits.append(np.broadcast_to(array.astype(np.float64), x.shape).ravel())
        except ValueError:
            raise ValueError(
                f"`{name}` {side} must be a scalar or broadcast to the shape of `x` {x.shape}; got shape {array.shape}."
            ) from None
    lower, upper = limits
    if not np.all(lower < upper):
        k = int(np.flatnonzero(~(lower < upper))[0])
        raise ValueError(f"`{name}` must have lower < upper; got lower {lower[k]} and upper {upper[k]} at index {k}.")
    flat = x.ravel().astype(np.float64)
    outside = (flat < lower) | (flat > upper)
    if outside.any():
        k = int(np.flatnonzero(outside)[0])
        where = tuple(int(i) for i in np.unravel_index(k, x.shape))
        raise ValueError(
            f"`x` must lie within `{name}`; got x{list(where)} = {flat[k]} outside [{lower[k]}, {upper[k]}]."
        )
    return lower, upper


def positive_step(name: str, step: Any, shape: tuple[int, ...]) -> np.ndarray:
    """Return `step` broadcast to `shape`; every entry must be finite and > 0."""
    steps = as_real_array(name, step)
    if np.any(steps <= 0):
        raise ValueError(f"`{name}` must be > 0; got {steps.min()}.")
    try:
        return np.broadcast_to(steps, shape).astype(np.float64)
    except ValueError:
        raise ValueError(
            f"`{name}` must be a scalar or broadcast to the shape of `x` {shape}; got shape {steps.shape}."
        ) from None


def callable_arg(name: str, value: Any) -> Callable:
    """Raise TypeError unless `value` can be called."""
    if not callable(value):
        raise TypeError(f"`{name}` must be callable; got {describe(value)}.")
    return value


def scalar_result(name: str, value: Any, at: np.ndarray) -> float:
    """Check that a function returned one finite real number at the point `at`."""
    try:
        array = np.asarray(value)
    except ValueError as exc:
        raise TypeError(f"`{name}` must return a real scalar; got a ragged sequence ({exc}).") from exc
    if array.ndim != 0:
        raise ValueError(f"`{name}` must return a scalar; it returned an array of shape {array.shape} at {point(at)}.")
    if array.dtype == bool or not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
        raise TypeError(f"`{name}` must return a real scalar; it returned {describe(value)}.")
    result = float(array)
    if not np.isfinite(result):
        raise ValueError(f"`{name}` returned a non-finite value ({result}) at {point(at)}.")
    return result


def point(at: np.ndarray) -> str:
    """Name a point in an error message without printing a huge array."""
    if at.size <= 8:
        return f"x = {at.tolist()}"
    return f"a point of shape {at.shape}"


def within(name: str, a: np.ndarray, low: float, high: float, what: str) -> np.ndarray:
    """Raise ValueError unless every entry of `a` lies in [low, high]."""
    bad = (a < low) | (a > high)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"`{name}` must contain {what} in [{low:g}, {high:g}]; got {a[where]} at index {where}.")
    return a


def labels(name: str, a: np.ndarray, allowed: tuple[float, ...]) -> np.ndarray:
    """Raise ValueError unless every entry of `a` is one of `allowed`."""
    bad = ~np.isin(a, allowed)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        options = ", ".join(f"{v:g}" for v in allowed)
        raise ValueError(f"`{name}` must contain only the labels {{{options}}}; got {a[where]} at index {where}.")
    return a


#: Tolerance on the sum of a probability vector: rows summing to 1 within this are accepted.
PROBABILITY_ATOL = 1e-6


def probability_rows(name: str, a: np.ndarray) -> np.ndarray:
    """Raise ValueError unless `a` holds probability vectors along its last axis."""
    within(name, a, 0.0, 1.0, "probabilities")
    sums = a.sum(axis=-1)
    bad = np.abs(sums - 1.0) > PROBABILITY_ATOL
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(np.atleast_1d(bad))[0])
        raise ValueError(
            f"`{name}` must hold probability vectors along its last axis (summing to 1 within "
            f"{PROBABILITY_ATOL:g}); row {where} sums to {np.atleast_1d(sums)[where]:.9g}."
        )
    return a


def positive_scalar(name: str, value: Any) -> float:
    """Return `value` as a float, or raise unless it is a finite number > 0."""
    array = as_real_array(name, value, ndim=0)
    if not array > 0:
        raise ValueError(f"`{name}` must be > 0; got {float(array)}.")
    return float(array)


# Helpers for the losses and activations (added after the ones above, which other modules share).


def real_input(name: str, value: Any, *, min_ndim: int = 0) -> np.ndarray:
    """Return `value` as a finite float64 array for a loss, or raise.

    Losses compute in float64 whatever the input's float dtype (float16 and float32 inputs are
    converted exactly), and take real input only: complex input is refused with a message that
    says why, instead of the generic one.
    """
    if np.iscomplexobj(value):
        raise TypeError(
            f"`{name}` must be real; got {describe(value)}. Losses take real input only: the complex"
            " step does not apply to them (they compare, clip and take absolute values)."
        )
    return as_real_array(name, value, min_ndim=min_ndim).astype(np.float64)


def real_input_pair(name_a: str, a: Any, name_b: str, b: Any, *, min_ndim: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Validate two same-shaped loss arguments with [real_input][]; both come back as float64."""
    a64 = real_input(name_a, a, min_ndim=min_ndim)
    b64 = real_input(name_b, b, min_ndim=min_ndim)
    same_shape(name_a, a64, name_b, b64)
    return a64, b64


def row_sum_tolerance(dtype: np.dtype, k: int) -> float:
    """Tolerance on the sum of a probability row of `k` entries given in `dtype`.

    At least [PROBABILITY_ATOL][], and at least `k` machine epsilons of `dtype`: a row rounded
    to float16 (or computed there, with `k` roundings) cannot sum to 1 within 1e-6.
    """
    eps = float(np.finfo(dtype).eps) if np.issubdtype(dtype, np.floating) else 0.0
    return max(PROBABILITY_ATOL, k * eps)


def probability_rows_within(name: str, a: np.ndarray, tolerance: float) -> np.ndarray:
    """Raise ValueError unless `a` holds probability vectors along its last axis, summing to 1 within `tolerance`."""
    within(name, a, 0.0, 1.0, "probabilities")
    sums = np.atleast_1d(a.sum(axis=-1))
    bad = np.abs(sums - 1.0) > tolerance
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"`{name}` must hold probability vectors along its last axis (summing to 1 within "
            f"{tolerance:g}); row {where} sums to {sums[where]:.9g}."
        )
    return a


def one_hot_rows(name: str, a: np.ndarray) -> np.ndarray:
    """Raise ValueError unless every row of `a` (last axis) is one-hot: zeros and exactly one 1."""
    labels(name, a, (0.0, 1.0))
    counts = np.atleast_1d(a.sum(axis=-1))
    bad = counts != 1
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"`{name}` must hold one-hot rows along its last axis (exactly one 1 per row); "
            f"row {where} has {int(counts[where])} ones."
        )
    return a


def nonnegative_scalar(name: str, value: Any) -> float:
    """Return `value` as a float, or raise unless it is a finite real number >= 0."""
    array = as_real_array(name, value, ndim=0)
    if not array >= 0:
        raise ValueError(f"`{name}` must be >= 0; got {float(array)}.")
    return float(array)


def open_interval(name: str, value: Any, low: float, high: float) -> float:
    """Return `value` as a float, or raise unless low < value < high."""
    array = as_real_array(name, value, ndim=0)
    if not low < array < high:
        raise ValueError(f"`{name}` must be in ({low:g}, {high:g}); got {float(array)}.")
    return float(array)


def representable(what: str, value: Any, cause: str) -> Any:
    """Return `value` if every entry is finite; raise OverflowError otherwise.

    For results whose true value lies beyond the float range: a clear refusal, never a silent
    infinity. `what` names the result, `cause` says which input made it overflow.
    """
    array = np.asarray(value)
    finite = np.isfinite(array)
    if not finite.all():
        where = tuple(int(i) for i in np.argwhere(~finite)[0]) if array.ndim else ()
        at = f" at index {where}" if array.ndim else ""
        limit = float(np.finfo(array.dtype if array.dtype.kind == "f" else np.float64).max)
        raise OverflowError(f"{what} is beyond the float range (|value| > {limit:.4g}){at}: {cause}.")
    return value


def sample_shape(name: str, shape: Any, *, min_ndim: int = 0) -> tuple[int, ...]:
    """Return `shape` (an int or a tuple of ints >= 1) as a tuple, or raise."""
    dims = (shape,) if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool) else shape
    if not isinstance(dims, tuple) or not all(
        isinstance(d, (int, np.integer)) and not isinstance(d, (bool, np.bool_)) for d in dims
    ):
        raise TypeError(f"`{name}` must be an int or a tuple of ints; got {describe(shape)}.")
    if any(d < 1 for d in dims):
        raise ValueError(f"`{name}` must have every dimension >= 1 (inputs must not be empty); got {dims}.")
    if len(dims) < min_ndim:
        raise ValueError(f"`{name}` must have at least {min_ndim} dimension(s) (the class axis last); got {dims}.")
    return tuple(int(d) for d in dims)
