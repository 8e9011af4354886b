r"""Numerical derivatives: gradients, Jacobians and Hessians from function values.

For a function $f$ of an array $x$, the partial derivative along coordinate $k$ is approximated
from values of $f$ at points displaced by a step $h_k$ along the unit vector $e_k$:

$$
\begin{aligned}
\text{forward:}\quad  & \frac{f(x + h_k e_k) - f(x)}{h_k} && \text{error } O(h_k),\\
\text{backward:}\quad & \frac{f(x) - f(x - h_k e_k)}{h_k} && \text{error } O(h_k),\\
\text{central:}\quad  & \frac{f(x + h_k e_k) - f(x - h_k e_k)}{2 h_k} && \text{error } O(h_k^2),\\
\text{complex:}\quad  & \frac{\operatorname{Im} f(x + i h_k e_k)}{h_k} && \text{error } O(h_k^2),
\text{ no cancellation},
\end{aligned}
$$

and ``"richardson"`` extrapolates central differences at $h, h/2, h/4, h/8, h/16$ to remove the
$h^2, h^4, \dots$ terms of their error, with an error estimate from the extrapolation table.

Every function evaluates $f$ one point at a time by default. With ``vectorized=True``, $f$
receives a batch of points, shape ``(m, *x.shape)``, and returns one value per point; the
displaced points are then built and evaluated in chunks of at most :data:`CHUNK_ELEMENTS`
numbers, so a gradient in $n$ variables costs a few calls of $f$ instead of $2n$.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from gradient_docs import _validation as iv

__all__ = ["Derivative", "METHODS", "default_step", "derivative", "gradient", "hessian", "jacobian"]

#: The methods :func:`gradient`, :func:`derivative` and :func:`jacobian` know.
METHODS = ("central", "forward", "backward", "complex", "richardson")

#: Order of the truncation error of the finite-difference formulas: error ~ ``h**ORDER[method]``.
ORDER = {"forward": 1, "backward": 1, "central": 2}

#: The two points of each real-step formula, as multiples of the step:
#: ``(f(x + b h) - f(x + a h)) / ((b - a) h)``.
OFFSETS = {"forward": (0, 1), "backward": (-1, 0), "central": (-1, 1)}

#: Complex step: the step relative to the scale of x. Any tiny value works, since nothing cancels.
COMPLEX_STEP = 1e-20

#: Richardson extrapolation: initial step relative to the scale of x, and number of halvings.
RICHARDSON_STEP = 0.125
RICHARDSON_LEVELS = 5

#: Largest number of floats in one batch of displaced points (vectorized evaluation).
#: Measured with ``python benchmarks/chunks.py`` (vectorized central gradients of Rosenbrock in
#: 100 and 1000 dimensions): 2**14 numbers (128 KiB per temporary array) was fastest, 3 to 4
#: times faster than 2**16 or more, whose temporaries no longer fit in the CPU's cache, and
#: faster than smaller chunks, which pay Python's overhead per call.
CHUNK_ELEMENTS = 2**14


@dataclass(frozen=True, repr=False)
class Derivative:
    """A numerical derivative with its estimated error and its cost (``full_output=True``).

    Attributes
    ----------
    value : ndarray or float
        The derivative: shaped like ``x`` for :func:`gradient`, ``(m, n)`` for :func:`jacobian`,
        a float for :func:`derivative`.
    error : ndarray or float, same shape as ``value``
        Estimated absolute error. For ``"richardson"`` it comes from the extrapolation table plus
        a bound on the rounding error of its smallest step; for the other methods it is the
        error the method predicts at its step, assuming the derivatives of ``f`` vary on the
        scale of ``x`` (truncation plus rounding).
    nfev : int
        Number of points at which ``f`` was evaluated.
    method : str
    step : ndarray, shape of ``x``
        The step used per coordinate (the initial step for ``"richardson"``).
    """

    value: np.ndarray | float
    error: np.ndarray | float
    nfev: int
    method: str
    step: np.ndarray

    def __repr__(self) -> str:
        worst = float(np.max(self.error))
        return f"Derivative(method={self.method!r}, nfev={self.nfev}, max error estimate={worst:.3g}, value={self.value!r})"


def default_step(x: npt.ArrayLike, method: str, *, scale: npt.ArrayLike | None = None) -> np.ndarray:
    r"""The default step of ``method`` at ``x``, per coordinate.

    $$
    h_k = c \cdot s_k, \qquad s_k = \max(|x_k|, 1) \text{ (or the given scale)},
    $$

    with $c = \sqrt{\epsilon} \approx 1.5 \times 10^{-8}$ for the one-sided formulas and
    $c = \epsilon^{1/3} \approx 6.1 \times 10^{-6}$ for central differences ($\epsilon$ is the
    machine epsilon of ``x``'s dtype): the steps that balance truncation error against rounding
    error. For ``"complex"`` $c = 10^{-20}$; for ``"richardson"`` it is the initial step,
    $c = 1/8$.

    Parameters
    ----------
    x : array_like, any shape
        The point of differentiation.
    method : {"central", "forward", "backward", "complex", "richardson"}
    scale : float or array_like broadcastable to ``x``, keyword-only
        The distance over which $f$ changes appreciably, when $|x_k|$ is a poor guide (for
        example a function varying on a $10^{-6}$ scale near $x = 1$).

    Returns
    -------
    ndarray, same shape as ``x``, float64

    Examples
    --------
    >>> import numpy as np
    >>> print(default_step(np.array([0.5, 2.0, -1000.0]), "forward"))
    [1.49011612e-08 2.98023224e-08 1.49011612e-05]
    >>> print(default_step(np.array([1.0]), "central", scale=1e-6))
    [6.05545445e-12]
    """
    x = iv.as_real_array("x", x)
    method = iv.choice("method", method, METHODS)
    return _default_step(x, method, None if scale is None else iv.positive_step("step_scale", scale, x.shape))


def _default_step(x: np.ndarray, method: str, scale: np.ndarray | None) -> np.ndarray:
    s = np.maximum(np.abs(x), 1.0) if scale is None else scale
    return (_step_factor(x.dtype, method) * s).astype(np.float64, copy=False)


@functools.lru_cache(maxsize=None)
def _step_factor(dtype: np.dtype, method: str) -> float:
    eps = float(np.finfo(dtype).eps)
    return {
        "forward": eps**0.5,
        "backward": eps**0.5,
        "central": eps ** (1 / 3),
        "complex": COMPLEX_STEP,
        "richardson": RICHARDSON_STEP,
    }[method]


def gradient(
    f: Callable[[np.ndarray], float],
    x: npt.ArrayLike,
    *,
    method: str = "central",
    step: npt.ArrayLike | None = None,
    step_scale: npt.ArrayLike | None = None,
    vectorized: bool = False,
    full_output: bool = False,
) -> np.ndarray | Derivative:
    r"""Numerical gradient of a scalar function.

    Component $k$ of the result is the difference quotient of ``method`` along coordinate $k$,
    for instance

    $$
    \frac{\partial f}{\partial x_k} \approx \frac{f(x + h_k e_k) - f(x - h_k e_k)}{2 h_k}
    \quad \text{(central)},
    $$

    (the other formulas are in the module docstring). The denominator is the distance between
    the two points actually evaluated, ``(x + h) - (x - h)`` in floating point, so the rounding of
    ``x + h`` adds no error.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``: takes an array shaped like ``x`` and returns a real scalar. With
        ``vectorized=True``, takes an array of shape ``(m, *x.shape)`` and returns shape ``(m,)``.
        For ``method="complex"`` it must accept complex input and be real-analytic.
    x : array_like, any shape
        The point, finite and real. Integers are converted to float64; float32 stays float32.
    method : {"central", "forward", "backward", "complex", "richardson"}, keyword-only

        | method | evaluations | error |
        |---|---|---|
        | ``"forward"``, ``"backward"`` | $n + 1$ | $O(h)$, about $10^{-8}$ relative |
        | ``"central"`` | $2n$ | $O(h^2)$, about $10^{-10}$ |
        | ``"complex"`` | $n$ | rounding only, about $10^{-16}$ |
        | ``"richardson"`` | $10n$ | about $10^{-13}$, with an error estimate |

    step : float or array_like broadcastable to ``x.shape``, keyword-only
        The step $h$, > 0 (the initial step for ``"richardson"``). Default: :func:`default_step`.
    step_scale : float or array_like broadcastable to ``x.shape``, keyword-only
        The scale on which $f$ varies, used by the default step instead of $\max(|x_k|, 1)$.
    vectorized : bool, keyword-only
        ``f`` evaluates a batch of points at once (see above).
    full_output : bool, keyword-only
        Return a :class:`Derivative` with the error estimate and the number of evaluations.

    Returns
    -------
    ndarray, same shape as ``x``, float64, or Derivative
        The approximate gradient.

    Raises
    ------
    ValueError
        Unknown ``method``, ``step`` or ``step_scale`` not > 0, non-finite or empty ``x``, ``f``
        returning a non-scalar or a non-finite value, or a real value for complex input.
    TypeError
        ``f`` not callable or unable to take complex input; ``x`` or ``f(x)`` not numbers.

    Examples
    --------
    The function of the original notes, $f(x, y) = x^3 - 2xy + y^2$, at $(2, 1)$, where the
    exact gradient is $(10, -2)$:

    >>> import numpy as np
    >>> from gradient_docs import gradient
    >>> def f(p):
    ...     x, y = p
    ...     return x**3 - 2 * x * y + y**2
    >>> print(gradient(f, [2.0, 1.0], method="forward", step=1e-6))
    [10.000006 -1.999999]
    >>> print(gradient(f, [2.0, 1.0]))
    [10. -2.]
    >>> result = gradient(f, [2.0, 1.0], method="complex", full_output=True)
    >>> print(result.value, result.nfev)
    [10. -2.] 2

    References
    ----------
    W. H. Press et al., *Numerical Recipes*, 3rd ed., section 5.7, "Numerical Derivatives".
    J. R. R. A. Martins, P. Sturdza and J. J. Alonso, "The complex-step derivative
    approximation", *ACM Trans. Math. Softw.* 29 (2003) 245-262.
    """
    x, h, method, vectorized = _arguments(f, x, method, step, step_scale, vectorized)
    value, error, nfev = _differentiate(f, x, h, method, vectorized, scalar=True, with_error=full_output)
    if not full_output:
        return value[:, 0].reshape(x.shape)
    return Derivative(value[:, 0].reshape(x.shape), error[:, 0].reshape(x.shape), nfev, method, h)


def derivative(
    f: Callable[[float], float],
    x: float,
    *,
    method: str = "central",
    step: float | None = None,
    step_scale: float | None = None,
    vectorized: bool = False,
    full_output: bool = False,
) -> float | Derivative:
    r"""Numerical derivative $f'(x)$ of a scalar function of one variable.

    The same methods, steps and options as :func:`gradient`, for $f: \mathbb{R} \to \mathbb{R}$.

    Parameters
    ----------
    f : callable
        ``f(t) -> float`` for a float ``t`` (a complex ``t`` for ``method="complex"``); with
        ``vectorized=True``, ``f(t)`` takes an array of shape ``(m,)`` and returns shape ``(m,)``.
    x : float
        The point.
    method, step, step_scale, vectorized, full_output
        As for :func:`gradient`.

    Returns
    -------
    float, or Derivative

    Examples
    --------
    >>> import numpy as np
    >>> def f(t):
    ...     return np.exp(t) / np.sqrt(np.sin(t) ** 3 + np.cos(t) ** 3)
    >>> print(f"{derivative(f, 1.5, method='complex'):.12f}")
    4.053427893899
    """
    x = iv.as_real_array("x", x, ndim=0)

    def f_scalar(point: np.ndarray):
        return f(point) if vectorized else f(point[()])

    result = gradient(
        f_scalar, x, method=method, step=step, step_scale=step_scale, vectorized=vectorized, full_output=True
    )
    if not full_output:
        return float(result.value)
    return Derivative(float(result.value), float(result.error), result.nfev, result.method, result.step)


def jacobian(
    f: Callable[[np.ndarray], npt.ArrayLike],
    x: npt.ArrayLike,
    *,
    method: str = "central",
    step: npt.ArrayLike | None = None,
    step_scale: npt.ArrayLike | None = None,
    vectorized: bool = False,
    full_output: bool = False,
) -> np.ndarray | Derivative:
    r"""Numerical Jacobian of a vector function $f: \mathbb{R}^n \to \mathbb{R}^m$.

    $$
    J_{ij} = \frac{\partial f_i}{\partial x_j},
    $$

    column $j$ computed by the difference quotient of ``method`` along $x_j$, all outputs at once:
    the cost is that of one gradient, whatever $m$ is.

    Parameters
    ----------
    f : callable
        ``f(x) -> array_like`` with $m$ elements (any shape; it is flattened). With
        ``vectorized=True``, takes shape ``(p, *x.shape)`` and returns shape ``(p, m)``.
    x : array_like, $n$ elements (any shape; it is flattened)
    method, step, step_scale, vectorized, full_output
        As for :func:`gradient`.

    Returns
    -------
    ndarray, shape (m, n), float64, or Derivative

    Examples
    --------
    The Jacobian of softmax is $\operatorname{diag}(s) - s s^\top$:

    >>> import numpy as np
    >>> from gradient_docs import softmax, softmax_jacobian
    >>> x = np.array([1.0, 2.0, 3.0])
    >>> J = jacobian(softmax, x)
    >>> print(J.shape, np.abs(J - softmax_jacobian(x)).max() < 1e-10)
    (3, 3) True
    """
    x, h, method, vectorized = _arguments(f, x, method, step, step_scale, vectorized)
    value, error, nfev = _differentiate(f, x, h, method, vectorized, scalar=False, with_error=full_output)
    return Derivative(value.T, error.T, nfev, method, h) if full_output else value.T


def hessian(
    f: Callable[[np.ndarray], float],
    x: npt.ArrayLike,
    *,
    step: npt.ArrayLike | None = None,
    step_scale: npt.ArrayLike | None = None,
    full_output: bool = False,
) -> np.ndarray | Derivative:
    r"""Numerical Hessian of a scalar function by second-order central differences.

    $$
    \frac{\partial^2 f}{\partial x_i^2} \approx \frac{f(x + h_i e_i) - 2 f(x) + f(x - h_i e_i)}{h_i^2},
    \qquad
    \frac{\partial^2 f}{\partial x_i \partial x_j} \approx
    \frac{f_{++} - f_{+-} - f_{-+} + f_{--}}{4 h_i h_j},
    $$

    where $f_{\pm\pm} = f(x \pm h_i e_i \pm h_j e_j)$. Both have error $O(h^2)$; rounding
    contributes $\epsilon |f| / h^2$, so the default step is $h_k = \epsilon^{1/4} s_k$
    ($1.2 \times 10^{-4}$ times the scale). Each pair $i < j$ is computed once, so the result is
    exactly symmetric. Cost: $1 + 2n + 2n(n - 1)$ evaluations.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``.
    x : array_like, $n$ elements (any shape; it is flattened)
    step, step_scale, full_output
        As for :func:`gradient`.

    Returns
    -------
    ndarray, shape (n, n), float64, or Derivative

    Examples
    --------
    The Hessian of the notes' function at $(2, 1)$ is $\begin{pmatrix} 12 & -2 \\ -2 & 2 \end{pmatrix}$:

    >>> from gradient_docs import examples
    >>> print(np.round(hessian(examples.f, [2.0, 1.0]), 6))
    [[12. -2.]
     [-2.  2.]]
    """
    f = iv.callable_arg("f", f)
    x = iv.as_real_array("x", x)
    if step is None:
        scale = np.maximum(np.abs(x), 1.0) if step_scale is None else iv.positive_step("step_scale", step_scale, x.shape)
        h = (float(np.finfo(x.dtype).eps) ** 0.25 * scale).astype(np.float64)
    else:
        h = iv.positive_step("step", step, x.shape)
    flat, hs, n = x.ravel(), h.ravel(), x.size

    def value(point: np.ndarray) -> float:
        return iv.scalar_result("f", f(point.reshape(x.shape).copy()), point)

    def shifted(*moves: tuple[int, float]) -> tuple[float, dict[int, float]]:
        point = flat.copy()
        for k, delta in moves:
            point[k] = flat[k] + delta
        applied = {k: float(point[k]) - float(flat[k]) for k, _ in moves}
        for k, moved in applied.items():
            if moved == 0.0:
                raise ValueError(f"`step` is too small: x[{k}] = {flat[k]} plus {hs[k]:g} rounds back to {flat[k]}.")
        return value(point), applied

    f_x = value(flat)
    H = np.empty((n, n))
    slope = np.empty(n)  # the gradient, by central differences, for the noise estimate
    magnitude = abs(f_x)
    for i in range(n):
        (f_p, up), (f_m, down) = shifted((i, hs[i])), shifted((i, -hs[i]))
        H[i, i] = (f_p - 2 * f_x + f_m) / (up[i] * -down[i])
        slope[i] = (f_p - f_m) / (up[i] - down[i])
        magnitude = max(magnitude, abs(f_p), abs(f_m))
        for j in range(i):
            corners = [shifted((i, si * hs[i]), (j, sj * hs[j])) for si, sj in ((1, 1), (1, -1), (-1, 1), (-1, -1))]
            (f_pp, a), (f_pm, _), (f_mp, _), (f_mm, b) = corners
            H[i, j] = H[j, i] = (f_pp - f_pm - f_mp + f_mm) / ((a[i] - b[i]) * (a[j] - b[j]))
            magnitude = max(magnitude, *(abs(c[0]) for c in corners))
    if not full_output:
        return H
    eps = float(np.finfo(x.dtype).eps)
    scale = np.maximum(np.abs(flat), 1.0)
    truncation = (np.outer(hs, hs) / np.outer(scale, scale)) * np.abs(H)
    noise = eps * (magnitude + float(_input_sensitivity(x, slope[:, None])[0]))
    error = truncation + 4 * noise / np.outer(hs, hs)
    return Derivative(H, error, 1 + 2 * n + 2 * n * (n - 1), "central", h)


# --- the engine shared by gradient, derivative, jacobian and check_gradient -------------------


def _arguments(f, x, method, step, step_scale, vectorized):
    """Validate the common arguments; return the point, the steps, the method and the flag."""
    f = iv.callable_arg("f", f)
    x = iv.as_real_array("x", x)
    method = iv.choice("method", method, METHODS)
    if not isinstance(vectorized, (bool, np.bool_)):
        raise TypeError(f"`vectorized` must be True or False; got {vectorized!r}.")
    if step is not None:
        h = iv.positive_step("step", step, x.shape)
    else:
        h = _default_step(x, method, None if step_scale is None else iv.positive_step("step_scale", step_scale, x.shape))
    return x, h, method, bool(vectorized)


def _differentiate(f, x, h, method, vectorized, *, scalar, with_error=True):
    """Derivatives along every coordinate: value and error of shape (n, m) (error None unless
    ``with_error``), and the number of evaluations."""
    if method == "complex":
        values, _, nfev = evaluate(f, x, h, (1j,), vectorized=vectorized, scalar=scalar)
        value = values[:, 0].imag / h.reshape(-1, 1)
        error = 2 * np.finfo(np.float64).eps * np.abs(value)
        return value, error, nfev
    if method == "richardson":
        return _richardson(f, x, h, vectorized, scalar)
    values, moved, nfev = evaluate(f, x, h, OFFSETS[method], vectorized=vectorized, scalar=scalar)
    value = difference_quotient(values, moved, 0, 1)
    error = predicted_error(method, x, h, value, np.abs(values).max(axis=1)) if with_error else None
    return value, error, nfev


def predicted_error(method: str, x: np.ndarray, h: np.ndarray, value: np.ndarray, f_size: np.ndarray) -> np.ndarray:
    r"""The error a real-step formula predicts at step ``h``: truncation plus rounding.

    Assuming the derivatives of $f$ vary on the scale $s_k = \max(|x_k|, 1)$ (so that
    $|f''| \approx |f'| / s$ and $|f'''| \approx |f'| / s^2$):

    $$
    E_{\text{one-sided}} = \frac{h}{2s}|f'| + \frac{2 \epsilon |f|}{h},
    \qquad
    E_{\text{central}} = \frac{h^2}{6 s^2}|f'| + \frac{\epsilon |f|}{h}.
    $$
    """
    eps = float(np.finfo(x.dtype).eps)
    s = np.maximum(np.abs(x.ravel()), 1.0)[:, None]
    hh = h.ravel()[:, None]
    noise = eps * (f_size.max(axis=0) + _input_sensitivity(x, value))
    if method == "central":
        return (hh / s) ** 2 / 6 * np.abs(value) + noise / hh
    return hh / (2 * s) * np.abs(value) + 2 * noise / hh


def _input_sensitivity(x: np.ndarray, value: np.ndarray) -> np.ndarray:
    r"""$\sum_k |x_k\,\partial f / \partial x_k|$, per output.

    Rounding $x$ to floating point alone changes $f$ by up to $\epsilon$ times this, so no
    computation of $f$ is less noisy; it is the size of the intermediate terms that $|f|$ can
    hide when they cancel (for $x^3 - x^2$ near $x = 1$, $|f|$ is small but the terms are not).
    """
    return np.abs(x.ravel()[:, None] * value).sum(axis=0)


def _richardson(f, x, h, vectorized, scalar):
    """Central differences at h, h/2, ..., h/16, extrapolated (Richardson, Ridders' choice)."""
    levels = RICHARDSON_LEVELS
    offsets = tuple(sign * 2.0**-level for level in range(levels) for sign in (-1, 1))
    values, moved, nfev = evaluate(f, x, h, offsets, vectorized=vectorized, scalar=scalar)
    # Column 0 of the table: the central differences, shape (levels, n, m).
    column = np.moveaxis(difference_quotient(values, moved, slice(0, None, 2), slice(1, None, 2)), 1, 0)
    candidates, estimates = [], []
    for k in range(1, levels):
        # T[l, k] = T[l, k-1] + (T[l, k-1] - T[l-1, k-1]) / (4^k - 1), for every level l >= k at once
        upper, lower = column[1:], column[:-1]
        column = upper + (upper - lower) / (4.0**k - 1)
        candidates.append(column)
        estimates.append(np.maximum(np.abs(column - upper), np.abs(column - lower)))
    candidates, estimates = np.concatenate(candidates), np.concatenate(estimates)
    pick = np.argmin(estimates, axis=0)[None]
    best = np.take_along_axis(candidates, pick, axis=0)[0]
    error = np.take_along_axis(estimates, pick, axis=0)[0]
    # The table's differences can be small by chance where rounding dominates them, so the
    # rounding error of the smallest-step quotient, amplified at most twice by the
    # extrapolation, is added: 2 eps (|f| + sum |x_k df/dx_k|) / h_min.
    eps = float(np.finfo(x.dtype).eps)
    noise = eps * (np.abs(values).max(axis=(0, 1)) + _input_sensitivity(x, best))
    smallest = h.ravel()[:, None] * 2.0 ** -(levels - 1)
    return best, error + 2 * noise / smallest, nfev


def difference_quotient(values: np.ndarray, moved: np.ndarray, a, b) -> np.ndarray:
    """``(f(x + b h) - f(x + a h)) / (distance really between the two points)``, per coordinate.

    ``values`` and ``moved`` are what :func:`evaluate` returns; ``a`` and ``b`` select its offset
    columns (two indices, or two slices for several quotients at once).
    """
    return (values[:, b] - values[:, a]) / (moved[:, b] - moved[:, a])[..., None]


def evaluate(f, x: np.ndarray, h: np.ndarray, offsets: tuple, *, vectorized: bool, scalar: bool):
    """Evaluate f at ``x + j * h_k * e_k`` for every coordinate k and offset j.

    An imaginary offset (``1j``) gives the complex step ``x + i h_k e_k``. Offset 0 is evaluated
    once, at ``x``. Returns the values, shape ``(n, len(offsets), m)`` (``m = 1`` for scalar f),
    the displacements really applied in floating point, shape ``(n, len(offsets))``, and the
    number of points evaluated. The displaced points are built a chunk at a time (at most
    :data:`CHUNK_ELEMENTS` numbers for vectorized f), never all at once.
    """
    n, flat, step = x.size, x.ravel(), h.ravel()
    nonzero, ks = _tasks(n, offsets)  # task t moves coordinate ks[t] by nonzero[t % len(nonzero)] steps ...
    complex_step = nonzero.dtype.kind == "c"
    dtype = np.result_type(x.dtype, np.complex64) if complex_step else x.dtype
    new = (flat[:, None] + nonzero * step[:, None]).astype(dtype, copy=False).ravel()  # ... to new[t]
    if complex_step:
        moved = new.imag.astype(np.float64)
    else:
        moved = (new.reshape(n, -1) - flat[:, None]).astype(np.float64, copy=False).ravel()
        if not moved.all():
            t = int(np.flatnonzero(moved == 0.0)[0])
            k = int(ks[t])
            where = ", ".join(str(int(i)) for i in np.unravel_index(k, x.shape))
            raise ValueError(
                f"`step` is too small: x[{where}] = {flat[k]} plus {nonzero[t % nonzero.size] * step[k]:g}"
                f" rounds back to {flat[k]} in {x.dtype}."
            )
    call = _batch_caller(f, x, vectorized=vectorized, scalar=scalar, complex_step=complex_step)
    total = ks.size
    chunks = -(-total // max(1, CHUNK_ELEMENTS // n)) if vectorized else -(-total // 256)
    rows = -(-total // chunks)  # equal chunks, each at most the limit
    results = []
    for start in range(0, total, rows):
        stop = min(start + rows, total)
        points = np.empty((stop - start, n), dtype=dtype)
        points[:] = flat
        points[_rows(stop - start), ks[start:stop]] = new[start:stop]
        results.append(call(points.reshape((stop - start,) + x.shape)))
    values = (results[0] if len(results) == 1 else np.concatenate(results)).reshape(n, nonzero.size, -1)
    moved = moved.reshape(n, nonzero.size)
    nfev = total
    if 0 in offsets:
        f_x = call(x[None].copy())
        nfev += 1
        at = list(offsets).index(0)
        values = np.insert(values, at, np.broadcast_to(f_x, (n, f_x.shape[-1])), axis=1)
        moved = np.insert(moved, at, 0.0, axis=1)
    return values, moved, nfev


@functools.lru_cache(maxsize=64)
def _tasks(n: int, offsets: tuple) -> tuple[np.ndarray, np.ndarray]:
    """The nonzero offsets as an array, and the coordinate each task moves (read-only, cached)."""
    nonzero = np.array([o for o in offsets if o != 0])
    ks = np.arange(n).repeat(nonzero.size)
    nonzero.flags.writeable = ks.flags.writeable = False
    return nonzero, ks


@functools.lru_cache(maxsize=64)
def _rows(count: int) -> np.ndarray:
    rows = np.arange(count)
    rows.flags.writeable = False
    return rows


def _batch_caller(f, x, *, vectorized, scalar, complex_step):
    """A function taking points of shape (p, *x.shape) and returning validated values, (p, m)."""
    expected: list[int] = []  # the number of outputs, fixed by the first evaluation (Jacobians)

    def single(point: np.ndarray) -> np.ndarray:
        value = _numeric(_guarded(f, point.copy(), complex_step))
        if scalar and value.ndim != 0:
            raise ValueError(f"`f` must return a scalar; it returned an array of shape {value.shape} at {iv.point(point)}.")
        return value.ravel()

    def batch(points: np.ndarray) -> np.ndarray:
        count = points.shape[0]
        array = _numeric(_guarded(f, points, complex_step))
        if scalar and array.shape != (count,):
            raise ValueError(f"`f` (vectorized) must return shape ({count},) for {count} points; got shape {array.shape}.")
        if not scalar and (array.ndim < 1 or array.shape[0] != count):
            raise ValueError(f"`f` (vectorized) must return one row per point, shape ({count}, m); got shape {array.shape}.")
        return array.reshape(count, -1)

    def call(points: np.ndarray) -> np.ndarray:
        if vectorized:
            array = batch(points)
        else:
            rows = [single(point) for point in points]
            if len({row.size for row in rows}) > 1:
                raise ValueError(f"`f` must return the same number of values at every point; got sizes {sorted({r.size for r in rows})}.")
            array = np.stack(rows)
        returned_complex = array.dtype.kind == "c"
        if complex_step and not returned_complex:
            raise ValueError(
                "`f` returned a real value for a complex input, so method='complex' cannot work: f drops the"
                " imaginary part (abs, float(), np.real or a real-typed array inside f?)."
            )
        if returned_complex and not complex_step:
            raise TypeError(f"`f` must return real values; it returned {array.dtype} at {iv.point(points[0])}.")
        finite = np.isfinite(array)
        if not finite.all():
            row = int(np.argwhere(~finite)[0][0])
            bad = array[row][~finite[row]][0]
            raise ValueError(f"`f` returned a non-finite value ({bad}) at {iv.point(points[row])}.")
        if not expected:
            expected.append(array.shape[1])
        elif array.shape[1] != expected[0]:
            raise ValueError(f"`f` must return {expected[0]} values at every point; it returned {array.shape[1]}.")
        return array

    return call


def _guarded(f, argument: np.ndarray, complex_step: bool):
    """Call f; for the complex step, turn a refusal of complex input into a clear error."""
    if not complex_step:
        return f(argument)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", np.exceptions.ComplexWarning)
            return f(argument)
    except (TypeError, np.exceptions.ComplexWarning) as exc:
        raise TypeError(
            "method='complex' needs an f that accepts complex input and keeps the imaginary part;"
            f" f raised {type(exc).__name__}: {exc}"
        ) from exc


def _numeric(value) -> np.ndarray:
    """``f``'s result as an array of numbers, or a TypeError naming ``f``."""
    try:
        array = np.asarray(value)
    except ValueError as exc:
        raise TypeError(f"`f` must return numbers; got a ragged sequence ({exc}).") from exc
    if array.dtype == bool or not np.issubdtype(array.dtype, np.number):
        raise TypeError(f"`f` must return a real scalar; it returned {iv.describe(value)}.")
    return array
