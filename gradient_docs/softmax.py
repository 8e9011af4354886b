r"""Softmax, its logarithm, log-sum-exp, and the softmax Jacobian.

$$
\begin{aligned}
s_i(x) &= \operatorname{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}, \\
\frac{\partial s_i}{\partial x_j} &= s_i\,(\delta_{ij} - s_j).
\end{aligned}
$$

Every function subtracts $\max_j x_j$ before exponentiating. Softmax is unchanged by adding a
constant to all inputs, so the result is the same, but no exponential can overflow: the largest
term is $e^0 = 1$.

Notation: $x$ holds the $n$ inputs along the softmax axis (the logits $z$ of the loss pages),
$s = \operatorname{softmax}(x)$.

Dtypes: these are smooth building blocks, so every function keeps the input's float dtype
(float16, float32 or float64; integers become float64) and is accurate in it, to a few units
of that dtype's machine epsilon. They also accept complex input, so that the complex step
can differentiate code built from them; the maximum is then taken over the real parts.

A result beyond the float range is refused with OverflowError, never returned as infinity:
[log_softmax][gradient_docs.softmax.log_softmax] of inputs that span more than the float range
(such as $\pm 10^{308}$) has such an entry.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from gradient_docs import _validation as iv

__all__ = ["log_softmax", "logsumexp", "softmax", "softmax_jacobian", "softmax_jvp"]


def _shifted(name: str, x: npt.ArrayLike, axis: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Validate `x` and return `x - max(x)` along `axis`, the max, and the axis index.

    Where the gap to the max is beyond the float range the entry is -inf, whose exponential is
    the correct probability, 0.
    """
    x = iv.as_real_array(name, x, min_ndim=1, complex_ok=True)  # complex: for the complex step
    axis = iv.axis_index("axis", axis, x.ndim)
    # The entry with the largest real part, imaginary part included: the complex step's
    # perturbation of that entry must survive the shift (x.real.max() would drop it).
    peak = np.take_along_axis(x, np.argmax(x.real, axis=axis, keepdims=True), axis=axis)
    with np.errstate(over="ignore"):
        return x - peak, peak, axis


def _log_normalizer(z: np.ndarray, axis: int) -> np.ndarray:
    r"""$\log \sum_j e^{z_j}$ for max-shifted $z$ (keepdims), as $\log(1 + r)$ with `log1p`.

    After the shift one term of the sum is exactly $e^0 = 1$; $r$ is the sum of the others. Adding
    1 first would round away every $r$ below $\epsilon$ (for instance $e^{-28}$), so the log is
    taken with `log1p`, which keeps $\log(1 + r) \approx r$ to full relative precision.
    """
    e = np.exp(z)
    np.put_along_axis(e, np.argmax(z.real, axis=axis, keepdims=True), 0.0, axis=axis)
    return np.log1p(e.sum(axis=axis, keepdims=True))


def logsumexp(x: npt.ArrayLike, axis: int = -1) -> np.ndarray:
    r"""$\log \sum_j e^{x_j}$ along `axis`, computed as $m + \log \sum_j e^{x_j - m}$ with $m = \max_j x_j$.

    The sum after the shift is $1 + r$, where $r$ sums the terms other than the largest; its log
    is computed as `log1p(r)`, so a tiny $r$ is not lost to rounding.

    Parameters
    ----------
    x : array_like, at least 1-D
        Finite real (or complex) numbers.
    axis : int
        The axis to reduce.

    Returns
    -------
    ndarray
        The log-sum-exp, with the shape of `x` without `axis` and the dtype of `x`: a 0-d array
        for 1-D input.

    See Also
    --------
    - [Softmax and its Jacobian][softmax-and-its-jacobian]: derives the shift by the maximum and
      computes log-softmax through log-sum-exp.

    Examples
    --------
    >>> import numpy as np
    >>> print(f"{logsumexp(np.array([1000.0, 1001.0, 1002.0])):.6f}")
    1002.407606
    """
    z, peak, axis = _shifted("x", x, axis)
    return np.squeeze(peak + _log_normalizer(z, axis), axis=axis)


def softmax(x: npt.ArrayLike, axis: int = -1) -> np.ndarray:
    r"""$s_i = e^{x_i - m} / \sum_j e^{x_j - m}$ along `axis`, with $m = \max_j x_j$.

    Parameters
    ----------
    x : array_like, at least 1-D
        Finite real (or complex) numbers: logits.
    axis : int
        The axis along which the outputs sum to one.

    Returns
    -------
    ndarray
        Probabilities in $[0, 1]$ that sum to 1 along `axis`, with the shape and dtype of `x`.

    See Also
    --------
    - [Softmax and its Jacobian][softmax-and-its-jacobian]: derives softmax's properties and
      computes it without overflow.

    Examples
    --------
    >>> import numpy as np
    >>> print(softmax(np.array([1000.0, 1001.0, 1002.0])))
    [0.09003057 0.24472847 0.66524096]
    """
    z, _, axis = _shifted("x", x, axis)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(x: npt.ArrayLike, axis: int = -1) -> np.ndarray:
    r"""$\log s_i = x_i - \log \sum_j e^{x_j}$ along `axis`, without computing $s$ first.

    Taking `np.log(softmax(x))` loses every probability below the smallest float (it becomes
    $\log 0 = -\infty$); this form stays finite wherever the true value is within the float
    range.

    Parameters
    ----------
    x : array_like, at least 1-D
        Finite real (or complex) numbers.
    axis : int
        The softmax axis.

    Returns
    -------
    ndarray
        The log-probabilities $\log s_i$, with the shape and dtype of `x`.

    Raises
    ------
    OverflowError
        Some $x_i - \max_j x_j$ is below the most negative float (`x` spans more than the float
        range, as $(10^{308}, -10^{308})$ does): that log-probability cannot be represented.

    See Also
    --------
    - [Softmax and its Jacobian][softmax-and-its-jacobian]: derives log-softmax via log-sum-exp
      and shows where `np.log(softmax(x))` fails.

    Examples
    --------
    >>> import numpy as np
    >>> print(log_softmax(np.array([0.0, 1000.0])))
    [-1000.     0.]
    """
    z, _, axis = _shifted("x", x, axis)
    iv.representable(
        "`log_softmax(x)`", z, "the entry lies further below the largest entry than the float range reaches"
    )
    return z - _log_normalizer(z, axis)


