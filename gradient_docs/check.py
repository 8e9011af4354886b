r"""Gradient checking: compare an analytic gradient with a numerical one.

A finite difference is never exact, so a check needs a tolerance, and the tolerance should be
the error of the numerical gradient at hand, not a number tuned until tests pass. The checker
estimates that error from the function values themselves:

- **Truncation.** The numerical gradient $g(h)$ is computed at steps $h$ and $2h$. Its error is
  $c\,h^p$ to leading order ($p = 1$ one-sided, $p = 2$ central), so
  $g(2h) - g(h) \approx (2^p - 1)\,c\,h^p$ and the error of $g(h)$ is about
  $|g(2h) - g(h)| / (2^p - 1)$.
- **Rounding.** Values of $f$ carry rounding noise of some size $\sigma$: at least
  $\epsilon |f|$, more when $f$ cancels internally. The points $x + j h_k e_k$
  ($j = -2, \dots, 2$ central; $0, 1, 2$ or $0, -1, -2$ one-sided) give a difference of order
  $m = 4$ (central) or $2$ (one-sided) per coordinate. For smooth $f$ it is almost pure noise,
  with variance $\binom{2m}{m} \sigma^2$, so its root mean square over the coordinates
  estimates $\sigma$. The quotient then carries noise of about $c_p \sigma / h_k$ ($c_p = 1$
  central, $2$ one-sided).

$$
\widehat{E}_k = \frac{|g_k(2h) - g_k(h)|}{2^p - 1} + \frac{c_p\,\hat\sigma}{h_k},
\qquad
\text{tolerance}_k = 10\,\widehat{E}_k + 10\,\epsilon^{p/(p+1)} \max(|a_k|, |g_k|).
$$

The second term of the tolerance is ten times the best relative accuracy the method reaches
with its default step: a floor for the rare point where both estimates happen to be small.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from gradient_docs import _validation as iv
from gradient_docs.finite_diff import (
    METHODS,
    OFFSETS,
    ORDER,
    _differentiate,
    default_step,
    difference_quotient,
    evaluate,
    predicted_error,
)

__all__ = ["check_gradient", "GradientCheck", "relative_error"]

#: Margin between the estimated error of the numerical gradient and the tolerance.
SAFETY = 10.0

#: A numerical gradient whose estimated error exceeds this fraction of the gradient's largest
#: component cannot confirm anything: the check is inconclusive (and does not pass).
RELIABLE = 1e-2


def relative_error(analytic: np.ndarray, numerical: np.ndarray) -> np.ndarray:
    r"""Element-wise relative error $|a - n| / \max(|a|, |n|)$, taken as 0 where both are 0.

    Parameters
    ----------
    analytic, numerical : ndarray, same shape
        The two gradients.

    Returns
    -------
    ndarray, same shape, values in [0, 2]

    Examples
    --------
    >>> import numpy as np
    >>> print(relative_error(np.array([4.0, 0.0, 1.0]), np.array([5.0, 0.0, -1.0])))
    [0.2 0.  2. ]
    """
    difference = np.abs(analytic - numerical)
    scale = np.maximum(np.abs(analytic), np.abs(numerical))
    return np.divide(difference, scale, out=np.zeros_like(difference), where=scale > 0)


@dataclass(frozen=True, repr=False)
class GradientCheck:
    """The outcome of :func:`check_gradient`.

    Attributes
    ----------
    passed : bool
        The numerical gradient is reliable and every component of ``analytic`` is within
        ``tolerance`` of it.
    reliable : bool
        The estimated error of ``numerical`` is at most 1% of the gradient's largest component.
        It is not near a kink of ``f`` (ReLU, abs, max) or a point where ``f`` is dominated by
        noise; if it is, the check is inconclusive and ``passed`` is False.
    max_relative_error : float
        The largest :func:`relative_error` over the components: the observed error.
    analytic, numerical : ndarray
        The gradient under test and the numerical one, shaped like ``x``; for
        ``direction="random"``, the two directional derivatives, shape ``(1,)``.
    tolerance : ndarray
        The allowed absolute difference per component.
    error_estimate : ndarray
        Estimated absolute error of ``numerical``, measured from the function values (see the
        module docstring); for ``direction="random"`` it is ``predicted_error``.
    predicted_error : ndarray
        The error the method predicts at its step (truncation plus rounding, assuming the
        derivatives of ``f`` vary on the scale of ``x``), for comparison with the observed one.
    method : str
        The numerical method used.
    direction : str
        ``"all"`` (every component) or ``"random"`` (one random directional derivative).
    nfev : int
        Number of evaluations of ``f``.
    worst_index : tuple of int
        The component whose difference is largest relative to its tolerance.
    """

    passed: bool
    reliable: bool
    max_relative_error: float
    analytic: np.ndarray
    numerical: np.ndarray
    tolerance: np.ndarray
    error_estimate: np.ndarray
    predicted_error: np.ndarray
    method: str
    direction: str
    nfev: int
    worst_index: tuple[int, ...]

    def __repr__(self) -> str:
        i = self.worst_index
        a, n, tol = self.analytic[i], self.numerical[i], self.tolerance[i]
        verdict = ">" if abs(a - n) > tol else "<="
        where = "in a random direction" if self.direction == "random" else f"worst at index {i}"
        if not self.reliable:
            k = np.unravel_index(int(np.argmax(self.error_estimate)), self.error_estimate.shape)
            return (
                f"GradientCheck(passed=False, inconclusive: the numerical gradient's estimated error "
                f"{self.error_estimate[k]:.3g} at index {tuple(int(j) for j in k)} is over 1% of the gradient's "
                f"largest component; is there a kink (abs, ReLU, max) or noise within the step? "
                f"method={self.method!r}, nfev={self.nfev}, analytic={self.analytic[k]:.10g}, numerical={self.numerical[k]:.10g})"
            )
        return (
            f"GradientCheck(passed={self.passed}, method={self.method!r}, nfev={self.nfev}, "
            f"max_relative_error={self.max_relative_error:.3g}, {where}: "
            f"analytic={a:.10g}, numerical={n:.10g}, |difference|={abs(a - n):.3g} {verdict} tolerance={tol:.3g}, "
            f"predicted error={self.predicted_error[i]:.3g})"
        )


def check_gradient(
    f: Callable[[np.ndarray], float],
    grad: Callable[[np.ndarray], npt.ArrayLike],
    x: npt.ArrayLike,
    *,
    method: str = "central",
    direction: str = "all",
    rtol: float | None = None,
    atol: float | None = None,
    seed: int | np.random.Generator | None = None,
) -> GradientCheck:
    r"""Compare an analytic gradient with a numerical one at ``x``.

    Component $k$ passes when

    $$
    |a_k - n_k| \le \text{atol} + \text{rtol} \cdot \max(|a_k|, |n_k|),
    $$

    where $a$ is ``grad(x)`` and $n$ the numerical gradient of ``method`` with its default step.
    If neither ``rtol`` nor ``atol`` is given, the tolerance comes from the error analysis of the
    method (see the module docstring): ``atol`` is ten times the estimated error of $n_k$ and
    ``rtol`` ten times $\epsilon^{p/(p+1)}$ (about $3.7 \times 10^{-10}$ for central and
    $1.5 \times 10^{-7}$ for one-sided differences in float64; the central value for the complex
    step and Richardson). If either is given, the other defaults to 0.

    ``direction="random"`` checks one directional derivative instead: with $u$ a random unit
    vector, it compares $\nabla f \cdot u$ (from ``grad``) with the numerical derivative of
    $t \mapsto f(x + t u)$ at 0. That costs two evaluations of $f$ (one for the complex step)
    however large $x$ is, and catches a wrong gradient with probability 1, though it cannot say
    which component is wrong. Its tolerance is ten times the method's predicted error.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``, the scalar function.
    grad : callable
        ``grad(x) -> ndarray`` shaped like ``x``, the gradient under test.
    x : array_like, any shape
        The point, finite and real.
    method : {"central", "forward", "backward", "complex", "richardson"}, keyword-only
    direction : {"all", "random"}, keyword-only
    rtol, atol : float >= 0, keyword-only
        Explicit tolerances (see above).
    seed : int or numpy.random.Generator, keyword-only
        Source of the random direction.

    Returns
    -------
    GradientCheck
        ``passed``, ``max_relative_error``, both gradients, the tolerance, the estimated and the
        predicted error, and ``nfev``; its repr names the component that differs most.

    Examples
    --------
    >>> import numpy as np
    >>> from gradient_docs import check_gradient
    >>> def f(p):
    ...     return p[0] ** 3 - 2 * p[0] * p[1] + p[1] ** 2
    >>> def grad_f(p):
    ...     return np.array([3 * p[0] ** 2 - 2 * p[1], -2 * p[0] + 2 * p[1]])
    >>> check_gradient(f, grad_f, [2.0, 1.0]).passed
    True
    >>> wrong = check_gradient(f, lambda p: 1.001 * grad_f(p), [2.0, 1.0])
    >>> wrong.passed
    False
    >>> print(f"{wrong.max_relative_error:.2e}")
    9.99e-04
    >>> check_gradient(f, lambda p: 1.001 * grad_f(p), [2.0, 1.0], direction="random", seed=0).passed
    False

    References
    ----------
    J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., section 8.1.
    J. J. More and S. M. Wild, "Estimating computational noise", *SIAM J. Sci. Comput.* 33 (2011).
    """
    f = iv.callable_arg("f", f)
    grad = iv.callable_arg("grad", grad)
    x = iv.as_real_array("x", x)
    method = iv.choice("method", method, METHODS)
    direction = iv.choice("direction", direction, ("all", "random"))
    rtol = None if rtol is None else _tolerance("rtol", rtol)
    atol = None if atol is None else _tolerance("atol", atol)

    analytic = iv.as_real_array("grad(x)", grad(x.copy())).astype(np.float64)
    if analytic.shape != x.shape:
        raise ValueError(
            f"`grad` must return an array shaped like `x` {x.shape}; it returned shape {analytic.shape}."
        )
    secant = 0.0  # the largest secant slope of f over the stencil, where one is measured
    if direction == "random":
        analytic, numerical, error_estimate, predicted, nfev = _directional(f, x, analytic, method, seed)
    elif method in ORDER:
        numerical, error_estimate, predicted, nfev, secant = _numerical_gradient_with_error(f, x, method)
    else:
        h = default_step(x, method)
        value, error, nfev = _differentiate(f, x, h, method, False, scalar=True)
        numerical, error_estimate = value[:, 0].reshape(x.shape), error[:, 0].reshape(x.shape)
        predicted = error_estimate
    eps = float(np.finfo(x.dtype).eps)
    order = ORDER.get(method, 2)
    scale = np.maximum(np.abs(analytic), np.abs(numerical))
    if rtol is None and atol is None:
        tolerance = SAFETY * (error_estimate + eps ** (order / (order + 1)) * scale)
    else:
        tolerance = (atol or 0.0) + (rtol or 0.0) * scale

    difference = np.abs(analytic - numerical)
    # Reliability is judged against the gradient's size, or the slope f shows over the stencil
    # when the gradient vanishes (at a critical point both gradients are ~0 but f still moves).
    gradient_size = max(float(scale.max()), secant)
    reliable = gradient_size == 0.0 or bool(np.all(error_estimate <= RELIABLE * gradient_size))
    excess = np.divide(difference, tolerance, out=np.where(difference > 0, np.inf, 0.0), where=tolerance > 0)
    worst = np.unravel_index(int(np.argmax(excess)), analytic.shape)
    return GradientCheck(
        passed=reliable and bool(np.all(difference <= tolerance)),
        reliable=reliable,
        max_relative_error=float(relative_error(analytic, numerical).max()),
        analytic=analytic,
        numerical=numerical,
        tolerance=tolerance,
        error_estimate=error_estimate,
        predicted_error=predicted,
        method=method,
        direction=direction,
        nfev=nfev,
        worst_index=tuple(int(i) for i in worst),
    )


def _directional(f, x, analytic, method, seed):
    """Analytic and numerical derivative of f along a random unit vector, with predicted error."""
    rng = np.random.default_rng(seed)
    u = rng.standard_normal(x.shape)
    u /= np.linalg.norm(u)
    s = max(float(np.abs(x).max()), 1.0)  # the scale of x, not of t = 0
    t0 = np.zeros(1)
    h = default_step(t0, method, scale=s)

    def along(t: np.ndarray) -> float:
        return f(x + t[0] * u)

    if method in ORDER:
        values, moved, nfev = evaluate(along, t0, h, OFFSETS[method], vectorized=False, scalar=True)
        value = difference_quotient(values, moved, 0, 1)
        error = predicted_error(method, np.array([s]), h, value, np.abs(values).max(axis=1))
    else:
        value, error, nfev = _differentiate(along, t0, h, method, False, scalar=True)
    return np.array([float(analytic.ravel() @ u.ravel())]), value[:, 0], error[:, 0], error[:, 0], nfev


#: Stencils of the check: the offsets (multiples of h) whose values give the quotients at h and
#: 2h, and the weights of the highest difference they allow, which measures the noise of f.
STENCILS = {
    "central": ((-2, -1, 0, 1, 2), (1, -4, 6, -4, 1)),
    "forward": ((0, 1, 2), (1, -2, 1)),
    "backward": ((-2, -1, 0), (1, -2, 1)),
}


def _numerical_gradient_with_error(f, x: np.ndarray, method: str):
    """The numerical gradient at the default step, its estimated and predicted errors, and nfev."""
    offsets, weights = STENCILS[method]
    h = default_step(x, method)
    values, moved, nfev = evaluate(f, x, h, offsets, vectorized=False, scalar=True)
    column = {j: i for i, j in enumerate(offsets)}
    at_h, at_2h = (
        difference_quotient(values, moved, *(column[multiple * j] for j in OFFSETS[method]))[:, 0]
        for multiple in (1, 2)
    )
    values = values[..., 0]
    truncation = np.abs(at_2h - at_h) / (2 ** ORDER[method] - 1)
    weights = np.asarray(weights, dtype=np.float64)
    noise_samples = (values @ weights) / np.sqrt(np.sum(weights**2))
    eps = float(np.finfo(x.dtype).eps)
    sigma = max(float(np.sqrt(np.mean(noise_samples**2))), eps * float(np.abs(values).max()))
    rounding = (1.0 if method == "central" else 2.0) * sigma / h.ravel()
    a, b = (column[j] for j in OFFSETS[method])
    predicted = predicted_error(method, x, h, at_h[:, None], np.abs(values[:, [a, b]]).max(axis=1))[:, 0]
    width = max(offsets) - min(offsets)
    secant = float(np.max((values.max(axis=1) - values.min(axis=1)) / (width * h.ravel())))
    return at_h.reshape(x.shape), (truncation + rounding).reshape(x.shape), predicted.reshape(x.shape), nfev, secant


def _tolerance(name: str, value: float) -> float:
    array = iv.as_real_array(name, value, ndim=0)
    if array < 0:
        raise ValueError(f"`{name}` must be >= 0; got {float(array)}.")
    return float(array)
