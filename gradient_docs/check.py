r"""Gradient checking: compare an analytic gradient with a numerical one.

A finite difference is never exact, so a check needs a tolerance, and the tolerance should be
the error of the numerical gradient at hand, not a number tuned until tests pass. The checker
measures that error from the function values themselves:

- **Truncation.** The numerical gradient $g(h)$ is computed at steps $h$ and $2h$. Its error is
  $c\,h^p$ to leading order ($p$ the method's order), so $g(2h) - g(h) \approx (2^p - 1)\,c\,h^p$
  and the error of $g(h)$ is about $|g(2h) - g(h)| / (2^p - 1)$.
- **Rounding.** Values of $f$ carry rounding noise of some size $\sigma$: at least
  $\epsilon (|f| + \sum_k |x_k g_k|)$, more when $f$ cancels internally. The stencil's points,
  its offsets $o_j$ together with $2 o_j$ and $0$, allow a divided difference of the highest
  order, which vanishes on polynomials: for smooth $f$ it is almost pure noise. Scaled to unit
  weights, its root mean square over the coordinates estimates $\sigma$; a coordinate whose
  own difference is larger (a kink within its stencil) keeps its own value, $\hat\sigma_k$. The
  quotient then carries noise of about $\rho \hat\sigma_k / h_k$, with $\rho = \sum_j |w_j|$
  (1 central, 2 one-sided).

$$
\begin{aligned}
\widehat{E}_k &= \frac{|g_k(2h) - g_k(h)|}{2^p - 1} + \frac{\rho\,\hat\sigma_k}{h_k}, \\
\text{tolerance}_k &= 10\,\widehat{E}_k \\
&\quad + 10\,\epsilon^{p/(p+1)} \max(|a_k|, |g_k|).
\end{aligned}
$$

The second term of the tolerance is ten times the best relative accuracy the method reaches
with its default step: a floor for the rare point where both estimates happen to be small. The
complex step and Richardson extrapolation bring their own error estimates (rounding alone, and
the extrapolation table).

`direction="random"` applies the same measurement to $t \mapsto f(x + t u)$ at $t = 0$, for a
random unit vector $u$, with steps on the scale of $x$: its tolerance is measured too, never
predicted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from gradient_docs import _engine
from gradient_docs import _validation as iv
from gradient_docs._methods import TABLE, Method
from gradient_docs.finite_diff import METHODS

__all__ = ["GradientCheck", "check_gradient", "relative_error"]

#: Margin between the estimated error of the numerical gradient and the tolerance.
SAFETY = 10.0

#: A numerical gradient whose estimated error exceeds this fraction of the gradient's largest
#: component cannot confirm anything: the check is inconclusive (and does not pass).
RELIABLE = 1e-2


def relative_error(analytic: npt.ArrayLike, numerical: npt.ArrayLike) -> np.ndarray:
    r"""Element-wise relative error $|a - n| / \max(|a|, |n|)$, taken as 0 where both are 0.

    Parameters
    ----------
    analytic : array_like
        The gradient under test: finite real numbers (integers are converted to float64).
    numerical : array_like
        The reference gradient, of the same shape as `analytic`: finite real numbers.

    Returns
    -------
    ndarray
        The relative error per component, shaped like `analytic`, with values in $[0, 2]$ (2 where
        one value is the negative of the other).

    Raises
    ------
    ValueError
        Different shapes, empty, NaN or infinity.
    TypeError
        Not real numbers (bool, complex, strings, objects).

    See Also
    --------
    - [Gradient checking in practice][gradient-checking-in-practice]: explains why a check
      compares relative errors, and why a true value of 0 also needs an absolute tolerance.

    Examples
    --------
    >>> import numpy as np
    >>> print(relative_error(np.array([4.0, 0.0, 1.0]), np.array([5.0, 0.0, -1.0])))
    [0.2 0.  2. ]
    """
    analytic, numerical = iv.matching_arrays("analytic", analytic, "numerical", numerical)
    a, n = analytic.astype(np.float64), numerical.astype(np.float64)
    scale = np.maximum(np.abs(a), np.abs(n))
    safe = np.where(scale > 0, scale, 1.0)
    with np.errstate(over="ignore"):  # a - n overflows only for opposite signs beyond 9e307
        difference = np.abs(a - n)
    relative = np.where(np.isinf(difference), np.abs(a / safe - n / safe), difference / safe)
    return np.where(scale > 0, relative, 0.0)


@dataclass(frozen=True, repr=False)
class GradientCheck:
    """The outcome of [check_gradient][gradient_docs.check.check_gradient].

    Attributes
    ----------
    passed : bool
        The numerical gradient is reliable and every component of `analytic` is within
        `tolerance` of it.
    reliable : bool
        The estimated error of `numerical` is at most 1% of the larger of the gradient's
        largest component and the slope `f` shows across the stencil (the second matters at a
        critical point, where both gradients are near 0). It fails near a kink of `f` (ReLU,
        abs, max) or where `f` is dominated by noise; the check is then inconclusive and
        `passed` is False.
    max_relative_error : float
        The largest [relative_error][gradient_docs.check.relative_error] over the components.
    analytic : ndarray
        The gradient under test, shaped like `x`, in float64; for `direction="random"`, its
        derivative along the random unit vector $u$, shape `(1,)`.
    numerical : ndarray
        The numerical gradient it is compared with, shaped like `analytic`; for
        `direction="random"`, the numerical derivative along $u$.
    tolerance : ndarray
        The allowed absolute difference per component, shaped like `analytic`.
    error_estimate : ndarray
        Estimated absolute error of `numerical`, shaped like `analytic`, measured from the
        function values (see the module docstring).
    predicted_error : ndarray
        The error, shaped like `analytic`, that the method predicts at its step (truncation plus
        rounding, assuming the derivatives of `f` vary on the scale of `x`), for comparison with
        the measured one.
    method : str
        The numerical method used.
    direction : str
        `"all"` (every component) or `"random"` (one random directional derivative).
    nfev : int
        Number of evaluations of `f`.
    worst_index : tuple of int
        The component whose difference is largest relative to its tolerance.
    message : str
        One sentence: the verdict and the component that decided it.

    See Also
    --------
    - [Gradient checking in practice][gradient-checking-in-practice]: reads these fields on
      passing, failing and inconclusive checks.
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
    message: str

    def __repr__(self) -> str:
        return (
            f"GradientCheck(passed={self.passed}, reliable={self.reliable}, method={self.method!r},"
            f" direction={self.direction!r}, max_relative_error={self.max_relative_error:.3g}, nfev={self.nfev})"
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
    bounds: tuple | None = None,
) -> GradientCheck:
    r"""Compare an analytic gradient with a numerical one at `x`.

    Component $k$ passes when

    $$
    |a_k - n_k| \le \text{atol} + \text{rtol} \cdot \max(|a_k|, |n_k|),
    $$

    where $a$ is `grad(x)` and $n$ the numerical gradient of `method` with its default step.
    If neither `rtol` nor `atol` is given, the tolerance comes from the error of $n$ measured
    from the function values (see the module docstring): `atol` is ten times the estimated error
    of $n_k$ and `rtol` ten times $\epsilon^{p/(p+1)}$ (about $3.7 \times 10^{-10}$ for central
    and $1.5 \times 10^{-7}$ for one-sided differences in float64; the central value for the
    complex step and Richardson). If either is given, the other defaults to 0.

    `direction="random"` checks one directional derivative instead: with $u$ a random unit
    vector, it compares $\nabla f \cdot u$ (from `grad`) with the numerical derivative of
    $t \mapsto f(x + t u)$ at 0, whose error is measured the same way. That costs five
    evaluations of $f$ (central), however large $x$ is, and catches a wrong gradient with
    probability 1, though it cannot say which component is wrong.

    Parameters
    ----------
    f : callable
        `f(x) -> float`, the scalar function.
    grad : callable
        `grad(x) -> ndarray` shaped like `x`, the gradient under test.
    x : array_like, any shape
        The point, finite and real.
    method : str
        The numerical method, as for [gradient][gradient_docs.finite_diff.gradient]: `"central"`
        (the default), `"forward"`, `"backward"`, `"complex"`, `"richardson"` or `"central4"`.
    direction : str
        `"all"` (the default) checks every component; `"random"` checks one directional
        derivative along a random unit vector.
    rtol : float >= 0
        Explicit relative tolerance, the factor of $\max(|a_k|, |n_k|)$ above; `atol` then
        defaults to 0.
    atol : float >= 0
        Explicit absolute tolerance, the constant term above; `rtol` then defaults to 0.
    seed : int >= 0 or numpy.random.Generator or None
        Source of the random direction, as `numpy.random.default_rng` takes it (validated for
        both directions).
    bounds : tuple of (lower, upper)
        Where `f` is defined, as for [gradient][gradient_docs.finite_diff.gradient]: no point
        outside is evaluated, one-sided stencils are used near a bound.

    Returns
    -------
    GradientCheck
        `passed`, `max_relative_error`, both gradients, the tolerance, the estimated and the
        predicted error, `nfev`, and a one-sentence `message` naming the deciding component.

    See Also
    --------
    - [Gradient checking in practice][gradient-checking-in-practice]: derives the tolerance from
      the method's error, tests the test, and checks at kinks and along random directions.

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
    - J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., section 8.1.
    - J. J. Moré and S. M. Wild, "Estimating computational noise", *SIAM J. Sci. Comput.* 33 (2011).
    """
    f = iv.callable_arg("f", f)
    grad = iv.callable_arg("grad", grad)
    x = iv.as_real_array("x", x)
    method = TABLE[iv.choice("method", method, METHODS)]
    direction = iv.choice("direction", direction, ("all", "random"))
    rtol = None if rtol is None else _tolerance("rtol", rtol)
    atol = None if atol is None else _tolerance("atol", atol)
    seed = iv.seed("seed", seed)
    lower, upper = iv.bounds("bounds", bounds, x)

    analytic = iv.as_real_array("grad(x)", grad(x.copy())).astype(np.float64)
    if analytic.shape != x.shape:
        raise ValueError(f"`grad` must return an array shaped like `x` {x.shape}; it returned shape {analytic.shape}.")
    eps = float(np.finfo(x.dtype).eps)
    sensitivity = float(np.sum(np.abs(eps * x.ravel().astype(np.float64) * analytic.ravel())))
    if direction == "random":
        u = _direction(x, seed)
        analytic = np.array([float(analytic.ravel() @ u.ravel())])
        measured = _along(f, x, u, (lower, upper), method, sensitivity)
    else:
        fn = _function(f, x, method, lower, upper)
        measured = _measure(fn, method, _steps(x, method), sensitivity)
    return _verdict(analytic, measured, method, direction, rtol, atol, x.dtype)


