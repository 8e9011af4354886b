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


def partial_differences(f: Callable, x: np.ndarray, method: str, h: np.ndarray) -> np.ndarray:
    """The difference quotients of ``method`` with steps ``h``, for already validated input."""

    def value(point: np.ndarray) -> float:
        return iv.scalar_result("f", f(point.copy()), point)

    def shifted(k: int, delta: float) -> tuple[float, float]:
        """f at x with coordinate k moved by delta, and the displacement really applied."""
        point = x.copy()
        point.flat[k] = x.flat[k] + delta
        moved = float(point.flat[k]) - float(x.flat[k])
        if moved == 0.0:
            raise ValueError(
                f"`step` is too small: x{np.unravel_index(k, x.shape)} = {x.flat[k]} plus {delta:g}"
                f" rounds back to {x.flat[k]} in {x.dtype}."
            )
        return value(point), moved

    grad = np.empty(x.shape, dtype=np.float64)
    f_x = value(x) if method != "central" else None
    for k, h_k in enumerate(h.flat):
        if method == "central":
            (f_plus, up), (f_minus, down) = shifted(k, h_k), shifted(k, -h_k)
            grad.flat[k] = (f_plus - f_minus) / (up - down)
        elif method == "forward":
            f_plus, up = shifted(k, h_k)
            grad.flat[k] = (f_plus - f_x) / up
        else:
            f_minus, down = shifted(k, -h_k)
            grad.flat[k] = (f_x - f_minus) / -down
    return grad
