r"""The engine behind every numerical derivative: $f$ at displaced copies of $x$.

`Function` wraps the user's $f$: it builds the displaced points
in chunks (one point at a time, or batches of at most `CHUNK_ELEMENTS` numbers for a vectorized
$f$), validates every value $f$ returns, counts evaluations, names the point when $f$ raises, and
refuses to evaluate outside the bounds. On top of it, `sample` evaluates stencils (the points
$x + o_j h_k e_k$ for a group of coordinates) and `stencil_estimate` and `complex_estimate`
turn them into derivatives with an error estimate, as small named results.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass

import numpy as np

from gradient_docs import _validation as iv
from gradient_docs._methods import Method

#: Largest number of floats in one batch of displaced points (vectorized evaluation).
#: Measured with `python benchmarks/chunks.py` (vectorized central gradients of Rosenbrock in
#: 100 and 1000 dimensions): 2**14 numbers (128 KiB per temporary array) was fastest, 3 to 4
#: times faster than 2**16 or more, whose temporaries no longer fit in the CPU's cache, and
#: faster than smaller chunks, which pay Python's overhead per call.
CHUNK_ELEMENTS = 2**14

#: Points built at once when f takes one point at a time (bounds the temporary arrays).
LOOP_CHUNK = 256


@dataclass(frozen=True)
class Moved:
    """Values of f at displaced points, and the displacements really applied.

    Attributes
    ----------
    values : ndarray, shape (t, m)
        One row per point, one column per output of f.
    moved : ndarray, shape (t, r)
        `x_k + delta` minus `x_k` in floating point, per move (the imaginary part for the complex step).
    """

    values: np.ndarray
    moved: np.ndarray


@dataclass(frozen=True)
class Stencil:
    """The points `x + offsets[j] * step[i] * e_k` for the coordinates `k = coordinates[i]`."""

    coordinates: np.ndarray
    offsets: tuple
    step: np.ndarray


@dataclass(frozen=True)
class Samples:
    """A stencil and the values of f at its points.

    Attributes
    ----------
    stencil : Stencil
    values : ndarray, shape (g, k, m)
        f at the k offsets of each of the g coordinates.
    moved : ndarray, shape (g, k)
        The displacements really applied (0 for offset 0).
    """

    stencil: Stencil
    values: np.ndarray
    moved: np.ndarray

    def quotient(self, offsets: tuple, weights: np.ndarray, multiple: int = 1) -> np.ndarray:
        r"""$\sum_j w_j f(x + m o_j h) / (m h)$, shape (g, m): the stencil's quotient at step $m h$.

        The step is the distance really covered, $(x + m o_{\max} h) - (x + m o_{\min} h)$ in
        floating point, over $m (o_{\max} - o_{\min})$, so the rounding of $x + o h$ adds no error
        (for two points this is exactly $(f_b - f_a) / (\text{distance})$).
        """
        columns = [self.stencil.offsets.index(multiple * o) for o in offsets]
        spread = max(offsets) - min(offsets)
        total = 0.0
        for column, weight in zip(columns, weights):
            total = total + (weight * spread) * self.values[:, column]
        low, high = columns[offsets.index(min(offsets))], columns[offsets.index(max(offsets))]
        return total / (self.moved[:, high] - self.moved[:, low])[:, None]


@dataclass(frozen=True)
class Estimate:
    """A derivative along every coordinate, with its estimated error.

    Attributes
    ----------
    value, error : ndarray, shape (n, m)
        Per coordinate of x (rows) and output of f (columns).
    step : ndarray, shape (n,)
        The step per coordinate (the initial one for an adaptive method).
    nfev : int
        Points at which f was evaluated.
    """

    value: np.ndarray
    error: np.ndarray
    step: np.ndarray
    nfev: int


class Function:
    """The user's f, evaluated at displaced copies of x with every output validated.

    Parameters
    ----------
    f : callable
    x : ndarray
        The point; displaced copies keep its shape and dtype (complex for the complex step).
    vectorized : bool
        f takes a batch, shape `(p, *x.shape)`, and returns one value (or row) per point.
    scalar : bool
        f returns one number (gradients) rather than an array (Jacobians).
    complex_step : bool
        Points are complex and f must return complex values.
    lower, upper : ndarray, shape (n,), or None
        The bounds; a point outside them is never built (RuntimeError: a bug, not a user error).
    step_name : str
        The argument that set the step, for "too small" messages.
    finite : bool
        Refuse non-finite values (True) or return them (adaptive methods skip them).
    """

    def __init__(
        self, f, x, *, vectorized, scalar, complex_step=False, lower=None, upper=None, step_name="step", finite=True
    ):
        self.f, self.x, self.flat = f, x, x.ravel()
        self.vectorized, self.scalar, self.complex_step = vectorized, scalar, complex_step
        self.lower, self.upper = lower, upper
        self.step_name, self.finite = step_name, finite
        self.dtype = np.result_type(x.dtype, np.complex64) if complex_step else x.dtype
        self.nfev = 0
        self.outputs: int | None = None
        self._center: np.ndarray | None = None

    @property
    def eps(self) -> float:
        """Machine epsilon of x's dtype."""
        return float(np.finfo(self.x.dtype).eps)

    def center(self) -> np.ndarray:
        """f(x), shape (m,), evaluated once."""
        if self._center is None:
            self._center = self(self.x[None].astype(self.dtype))[0]
        return self._center

    def moves(self, coordinates: np.ndarray, deltas: np.ndarray) -> Moved:
        """f at `x` with `x[coordinates[t, c]] += deltas[t, c]` for every move c of point t."""
        new = (self.flat[coordinates] + deltas).astype(self.dtype)
        moved = new.imag if self.complex_step else new.astype(np.float64) - self.flat[coordinates]
        self._refuse_null_moves(coordinates, deltas, moved)
        self._refuse_leaving_bounds(coordinates, new)
        total, n = coordinates.shape[0], self.flat.size
        limit = max(1, CHUNK_ELEMENTS // n) if self.vectorized else LOOP_CHUNK
        rows = -(-total // -(-total // limit)) if total else 1  # equal chunks, each at most the limit
        results = []
        for start in range(0, total, rows):
            stop = min(start + rows, total)
            points = np.empty((stop - start, n), dtype=self.dtype)
            points[:] = self.flat
            for c in range(coordinates.shape[1]):
                points[_rows(stop - start), coordinates[start:stop, c]] = new[start:stop, c]
            results.append(self(points.reshape((stop - start,) + self.x.shape)))
        values = np.concatenate(results) if results else np.empty((0, self.outputs or 1))
        return Moved(values, moved.astype(np.float64, copy=False))

    def sample(self, stencils: list[Stencil]) -> list[Samples]:
        """Evaluate every stencil, all in one pass (f(x) once, if any offset is 0)."""
        tasks = [(s, [o for o in s.offsets if o != 0]) for s in stencils]
        coordinates = np.concatenate([np.repeat(s.coordinates, len(nz)) for s, nz in tasks] or [[]]).astype(np.intp)
        deltas = np.concatenate([(np.asarray(nz) * s.step[:, None]).ravel() for s, nz in tasks] or [[]])
        result = self.moves(coordinates[:, None], deltas[:, None])
        out, start = [], 0
        for stencil, nonzero in tasks:
            g, k = stencil.coordinates.size, len(nonzero)
            values = result.values[start : start + g * k].reshape(g, k, -1)
            moved = result.moved[start : start + g * k, 0].reshape(g, k)
            start += g * k
            if 0 in stencil.offsets:
                at = stencil.offsets.index(0)
                values = np.insert(values, at, np.broadcast_to(self.center(), (g, values.shape[-1])), axis=1)
                moved = np.insert(moved, at, 0.0, axis=1)
            out.append(Samples(stencil, values, moved))
        return out

    def __call__(self, points: np.ndarray) -> np.ndarray:
        """f at a batch of points, shape (p, *x.shape): validated values, shape (p, m)."""
        if self.vectorized:
            array = self._batch(points)
        else:
            rows = [self._single(point) for point in points]
            if len({row.size for row in rows}) > 1:
                sizes = sorted({r.size for r in rows})
                raise ValueError(f"`f` must return the same number of values at every point; got sizes {sizes}.")
            array = np.stack(rows)
        self.nfev += points.shape[0]
        self._check_kind(array, points)
        if self.finite:
            _refuse_non_finite(array, points)
        if self.outputs is None:
            self.outputs = array.shape[1]
        elif array.shape[1] != self.outputs:
            raise ValueError(f"`f` must return {self.outputs} values at every point; it returned {array.shape[1]}.")
        return array

    def _single(self, point: np.ndarray) -> np.ndarray:
        value = _numeric(self._call(point.copy(), iv.point(point)))
        if self.scalar and value.ndim != 0:
            raise ValueError(
                f"`f` must return a scalar; it returned an array of shape {value.shape} at {iv.point(point)}."
            )
        return value.ravel()

    def _batch(self, points: np.ndarray) -> np.ndarray:
        count = points.shape[0]
        array = _numeric(self._call(points, f"a batch of {count} points, the first at {iv.point(points[0])}"))
        if self.scalar and array.shape != (count,):
            raise ValueError(
                f"`f` (vectorized) must return shape ({count},) for {count} points; got shape {array.shape}."
            )
        if not self.scalar and (array.ndim < 1 or array.shape[0] != count):
            raise ValueError(
                f"`f` (vectorized) must return one row per point, shape ({count}, m); got shape {array.shape}."
            )
        return array.reshape(count, -1)

    def _call(self, argument: np.ndarray, where: str):
        """f(argument); an exception from f says where f was evaluated (the original is chained)."""
        try:
            if not self.finite:  # an adaptive method probes far and skips what is not finite
                with np.errstate(all="ignore"):
                    return self.f(argument)
            if not self.complex_step:
                return self.f(argument)
            with warnings.catch_warnings():
                warnings.simplefilter("error", np.exceptions.ComplexWarning)
                return self.f(argument)
        except (TypeError, np.exceptions.ComplexWarning) as exc:
            if self.complex_step:
                raise TypeError(
                    "method='complex' needs an f that accepts complex input and keeps the imaginary part;"
                    f" f raised {type(exc).__name__}: {exc}"
                ) from exc
            raise _in_context(exc, where) from exc
        except Exception as exc:
            raise _in_context(exc, where) from exc

    def _check_kind(self, array: np.ndarray, points: np.ndarray) -> None:
        returned_complex = array.dtype.kind == "c"
        if self.complex_step and not returned_complex:
            raise ValueError(
                "`f` returned a real value for a complex input, so method='complex' cannot work: f drops the"
                " imaginary part (abs, float(), np.real or a real-typed array inside f?)."
            )
        if returned_complex and not self.complex_step:
            raise TypeError(f"`f` must return real values; it returned {array.dtype} at {iv.point(points[0])}.")

    def _refuse_null_moves(self, coordinates, deltas, moved) -> None:
        null = (moved == 0.0) & (deltas != 0)
        if not self.complex_step and null.any():
            t, c = (int(i) for i in np.argwhere(null)[0])
            k = int(coordinates[t, c])
            where = ", ".join(str(int(i)) for i in np.unravel_index(k, self.x.shape))
            raise ValueError(
                f"`{self.step_name}` is too small: x[{where}] = {self.flat[k]} plus {deltas[t, c]:g}"
                f" rounds back to {self.flat[k]} in {self.x.dtype}."
            )

    def _refuse_leaving_bounds(self, coordinates, new) -> None:
        if self.lower is None or self.complex_step:
            return
        outside = (new < self.lower[coordinates]) | (new > self.upper[coordinates])
        if outside.any():
            raise RuntimeError(f"internal error: a displaced point left the bounds ({new[outside][0]})")


def _in_context(exc: Exception, where: str) -> Exception:
    """The same kind of exception, saying where f was evaluated; the original is chained to it."""
    message = f"`f` raised {type(exc).__name__} at {where}: {exc}"
    try:
        return type(exc)(message)
    except TypeError:  # an exception type that cannot be built from a message keeps its own
        exc.add_note(f"(while evaluating `f` at {where})")
        return exc


def _refuse_non_finite(array: np.ndarray, points: np.ndarray) -> None:
    finite = np.isfinite(array)
    if not finite.all():
        row = int(np.argwhere(~finite)[0][0])
        bad = array[row][~finite[row]][0]
        raise ValueError(f"`f` returned a non-finite value ({bad}) at {iv.point(points[row])}.")


def _numeric(value) -> np.ndarray:
    """f's result as an array of numbers, or a TypeError naming f."""
    try:
        array = np.asarray(value)
    except ValueError as exc:
        raise TypeError(f"`f` must return numbers; got a ragged sequence ({exc}).") from exc
    if array.dtype == bool or not np.issubdtype(array.dtype, np.number):
        raise TypeError(f"`f` must return a real scalar; it returned {iv.describe(value)}.")
    return array


@functools.lru_cache(maxsize=64)
def _rows(count: int) -> np.ndarray:
    rows = np.arange(count)
    rows.flags.writeable = False
    return rows


# --- derivatives from stencils ------------------------------------------------------------


def noise(fn: Function, values: np.ndarray, slope: np.ndarray) -> np.ndarray:
    r"""Rounding noise of one value of f, per output: $\epsilon (\max |f| + \sum_k |x_k \partial_k f|)$.

    The second term is what rounding x alone does to f, so no computation of f is less noisy; it
    is the size of the intermediate terms that $|f|$ hides when they cancel. Multiplying
    $\epsilon |x_k|$ first keeps it finite for x near the largest floats.
    """
    size = np.abs(values).reshape(-1, values.shape[-1]).max(axis=0)
    sensitivity = np.abs(fn.eps * np.abs(fn.flat.astype(np.float64))[:, None] * slope).sum(axis=0)
    return fn.eps * size + sensitivity


def fit(method: Method, fn: Function, h: np.ndarray, span=lambda m: m.offsets) -> list[tuple[Method, Stencil]]:
    """Stencils of the offsets `span(variant)` for every coordinate, all inside the bounds.

    Each coordinate takes the first of the method, its forward one-sided variant and its
    backward one-sided variant whose points fit; where none fits, the one-sided variant towards
    the larger room, with the step shrunk until it fits.
    """
    n = fn.flat.size
    if fn.lower is None or method.error_model != "taylor":
        return [(method, Stencil(np.arange(n), span(method), h))]
    plan, left = [], np.arange(n)
    for variant in (method, method.one_sided(+1), method.one_sided(-1)):
        inside = _inside(fn, left, h[left], span(variant))
        if inside.any():
            plan.append((variant, Stencil(left[inside], span(variant), h[left[inside]])))
        left = left[~inside]
    if left.size:
        plan.extend(_shrunk(method, fn, left, h[left], span))
    return plan


def _inside(fn: Function, coordinates: np.ndarray, h: np.ndarray, offsets: tuple) -> np.ndarray:
    points = (fn.flat[coordinates, None] + np.asarray(offsets, dtype=np.float64) * h[:, None]).astype(fn.x.dtype)
    return ((points >= fn.lower[coordinates, None]) & (points <= fn.upper[coordinates, None])).all(axis=1)


def _shrunk(method: Method, fn: Function, left: np.ndarray, h: np.ndarray, span) -> list[tuple[Method, Stencil]]:
    above = fn.upper[left] - fn.flat[left].astype(np.float64)
    below = fn.flat[left].astype(np.float64) - fn.lower[left]
    plan = []
    for direction, room in ((+1, above), (-1, below)):
        chosen = (room >= np.maximum(above, below)) & ((direction > 0) | (above < below))
        if not chosen.any():
            continue
        variant = method.one_sided(direction)
        reach = max(abs(o) for o in span(variant))
        coordinates, steps = left[chosen], np.minimum(h[chosen], room[chosen] / reach)
        steps = fitted(fn, coordinates, steps, span(variant))
        plan.append((variant, Stencil(coordinates, span(variant), steps)))
    return plan


def fitted(fn: Function, coordinates: np.ndarray, h: np.ndarray, offsets: tuple) -> np.ndarray:
    """The steps `h`, halved where `x + o h` rounds past a bound (they fit before rounding)."""
    if fn.lower is None:
        return h
    for _ in range(64):
        inside = _inside(fn, coordinates, h, offsets)
        if inside.all():
            break
        h = np.where(inside, h, h / 2)
    return h


def stencil_estimate(fn: Function, method: Method, h: np.ndarray) -> Estimate:
    """The derivative by `method`'s stencil (one-sided near bounds), with its predicted error."""
    n = fn.flat.size
    plan = fit(method, fn, h)
    samples = fn.sample([stencil for _, stencil in plan])
    value = np.empty((n, fn.outputs))
    steps = np.empty(n)
    for (variant, stencil), sampled in zip(plan, samples):
        value[stencil.coordinates] = sampled.quotient(variant.offsets, variant.weights)
        steps[stencil.coordinates] = stencil.step
    sigma = noise(fn, np.concatenate([s.values.reshape(-1, fn.outputs) for s in samples]), value)
    error = np.empty_like(value)
    scale = np.maximum(np.abs(fn.flat.astype(np.float64)), 1.0)
    for variant, stencil in plan:
        k = stencil.coordinates
        error[k] = variant.predicted_error(stencil.step[:, None], scale[k, None], value[k], sigma)
    return Estimate(value, error, steps, fn.nfev)


def complex_estimate(fn: Function, h: np.ndarray) -> Estimate:
    r"""$\operatorname{Im} f(x + i h_k e_k) / h_k$, with error $2 \epsilon\,|{\rm value}|$ (rounding only).

    $\epsilon$ is that of the precision the points are evaluated in: x's dtype, or float32 for
    float16 x (numpy has no complex type narrower than complex64).
    """
    n = fn.flat.size
    result = fn.moves(np.arange(n)[:, None], 1j * h[:, None])
    value = result.values.imag / result.moved
    eps = float(np.finfo(fn.dtype).eps)
    return Estimate(value, 2 * eps * np.abs(value), h, fn.nfev)


def estimate(fn: Function, method: Method, h: np.ndarray) -> Estimate:
    """The derivative along every coordinate by `method`, with the error its model gives."""
    if method.error_model == "rounding":
        return complex_estimate(fn, h)
    if method.error_model == "table":
        from gradient_docs.richardson import extrapolate  # built on this module, so imported here

        return extrapolate(fn, method.extrapolation, h)
    return stencil_estimate(fn, method, h)
