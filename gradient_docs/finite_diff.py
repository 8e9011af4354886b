r"""Numerical gradients by finite differences.

For a scalar function $f$ of an array $x$, the partial derivative along coordinate $k$ is
approximated from values of $f$ at points displaced by a step $h_k$ along the unit vector $e_k$:

$$
\begin{aligned}
\text{forward:}\quad  & \frac{f(x + h_k e_k) - f(x)}{h_k} && \text{error } O(h_k),\\
\text{backward:}\quad & \frac{f(x) - f(x - h_k e_k)}{h_k} && \text{error } O(h_k),\\
\text{central:}\quad  & \frac{f(x + h_k e_k) - f(x - h_k e_k)}{2 h_k} && \text{error } O(h_k^2).
\end{aligned}
$$
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from gradient_docs import _validation as iv

__all__ = ["gradient", "default_step", "METHODS"]

#: The finite-difference formulas :func:`gradient` knows.
METHODS = ("forward", "backward", "central")

#: Order of the truncation error of each method: the error shrinks like ``h**ORDER[method]``.
ORDER = {"forward": 1, "backward": 1, "central": 2}


def default_step(x: np.ndarray, method: str) -> np.ndarray:
    r"""The step that balances truncation and round-off error for ``method``, per coordinate.

    $$
    h_k = \epsilon^{1/(p+1)} \max(|x_k|, 1),
    $$

    where $\epsilon$ is the machine epsilon of ``x``'s dtype and $p$ the order of the method:
    $\sqrt{\epsilon} \approx 1.5 \times 10^{-8}$ for the one-sided formulas and
    $\epsilon^{1/3} \approx 6.1 \times 10^{-6}$ for central differences in float64.

    Parameters
    ----------
    x : ndarray, any shape, floating dtype
        The point of differentiation.
    method : {"forward", "backward", "central"}
        The finite-difference formula.

    Returns
    -------
    ndarray, same shape as ``x``, float64
        One step per coordinate.

    Examples
    --------
    >>> import numpy as np
    >>> print(default_step(np.array([0.5, 2.0, -1000.0]), "forward"))
    [1.49011612e-08 2.98023224e-08 1.49011612e-05]
    """
    eps = np.finfo(x.dtype).eps
    return (eps ** (1.0 / (ORDER[method] + 1)) * np.maximum(np.abs(x), 1.0)).astype(np.float64)


def gradient(
    f: Callable[[np.ndarray], float],
    x: npt.ArrayLike,
    *,
    method: str = "central",
    step: npt.ArrayLike | None = None,
) -> np.ndarray:
    r"""Numerical gradient of a scalar function by finite differences.

    Component $k$ of the result is the difference quotient of ``method`` along coordinate $k$:

    $$
    \frac{\partial f}{\partial x_k} \approx \frac{f(x + h_k e_k) - f(x - h_k e_k)}{2 h_k}
    \quad \text{(central)},
    $$

    and likewise for the one-sided formulas (see the module docstring). The denominator is the
    distance between the two points actually evaluated, ``(x + h) - (x - h)`` in floating point,
    so the rounding of ``x + h`` does not add to the error.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``: takes an array shaped like ``x`` and returns a real scalar.
    x : array_like, any shape
        The point, finite and real. Integers are converted to float64; float32 stays float32
        when passed to ``f``.
    method : {"central", "forward", "backward"}, keyword-only
        Central differences cost $2n$ evaluations of ``f`` with error $O(h^2)$; the one-sided
        formulas cost $n + 1$ with error $O(h)$.
    step : float or array_like broadcastable to ``x.shape``, keyword-only
        The step $h$, > 0. Default: :func:`default_step`, which is scaled to $|x_k|$ and chosen
        for the method.

    Returns
    -------
    ndarray, same shape as ``x``, float64
        The approximate gradient.

    Raises
    ------
    ValueError
        Unknown ``method``, ``step <= 0``, non-finite or empty ``x``, ``f`` returning a
        non-scalar or a non-finite value.
    TypeError
        ``f`` not callable, or ``x`` / ``f(x)`` not real numbers.

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

    References
    ----------
    W. H. Press et al., *Numerical Recipes*, 3rd ed., section 5.7, "Numerical Derivatives".
    J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., section 8.1.
    """
    f = iv.callable_arg("f", f)
    x = iv.as_real_array("x", x)
    method = iv.choice("method", method, METHODS)
    h = default_step(x, method) if step is None else iv.positive_step("step", step, x.shape)
    return partial_differences(f, x, method, h)


#: The two points of each formula, as multiples of the step: f(x + b h) - f(x + a h) over (b - a) h.
OFFSETS = {"forward": (0, 1), "backward": (-1, 0), "central": (-1, 1)}


def partial_differences(f: Callable, x: np.ndarray, method: str, h: np.ndarray) -> np.ndarray:
    """The difference quotients of ``method`` with steps ``h``, for already validated input."""
    a, b = OFFSETS[method]
    values, moved = values_along_axes(f, x, h, (a, b))
    return ((values[:, 1] - values[:, 0]) / (moved[:, 1] - moved[:, 0])).reshape(x.shape)


def values_along_axes(
    f: Callable, x: np.ndarray, h: np.ndarray, offsets: tuple[int, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """Evaluate f at ``x + j * h_k * e_k`` for every coordinate k and every offset j.

    Returns two arrays of shape ``(x.size, len(offsets))``: the values of f, and the displacement
    really applied (``(x + j h) - x`` in floating point, which is what a difference quotient must
    divide by). Offset 0 is evaluated once, at ``x`` itself, and shared by all coordinates.
    """

    def value(point: np.ndarray) -> float:
        return iv.scalar_result("f", f(point.copy()), point)

    f_x = value(x) if 0 in offsets else None
    values = np.empty((x.size, len(offsets)))
    moved = np.zeros((x.size, len(offsets)))
    for k, h_k in enumerate(h.flat):
        for column, j in enumerate(offsets):
            if j == 0:
                values[k, column] = f_x
                continue
            point = x.copy()
            point.flat[k] = x.flat[k] + j * h_k
            moved[k, column] = float(point.flat[k]) - float(x.flat[k])
            if moved[k, column] == 0.0:
                index = ", ".join(str(int(i)) for i in np.unravel_index(k, x.shape))
                raise ValueError(
                    f"`step` is too small: x[{index}] = {x.flat[k]} plus {j * h_k:g} rounds back to {x.flat[k]} in {x.dtype}."
                )
            values[k, column] = value(point)
    return values, moved