@dataclass(frozen=True)
class _Measured:
    """The numerical gradient with its measured and predicted error, and what it cost."""

    value: np.ndarray
    error: np.ndarray
    predicted: np.ndarray
    secant: float  # the largest slope f shows over the stencil, where one is measured
    nfev: int


def _function(f, x: np.ndarray, method: Method, lower, upper) -> _engine.Function:
    complex_step, finite = method.error_model == "rounding", method.error_model != "table"
    return _engine.Function(
        f, x, vectorized=False, scalar=True, complex_step=complex_step, lower=lower, upper=upper, finite=finite
    )


def _steps(x: np.ndarray, method: Method, scale=None) -> np.ndarray:
    s = np.maximum(np.abs(x.astype(np.float64)), 1.0) if scale is None else scale
    return (method.step_factor(x.dtype) * s).ravel()


def _measure(fn: _engine.Function, method: Method, h: np.ndarray, sensitivity: float) -> _Measured:
    """The numerical gradient of `method` and its error, measured from the values (see module).

    `sensitivity` is the sum of |eps x_k a_k|: what rounding x alone does to f.
    """
    shape = fn.x.shape
    if method.error_model != "taylor":
        estimate = _engine.estimate(fn, method, h)
        value, error = estimate.value[:, 0].reshape(shape), estimate.error[:, 0].reshape(shape)
        return _Measured(value, error, error, 0.0, fn.nfev)
    plan = _engine.fit(method, fn, h, span=lambda m: m.check_offsets)
    samples = fn.sample([stencil for _, stencil in plan])
    n = fn.flat.size
    value, truncation, rho_over_h, predicted, own_noise = (np.empty(n) for _ in range(5))
    noise_samples = []
    for (variant, stencil), sampled in zip(plan, samples):
        k = stencil.coordinates
        at_h = sampled.quotient(variant.offsets, variant.weights)[:, 0]
        at_2h = sampled.quotient(variant.offsets, variant.weights, multiple=2)[:, 0]
        value[k], truncation[k] = at_h, np.abs(at_2h - at_h) / (2**variant.order - 1)
        rho_over_h[k] = variant.rounding / stencil.step
        noise_samples.append(sampled.values[..., 0] @ variant.noise_weights)
        own_noise[k] = np.abs(noise_samples[-1])
    values = np.concatenate([s.values[..., 0].ravel() for s in samples])
    floor = fn.eps * float(np.abs(values).max()) + sensitivity
    # The noise of f is pooled over the coordinates, but a coordinate whose own high-order
    # difference is larger than that (a kink within its stencil) keeps its own: pooled, one kink
    # among many coordinates would be averaged away and its error underestimated.
    sigma = np.maximum(_rms(np.concatenate(noise_samples), floor), own_noise)
    for variant, stencil in plan:
        k = stencil.coordinates
        scale = np.maximum(np.abs(fn.flat[k].astype(np.float64)), 1.0)
        predicted[k] = variant.predicted_error(stencil.step, scale, value[k], floor)
    error = truncation + sigma * rho_over_h
    secant = max(_secant(sampled) for sampled in samples)
    return _Measured(value.reshape(shape), error.reshape(shape), predicted.reshape(shape), secant, fn.nfev)