def softmax_jacobian(x: npt.ArrayLike) -> np.ndarray:
    r"""The full Jacobian of softmax at a 1-D `x`.

    $$
    J_{ij} = \frac{\partial s_i}{\partial x_j} = s_i(\delta_{ij} - s_j),
    \qquad J = \operatorname{diag}(s) - s s^\top.
    $$

    $J$ is symmetric and each row sums to zero. Its diagonal $s_i(1 - s_i)$ is only part of it.
    For the largest $s_i$, $1 - s_i$ is computed as the sum of the other probabilities, so a
    saturated softmax ($s_i = 1 - 10^{-12}$, say) keeps full relative accuracy.

    Parameters
    ----------
    x : array_like of shape (n,)
        The point (logits) at which to take the Jacobian: finite real (or complex) numbers.

    Returns
    -------
    ndarray of shape (n, n)
        $J = \operatorname{diag}(s) - s s^\top$, in the dtype of `x`.

    See Also
    --------
    - [Softmax and its Jacobian][softmax-and-its-jacobian]: derives $J$, shows that the notes'
      diagonal is only part of it, and checks it row by row against central differences.

    Examples
    --------
    >>> import numpy as np
    >>> print(softmax_jacobian(np.array([0.0, 0.0])))
    [[ 0.25 -0.25]
     [-0.25  0.25]]
    """
    z, _, _ = _shifted("x", iv.as_real_array("x", x, ndim=1, complex_ok=True), -1)
    e = np.exp(z)
    top = int(np.argmax(z.real))
    rest = np.delete(e, top).sum()  # the other terms, without the exact 1 of the largest
    s = e / (1 + rest)
    J = -np.outer(s, s)
    # Diagonal s_i (1 - s_i). For the largest s_i, which may be within 1e-16 of 1, computing
    # 1 - s_i would cancel every digit; 1 - s_i = rest / (1 + rest) exactly, so use that.
    one_minus_s = 1 - s
    one_minus_s[top] = rest / (1 + rest)
    J[np.diag_indices_from(J)] = s * one_minus_s
    return J


def softmax_jvp(x: npt.ArrayLike, v: npt.ArrayLike, axis: int = -1) -> np.ndarray:
    r"""The Jacobian-vector product $J v$ of softmax, without forming $J$.

    $$
    (J v)_i = \sum_j s_i(\delta_{ij} - s_j)\, v_j = s_i \left(v_i - s^\top v\right),
    $$

    $O(n)$ work and memory instead of $O(n^2)$. Since $J$ is symmetric this is also the
    vector-Jacobian product $v^\top J$ used in backpropagation.

    `v` is scaled by a power of two (exactly) before $v_i - s^\top v$ is formed, so that the
    difference cannot overflow: $|(J v)_i| \le \max_j |v_j| / 2$, and the result is finite for
    any finite `v`, including $\pm 1.5 \cdot 10^{308}$.

    Parameters
    ----------
    x : array_like, at least 1-D
        The point (logits).
    v : array_like
        The direction, the same shape as `x`.
    axis : int
        The softmax axis; other axes are batch axes.

    Returns
    -------
    ndarray
        $J v$ along `axis`, shaped like `x`, in the common dtype of `x` and `v`.

    See Also
    --------
    - [Softmax and its Jacobian][softmax-and-its-jacobian]: derives the product $J v$ without
      forming $J$.

    Examples
    --------
    >>> import numpy as np
    >>> x, v = np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, -1.0])
    >>> print(np.allclose(softmax_jvp(x, v), softmax_jacobian(x) @ v))
    True
    """
    s = softmax(x, axis=axis)
    v = iv.as_real_array("v", v, complex_ok=True)
    iv.same_shape("x", s, "v", v)
    peak = max(float(np.abs(v.real).max()), float(np.abs(v.imag).max()))
    e = int(np.frexp(peak)[1])  # max |v| < 2**e
    u = _times_power_of_two(v, -e)  # |u| < 1: u_i - s.u cannot overflow
    return _times_power_of_two(s * (u - (s * u).sum(axis=axis, keepdims=True)), e)


def _times_power_of_two(a: np.ndarray, e: int) -> np.ndarray:
    """`a * 2**e`, exact for normal numbers, in two factors that stay within `a`'s float range."""
    half = e // 2
    return a * 2.0**half * 2.0 ** (e - half)
