r"""The worked example of the original notes: $f(x, y) = x^3 - 2xy + y^2$.

$$
\nabla f = \begin{pmatrix} 3x^2 - 2y \\ 2y - 2x \end{pmatrix},
\qquad
\nabla^2 f = \begin{pmatrix} 6x & -2 \\ -2 & 2 \end{pmatrix}.
$$

Each function takes a point $p = (x, y)$ as an array of shape (2,), or a batch of points,
shape (..., 2), real or complex: complex points let the complex step differentiate `f`.
For one point `f` returns a Python float (a complex for a complex point); batches, gradients
and Hessians are arrays of the point's dtype (float16, float32, float64 or complex; integers
become float64).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from gradient_docs import _validation as iv

__all__ = ["f", "f_gradient", "f_hessian"]


def _xy(p: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    p = iv.as_real_array("p", p, min_ndim=1, complex_ok=True)
    if p.shape[-1] != 2:
        raise ValueError(f"`p` must have shape (2,) or (..., 2), a point (x, y); got shape {p.shape}.")
    return p[..., 0], p[..., 1]


def f(p: npt.ArrayLike) -> float | np.ndarray:
    r"""$f(x, y) = x^3 - 2xy + y^2$.

    Parameters
    ----------
    p : array_like of shape (2,) or (..., 2)
        One point $(x, y)$, or a batch of points along the leading axes; real or complex.

    Returns
    -------
    float or complex or ndarray
        A float for one real point, a complex for one complex point (as the complex step
        needs), an array of shape `p.shape[:-1]` for a batch of points.

    See Also
    --------
    - [Gradient of f(x, y) = x³ − 2xy + y²][gradient-of-fx-y-x3-2xy-y2]: the function of the
      original notes, whose gradient and Hessian that page derives.

    Examples
    --------
    >>> print(f([2.0, 1.0]))
    5.0
    """
    x, y = _xy(p)
    # Products rather than ** : numpy versions round powers differently in the last bit, and the
    # site prints rounding-level numbers computed from this function.
    value = x * x * x - 2 * x * y + y * y
    if value.ndim:
        return value
    return complex(value) if np.iscomplexobj(value) else float(value)


def f_gradient(p: npt.ArrayLike) -> np.ndarray:
    r"""$\nabla f(x, y) = (3x^2 - 2y,\; 2y - 2x)$.

    Parameters
    ----------
    p : array_like of shape (2,) or (..., 2)
        The point(s) $(x, y)$ at which to take the gradient; real or complex.

    Returns
    -------
    ndarray
        $(\partial f / \partial x, \partial f / \partial y)$ along the last axis, shaped like `p`.

    See Also
    --------
    - [Gradient of f(x, y) = x³ − 2xy + y²][gradient-of-fx-y-x3-2xy-y2]: derives this gradient by
      hand and checks it numerically.

    Examples
    --------
    >>> print(f_gradient([2.0, 1.0]))
    [10. -2.]
    """
    x, y = _xy(p)
    return np.stack([3 * x * x - 2 * y, 2 * y - 2 * x], axis=-1)


def f_hessian(p: npt.ArrayLike) -> np.ndarray:
    r"""$\nabla^2 f(x, y) = \begin{pmatrix} 6x & -2 \\ -2 & 2 \end{pmatrix}$.

    Parameters
    ----------
    p : array_like of shape (2,) or (..., 2)
        The point(s) $(x, y)$ at which to take the Hessian; real or complex.

    Returns
    -------
    ndarray
        The $2 \times 2$ Hessian of each point, shape `p.shape[:-1] + (2, 2)`.

    See Also
    --------
    - [Gradient of f(x, y) = x³ − 2xy + y²][gradient-of-fx-y-x3-2xy-y2]: derives the second
      derivatives and classifies the critical points with them.

    Examples
    --------
    >>> print(f_hessian([2.0, 1.0]))
    [[12. -2.]
     [-2.  2.]]
    """
    x, _ = _xy(p)
    off = np.full_like(x, -2.0)
    return np.stack([np.stack([6 * x, off], axis=-1), np.stack([off, np.full_like(x, 2.0)], axis=-1)], axis=-2)