def _rms(samples: np.ndarray, floor: float) -> float:
    r"""$\hat\sigma$: the root mean square of the noise samples, at least `floor`.

    Computed on scaled values, so that $|f|$ near the largest floats does not overflow.
    """
    top = float(np.abs(samples).max())
    if top == 0.0:
        return floor
    return max(top * float(np.sqrt(np.mean((samples / top) ** 2))), floor)


def _secant(sampled: _engine.Samples) -> float:
    """The largest slope f shows across the stencil: (max f - min f) / width, over its coordinates."""
    values = sampled.values[..., 0]
    width = (max(sampled.stencil.offsets) - min(sampled.stencil.offsets)) * sampled.stencil.step[:, None]
    return float(np.max(values.max(axis=1) / width[:, 0] - values.min(axis=1) / width[:, 0])) if values.size else 0.0


def _direction(x: np.ndarray, seed) -> np.ndarray:
    u = np.random.default_rng(seed).standard_normal(x.shape)
    return u / np.linalg.norm(u)


def _along(f, x, u, bounds, method: Method, sensitivity: float) -> _Measured:
    """The derivative of t -> f(x + t u) at 0, measured like a gradient in one variable.

    The step is on the scale of x, max(|x_k|, 1); the bounds of x become an interval of t, and
    each point is clipped into the box, so rounding of x + t u cannot leave it.
    """
    flat, direction = x.ravel().astype(np.float64), u.ravel()
    lower, upper = bounds

    def point(t: np.ndarray) -> np.ndarray:
        moved = flat + t[0].real * direction
        if lower is not None:
            moved = np.clip(moved, lower, upper)
        if np.iscomplexobj(t):
            moved = moved + 1j * t[0].imag * direction
        return moved.astype(np.result_type(x.dtype, t.dtype)).reshape(x.shape)

    t0 = np.zeros(1, dtype=x.dtype)
    t_lower, t_upper = (None, None) if lower is None else _interval(flat, direction, lower, upper)
    fn = _function(lambda t: f(point(t)), t0, method, t_lower, t_upper)
    scale = np.array([max(float(np.abs(flat).max()), 1.0)])
    return _measure(fn, method, _steps(t0, method, scale), sensitivity)


def _interval(x, u, lower, upper) -> tuple[np.ndarray, np.ndarray]:
    """The values of t for which x + t u stays within [lower, upper]."""
    moving = u != 0
    ends = np.stack([(lower - x)[moving] / u[moving], (upper - x)[moving] / u[moving]])
    return np.array([float(ends.min(axis=0).max())]), np.array([float(ends.max(axis=0).min())])


def _verdict(analytic, measured: _Measured, method: Method, direction, rtol, atol, dtype) -> GradientCheck:
    eps = float(np.finfo(dtype).eps)
    numerical, estimate = measured.value, measured.error
    scale = np.maximum(np.abs(analytic), np.abs(numerical))
    if rtol is None and atol is None:
        tolerance = SAFETY * (estimate + eps ** (method.order / (method.order + 1)) * scale)
    else:
        tolerance = (atol or 0.0) + (rtol or 0.0) * scale
    difference = np.abs(analytic - numerical)
    # Reliability is judged against the gradient's size, or the slope f shows over the stencil
    # when the gradient vanishes (at a critical point both gradients are ~0 but f still moves).
    gradient_size = max(float(scale.max()), measured.secant)
    reliable = gradient_size == 0.0 or bool(np.all(estimate <= RELIABLE * gradient_size))
    excess = np.divide(difference, tolerance, out=np.where(difference > 0, np.inf, 0.0), where=tolerance > 0)
    worst = tuple(int(i) for i in np.unravel_index(int(np.argmax(excess)), analytic.shape))
    passed = reliable and bool(np.all(difference <= tolerance))
    return GradientCheck(
        passed=passed,
        reliable=reliable,
        max_relative_error=float(relative_error(analytic, numerical).max()),
        analytic=analytic,
        numerical=numerical,
        tolerance=tolerance,
        error_estimate=estimate,
        predicted_error=measured.predicted,
        method=method.name,
        direction=direction,
        nfev=measured.nfev,
        worst_index=worst,
        message=_message(passed, reliable, analytic, numerical, tolerance, estimate, worst, direction),
    )


def _message(passed, reliable, analytic, numerical, tolerance, estimate, worst, direction) -> str:
    """One sentence: why the check passed, failed or was inconclusive, and where."""
    if not reliable:
        k = tuple(int(i) for i in np.unravel_index(int(np.argmax(estimate)), estimate.shape))
        return (
            f"inconclusive: the numerical gradient's estimated error {estimate[k]:.3g} at index {k} is over 1% of"
            " the gradient's largest component; is there a kink (abs, ReLU, max) or noise within the step?"
        )
    where = "in the random direction" if direction == "random" else f"at index {worst}"
    a, n, tol = analytic[worst], numerical[worst], tolerance[worst]
    verdict = "passed" if passed else "failed"
    relation = "<=" if abs(a - n) <= tol else ">"
    return (
        f"{verdict}: largest difference {where}: analytic {a:.10g}, numerical {n:.10g},"
        f" |difference| {abs(a - n):.3g} {relation} tolerance {tol:.3g}"
    )


def _tolerance(name: str, value: float) -> float:
    array = iv.as_real_array(name, value, ndim=0)
    if array < 0:
        raise ValueError(f"`{name}` must be >= 0; got {float(array)}.")
    return float(array)
