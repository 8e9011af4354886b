r"""Numerical derivatives: gradients, Jacobians and Hessians from function values.

For a function $f$ of an array $x$, the partial derivative along coordinate $k$ is approximated
from values of $f$ at points displaced by a step $h_k$ along the unit vector $e_k$:

$$
\begin{aligned}
\text{forward:}\quad  & \frac{f(x + h_k e_k) - f(x)}{h_k},\\[1ex]
\text{backward:}\quad & \frac{f(x) - f(x - h_k e_k)}{h_k},\\[1ex]
\text{central:}\quad  & \frac{f(x + h_k e_k) - f(x - h_k e_k)}{2 h_k},\\[1ex]
\text{complex:}\quad  & \frac{\operatorname{Im} f(x + i h_k e_k)}{h_k},
\end{aligned}
$$

with errors $O(h_k)$, $O(h_k)$, $O(h_k^2)$ and $O(h_k^2)$; the complex step subtracts nothing,
so it loses no digits to cancellation.

`"central4"` is the fourth-order stencil $(f_{-2} - 8 f_{-1} + 8 f_1 - f_2) / 12h$, and
`"richardson"` extrapolates central differences at a shrinking sequence of steps, chosen
adaptively per coordinate, with an error estimate from the extrapolation table (formulas in
[gradient][gradient_docs.finite_diff.gradient]; the algorithm in `gradient_docs/richardson.py`).
Each method is one entry of the table in `gradient_docs/_methods.py`: its offsets and order,
from which its weights, error model, step rule and one-sided variants follow.

**Bounds.** With `bounds=(lower, upper)`, no point outside the box is evaluated. Where the
stencil of a method would leave it, the method's one-sided stencil of the same order is used
instead (as `scipy.optimize.approx_derivative` does), for instance for central differences

$$
\begin{aligned}
&\frac{-3 f(x) + 4 f(x + h e_k) - f(x + 2 h e_k)}{2h} \\
&\qquad = \frac{\partial f}{\partial x_k} - \frac{h^2}{3} f''' + \dots,
\end{aligned}
$$

with the step shrunk if even that does not fit, and its own truncation constant in the error.

Every function evaluates $f$ one point at a time by default. With `vectorized=True`, $f$
receives a batch of points, shape `(m, *x.shape)`, and returns one value per point; the
displaced points are then built and evaluated in chunks of at most 2**14 numbers, so a gradient
in $n$ variables costs a few calls of $f$ instead of $2n$.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from gradient_docs import _engine
from gradient_docs import _validation as iv
from gradient_docs._methods import SECOND_DIFFERENCE, TABLE, Method

__all__ = ["METHODS", "Derivative", "default_step", "derivative", "gradient", "hessian", "jacobian"]

#: The names of the methods that [gradient][gradient_docs.finite_diff.gradient],
#: [derivative][gradient_docs.finite_diff.derivative] and [jacobian][gradient_docs.finite_diff.jacobian] know.
METHODS = tuple(TABLE)


@dataclass(frozen=True, repr=False)
class Derivative:
    """A numerical derivative with its estimated error and its cost (`full_output=True`).

    Attributes
    ----------
    value : ndarray or float
        The derivative: shaped like `x` for [gradient][gradient_docs.finite_diff.gradient], `(m, n)`
        for [jacobian][gradient_docs.finite_diff.jacobian], `(n, n)` for
        [hessian][gradient_docs.finite_diff.hessian], a float for
        [derivative][gradient_docs.finite_diff.derivative].
    error : ndarray or float
        Estimated absolute error, with the shape of `value`. For `"richardson"` it comes from the
        extrapolation table plus a bound on the rounding error of the chosen entry; for the other
        methods it is the error the method predicts at its step, assuming the derivatives of `f`
        vary on the scale of `x` (truncation plus rounding).
    nfev : int
        Number of points at which `f` was evaluated.
    method : str
        The name of the method used, such as `"central"` or `"richardson"` (always `"central"` for
        [hessian][gradient_docs.finite_diff.hessian]).
    step : ndarray
        The step used per coordinate, shaped like `x` (the initial step for `"richardson"`).

    See Also
    --------
    - [Richardson extrapolation][richardson-extrapolation]: compares this error estimate with the
      true error, and shows where it can be trusted.
    """

    value: np.ndarray | float
    error: np.ndarray | float
    nfev: int
    method: str
    step: np.ndarray

    def __repr__(self) -> str:
        worst = float(np.max(self.error))
        return (
            f"Derivative(method={self.method!r}, nfev={self.nfev}, max error estimate={worst:.3g},"
            f" value={self.value!r})"
        )


def default_step(x: npt.ArrayLike, method: str, *, scale: npt.ArrayLike | None = None) -> np.ndarray:
    r"""The default step of `method` at `x`, per coordinate.

    $$
    h_k = c \cdot s_k, \qquad s_k = \max(|x_k|, 1),
    $$

    or $s_k$ = `scale` when it is given, with $c = \epsilon^{1/(p+1)}$ for a method of order $p$: $\sqrt{\epsilon} \approx 1.5 \times
    10^{-8}$ for the one-sided formulas and $\epsilon^{1/3} \approx 6.1 \times 10^{-6}$ for central
    differences ($\epsilon$ is the machine epsilon of `x`'s dtype), the steps that balance
    truncation error against rounding error. For `"complex"` $c = 10^{-20}$; for `"richardson"`
    it is the initial step, $c = 1/2$.

    Parameters
    ----------
    x : array_like, any shape
        The point of differentiation.
    method : str
        The method whose step rule applies: `"central"`, `"forward"`, `"backward"`, `"complex"`,
        `"richardson"` or `"central4"`.
    scale : float or array_like
        The distance over which $f$ changes appreciably, > 0, broadcast to the shape of `x`; it
        replaces $\max(|x_k|, 1)$ when $|x_k|$ is a poor guide (for example a function varying on
        a $10^{-6}$ scale near $x = 1$).

    Returns
    -------
    ndarray
        The step $h_k$ for each coordinate, shaped like `x`, in float64.

    See Also
    --------
    - [Choosing the step size][choosing-the-step-size]: derives the balanced step $\epsilon^{1/(p+1)}$
      from the truncation and rounding errors, and shows when the scale of $f$, not $|x|$, should
      set it.

    Examples
    --------
    >>> import numpy as np
    >>> print(default_step(np.array([0.5, 2.0, -1000.0]), "forward"))
    [1.49011612e-08 2.98023224e-08 1.49011612e-05]
    >>> print(default_step(np.array([1.0]), "central", scale=1e-6))
    [6.05545445e-12]
    """
    x = iv.as_real_array("x", x)
    method = TABLE[iv.choice("method", method, METHODS)]
    return _default_step(x, method, None if scale is None else iv.positive_step("scale", scale, x.shape))


def _default_step(x: np.ndarray, method: Method, scale: np.ndarray | None) -> np.ndarray:
    s = np.maximum(np.abs(x.astype(np.float64)), 1.0) if scale is None else scale
    return method.step_factor(x.dtype) * s


def gradient(
    f: Callable[[np.ndarray], float],
    x: npt.ArrayLike,
    *,
    method: str = "central",
    step: npt.ArrayLike | None = None,
    step_scale: npt.ArrayLike | None = None,
    bounds: tuple | None = None,
    vectorized: bool = False,
    full_output: bool = False,
) -> np.ndarray | Derivative:
    r"""Numerical gradient of a scalar function.

    Component $k$ of the result is the difference quotient of `method` along coordinate $k$,
    for instance

    $$
    \frac{\partial f}{\partial x_k} \approx \frac{f(x + h_k e_k) - f(x - h_k e_k)}{2 h_k}
    \quad \text{(central)},
    $$

    (the other formulas are in the module docstring). The denominator is the distance between
    the two points actually evaluated, `(x + h) - (x - h)` in floating point, so the rounding of
    `x + h` adds no error.

    `method="richardson"` is adaptive: per coordinate it computes central differences at steps
    $h_i = h_0 / 1.6^i$ from $h_0 = s_k / 2$, extrapolates them with Neville's scheme in $h^2$,

    $$
    T_{i,j} = T_{i,j-1} + \frac{T_{i,j-1} - T_{i-1,j-1}}{(h_{i-j}/h_i)^2 - 1},
    $$

    and returns the entry with the smallest estimated error,

    $$
    E_{i,j} = \max\left(|T_{i,j} - T_{i,j-1}|, |T_{i,j} - T_{i-1,j-1}|\right) + R_{i,j},
    $$

    the distance to the two entries it was built from plus $R_{i,j}$, the rounding error of
    the values, $\epsilon\,(|f| + \sum_k |x_k \partial_k f|) / h_i$, carried through the
    table. The plain central differences compete too. A coordinate stops when its table's
    differences are within that rounding bound, or when the next step's rounding alone would
    exceed the best error; if the table's error grows before it converged (the steps are still
    larger than the scale on which $f$ varies), the table restarts below the last step. Values
    of $f$ that are not finite are skipped. Ratio 1.6, not 2, so that a periodic $f$ cannot
    alias. Within `bounds`, the first step is at most half the room on each side, and
    coordinates with less room than the central step use one-sided differences, extrapolated
    in $h$ instead of $h^2$.

    Parameters
    ----------
    f : callable
        `f(x) -> float`: takes an array shaped like `x` and returns a real scalar. With
        `vectorized=True`, takes an array of shape `(m, *x.shape)` and returns shape `(m,)`.
        For `method="complex"` it must accept complex input and be real-analytic.
    x : array_like, any shape
        The point, finite and real. Integers are converted to float64; float32 stays float32.
    method : str
        The difference formula: `"central"` (the default), `"forward"`, `"backward"`, `"complex"`,
        `"richardson"` or `"central4"`.

        | method | evaluations | error |
        |---|---|---|
        | `"forward"`, `"backward"` | $n + 1$ | $O(h)$, about $10^{-8}$ relative |
        | `"central"` | $2n$ | $O(h^2)$, about $10^{-10}$ |
        | `"complex"` | $n$ | rounding only, about $10^{-16}$ |
        | `"richardson"` | adaptive, $6n$ to $20n$ | about $10^{-14}$, with an error estimate |
        | `"central4"` | $4n$ | $O(h^4)$, about $10^{-13}$: $(f_{-2} - 8 f_{-1} + 8 f_1 - f_2) / 12h$ |

    step : float or array_like
        The step $h$, > 0, broadcast to `x.shape` (the initial step for `"richardson"`). Default:
        [default_step][gradient_docs.finite_diff.default_step].
    step_scale : float or array_like
        The scale on which $f$ varies, > 0, broadcast to `x.shape`: the default step uses it
        instead of $\max(|x_k|, 1)$. Not used when `step` is given.
    bounds : tuple of (lower, upper)
        The box where $f$ is defined, `lower` and `upper` each a float or an array broadcastable to
        `x.shape` ($\pm$inf for no limit). $f$ is never evaluated outside it; near a bound the
        one-sided stencils of the same order are used (see the module docstring). `x` must lie
        inside.
    vectorized : bool
        Whether `f` evaluates a batch of points at once, as described under `f`.
    full_output : bool
        Whether to return a [Derivative][gradient_docs.finite_diff.Derivative], with the error
        estimate and the number of evaluations, instead of the bare array.

    Returns
    -------
    ndarray or Derivative
        The approximate gradient, shaped like `x`, in float64; with `full_output=True`, a
        [Derivative][gradient_docs.finite_diff.Derivative] that holds it as `value`.

    Raises
    ------
    ValueError
        Unknown `method`, `step` or `step_scale` not > 0, non-finite or empty `x`, `x` outside
        `bounds`, `f` returning a non-scalar or a non-finite value, or a real value for complex
        input.
    TypeError
        `f` not callable or unable to take complex input; `x` or `f(x)` not numbers; a flag
        that is not a bool. An exception raised by `f` is re-raised with the point where `f` was
        evaluated, the original chained.

    See Also
    --------
    - [Finite differences][finite-differences]: derives the forward and central quotients and
      their $O(h)$ and $O(h^2)$ errors on the notes' function.
    - [Choosing the step size][choosing-the-step-size]: explains the default step and when to pass
      `step_scale`.

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

    A function defined only for $x > 0$, differentiated at the edge of its domain:

    >>> print(gradient(lambda p: float(np.sum(np.sqrt(p) ** 3)), [1e-3, 4.0], bounds=(0.0, np.inf)).round(6))
    [0.047434 3.      ]

    References
    ----------
    - W. H. Press et al., *Numerical Recipes*, 3rd ed., section 5.7, "Numerical Derivatives"
      (routine `dfridr`).
    - C. J. F. Ridders, "Accurate computation of F'(x) and F'(x) F''(x)", *Advances in
      Engineering Software* 4(2) (1982) 75-76.
    - SciPy's `scipy.optimize.approx_derivative`, whose one-sided stencils near bounds the
      `bounds` option follows.
    - J. R. R. A. Martins, P. Sturdza and J. J. Alonso, "The complex-step derivative
      approximation", *ACM Trans. Math. Softw.* 29 (2003) 245-262.
    """
    fn, method, h = _setup(f, x, method, step, step_scale, bounds, vectorized, full_output, scalar=True)
    estimate = _engine.estimate(fn, method, h)
    shape = fn.x.shape
    if not full_output:
        return estimate.value[:, 0].reshape(shape)
    value, error = estimate.value[:, 0].reshape(shape), estimate.error[:, 0].reshape(shape)
    return Derivative(value, error, estimate.nfev, method.name, h.reshape(shape))


def derivative(
    f: Callable[[float], float],
    x: float,
    *,
    method: str = "central",
    step: float | None = None,
    step_scale: float | None = None,
    bounds: tuple | None = None,
    vectorized: bool = False,
    full_output: bool = False,
) -> float | Derivative:
    r"""Numerical derivative $f'(x)$ of a scalar function of one variable.

    The same methods, steps and options as [gradient][gradient_docs.finite_diff.gradient], for
    $f: \mathbb{R} \to \mathbb{R}$.

    Parameters
    ----------
    f : callable
        `f(t) -> float` for a float `t` (a complex `t` for `method="complex"`); with
        `vectorized=True`, `f(t)` takes an array of shape `(m,)` and returns shape `(m,)`.
    x : float
        The point.
    method : str
        The difference formula, as for [gradient][gradient_docs.finite_diff.gradient]:
        `"central"` (the default), `"forward"`, `"backward"`, `"complex"`, `"richardson"` or
        `"central4"`.
    step : float
        The step $h$, > 0 (the initial step for `"richardson"`); as for
        [gradient][gradient_docs.finite_diff.gradient], the default is
        [default_step][gradient_docs.finite_diff.default_step].
    step_scale : float
        The scale on which $f$ varies, > 0, used by the default step instead of $\max(|x|, 1)$.
    bounds : tuple of (lower, upper)
        The interval where $f$ is defined, two floats ($\pm$inf for no limit); $f$ is never
        evaluated outside it, as for [gradient][gradient_docs.finite_diff.gradient].
    vectorized : bool
        Whether `f` evaluates an array of points at once, as described under `f`.
    full_output : bool
        Whether to return a [Derivative][gradient_docs.finite_diff.Derivative], with the error
        estimate and the number of evaluations, instead of a float.

    Returns
    -------
    float or Derivative
        The derivative $f'(x)$; with `full_output=True`, a
        [Derivative][gradient_docs.finite_diff.Derivative] whose `value` and `error` are floats.

    See Also
    --------
    - [The complex step][the-complex-step]: derives `method="complex"` and shows it reach full
      precision where central differences cannot.
    - [Richardson extrapolation][richardson-extrapolation]: derives `method="richardson"` and its
      error estimate.

    Examples
    --------
    >>> import numpy as np
    >>> def f(t):
    ...     return np.exp(t) / np.sqrt(np.sin(t) ** 3 + np.cos(t) ** 3)
    >>> print(f"{derivative(f, 1.5, method='complex'):.12f}")
    4.053427893899
    """
    f = iv.callable_arg("f", f)
    x = iv.as_real_array("x", x, ndim=0)
    full_output = iv.flag("full_output", full_output)

    def f_scalar(point: np.ndarray):
        return f(point) if vectorized is True else f(point[()])

    result = gradient(
        f_scalar,
        x,
        method=method,
        step=step,
        step_scale=step_scale,
        bounds=bounds,
        vectorized=vectorized,
        full_output=True,
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
    bounds: tuple | None = None,
    vectorized: bool = False,
    full_output: bool = False,
) -> np.ndarray | Derivative:
    r"""Numerical Jacobian of a vector function $f: \mathbb{R}^n \to \mathbb{R}^m$.

    $$
    J_{ij} = \frac{\partial f_i}{\partial x_j},
    $$

    column $j$ computed by the difference quotient of `method` along $x_j$, all outputs at once:
    the cost is that of one gradient, whatever $m$ is.

    Parameters
    ----------
    f : callable
        `f(x) -> array_like` with $m$ elements (any shape; it is flattened). With
        `vectorized=True`, takes shape `(p, *x.shape)` and returns shape `(p, m)`.
    x : array_like
        The point: $n$ finite real numbers, in any shape (it is flattened, so column $j$ of the
        result belongs to `x.ravel()[j]`).
    method : str
        The difference formula, as for [gradient][gradient_docs.finite_diff.gradient]:
        `"central"` (the default), `"forward"`, `"backward"`, `"complex"`, `"richardson"` or
        `"central4"`.
    step : float or array_like
        The step $h$ per coordinate of `x`, > 0; as for [gradient][gradient_docs.finite_diff.gradient],
        the default is [default_step][gradient_docs.finite_diff.default_step].
    step_scale : float or array_like
        The scale on which $f$ varies along each coordinate, > 0, used by the default step.
    bounds : tuple of (lower, upper)
        The box where $f$ is defined, as for [gradient][gradient_docs.finite_diff.gradient]; no
        point outside it is evaluated.
    vectorized : bool
        Whether `f` evaluates a batch of points at once, as described under `f`.
    full_output : bool
        Whether to return a [Derivative][gradient_docs.finite_diff.Derivative], with an error
        estimate for every entry, instead of the bare array.

    Returns
    -------
    ndarray or Derivative
        The Jacobian $J$, shape $(m, n)$, in float64; with `full_output=True`, a
        [Derivative][gradient_docs.finite_diff.Derivative] that holds it as `value`.

    See Also
    --------
    - [Jacobians and Hessians][jacobians-and-hessians]: computes the softmax Jacobian with every
      method and checks it against the closed form.

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
    fn, method, h = _setup(f, x, method, step, step_scale, bounds, vectorized, full_output, scalar=False)
    estimate = _engine.estimate(fn, method, h)
    if not full_output:
        return estimate.value.T
    return Derivative(estimate.value.T, estimate.error.T, estimate.nfev, method.name, h.reshape(fn.x.shape))


def hessian(
    f: Callable[[np.ndarray], float],
    x: npt.ArrayLike,
    *,
    step: npt.ArrayLike | None = None,
    step_scale: npt.ArrayLike | None = None,
    bounds: tuple | None = None,
    vectorized: bool = False,
    full_output: bool = False,
) -> np.ndarray | Derivative:
    r"""Numerical Hessian of a scalar function by second-order central differences.

    $$
    \begin{aligned}
    \frac{\partial^2 f}{\partial x_i^2} &\approx \frac{f(x + h_i e_i) - 2 f(x) + f(x - h_i e_i)}{h_i^2},\\[1ex]
    \frac{\partial^2 f}{\partial x_i \partial x_j} &\approx \frac{f_{++} - f_{+-} - f_{-+} + f_{--}}{4 h_i h_j},
    \end{aligned}
    $$

    where $f_{\pm\pm} = f(x \pm h_i e_i \pm h_j e_j)$. Both have error $O(h^2)$; rounding
    contributes $\epsilon |f| / h^2$, so the default step is $h_k = \epsilon^{1/4} s_k$
    ($1.2 \times 10^{-4}$ times the scale), the step rule $\epsilon^{1/(p+d)}$ of every method
    with $p = d = 2$. Each pair $i < j$ is computed once, so the result is exactly symmetric.
    Cost: $1 + 2n + 2n(n - 1)$ evaluations. Near a bound, coordinate $i$ uses the one-sided
    stencils of the same order, $(2f_0 - 5f_1 + 4f_2 - f_3)/h^2$ and
    $(-3f_0 + 4f_1 - f_2)/(2h)$ in the mixed terms.

    Parameters
    ----------
    f : callable
        `f(x) -> float`; with `vectorized=True` it takes shape `(m, *x.shape)` and returns `(m,)`.
    x : array_like
        The point: $n$ finite real numbers, in any shape (it is flattened, so entry $(i, j)$ of
        the result belongs to `x.ravel()[i]` and `x.ravel()[j]`).
    step : float or array_like
        The step $h$ per coordinate of `x`, > 0. Default: $h_k = \epsilon^{1/4} s_k$, as derived
        above.
    step_scale : float or array_like
        The scale on which $f$ varies along each coordinate, > 0, used by the default step
        instead of $\max(|x_k|, 1)$.
    bounds : tuple of (lower, upper)
        The box where $f$ is defined, as for [gradient][gradient_docs.finite_diff.gradient]; near
        a bound the one-sided stencils above are used.
    vectorized : bool
        Whether `f` evaluates a batch of points at once, as described under `f`.
    full_output : bool
        Whether to return a [Derivative][gradient_docs.finite_diff.Derivative], with an error
        estimate for every entry, instead of the bare matrix.

    Returns
    -------
    ndarray or Derivative
        The Hessian, shape $(n, n)$, exactly symmetric, in float64; with `full_output=True`, a
        [Derivative][gradient_docs.finite_diff.Derivative] that holds it as `value`.

    See Also
    --------
    - [Jacobians and Hessians][jacobians-and-hessians]: derives the second-difference stencils and
      their step, and computes the Hessian of the notes' function.

    Examples
    --------
    The Hessian of the notes' function at $(2, 1)$ is $\begin{pmatrix} 12 & -2 \\ -2 & 2 \end{pmatrix}$:

    >>> from gradient_docs import examples
    >>> print(np.round(hessian(examples.f, [2.0, 1.0]), 6))
    [[12. -2.]
     [-2.  2.]]
    """
    fn, method, h = _setup(f, x, SECOND_DIFFERENCE, step, step_scale, bounds, vectorized, full_output, scalar=True)
    plan = _engine.fit(method, fn, h)
    H, sigma = _hessian(fn, plan)
    if not full_output:
        return H
    return Derivative(H, _hessian_error(fn, plan, H, sigma), fn.nfev, "central", h.reshape(fn.x.shape))


# --- shared by the public functions ----------------------------------------------------------


def _setup(f, x, method, step, step_scale, bounds, vectorized, full_output, *, scalar):
    """Validate the common arguments; return f wrapped for the engine, the method and the steps."""
    f = iv.callable_arg("f", f)
    x = iv.as_real_array("x", x)
    if not isinstance(method, Method):
        method = TABLE[iv.choice("method", method, METHODS)]
    vectorized = iv.flag("vectorized", vectorized)
    iv.flag("full_output", full_output)
    lower, upper = iv.bounds("bounds", bounds, x)
    if step is not None:
        h, name = iv.positive_step("step", step, x.shape).ravel(), "step"
    else:
        scale = None if step_scale is None else iv.positive_step("step_scale", step_scale, x.shape)
        h, name = _default_step(x, method, scale).ravel(), ("step" if scale is None else "step_scale")
    fn = _engine.Function(
        f,
        x,
        vectorized=vectorized,
        scalar=scalar,
        complex_step=method.error_model == "rounding",
        lower=lower,
        upper=upper,
        step_name=name,
        finite=method.error_model != "table",
    )
    return fn, method, h


def _hessian(fn: _engine.Function, plan) -> tuple[np.ndarray, np.ndarray]:
    r"""$H_{ii} = \sum_a w^{(2)}_a f_a / h_i^2$, $H_{ij} = \sum_{a,b} w_a w_b f_{ab} / (h_i h_j)$; and the noise.

    $w^{(2)}$ are the second-difference weights of coordinate $i$'s stencil, $w$ the first-derivative
    weights of the same side and order; $f_a = f(x + a h_i e_i)$, $f_{ab} = f(x + a h_i e_i + b h_j e_j)$.
    """
    n = fn.flat.size
    second, first, step = _weights_per_coordinate(plan, n)
    singles = [(k, a) for k in range(n) for a in second[k] if a]
    pairs = [(i, a, j, b) for i in range(n) for j in range(i) for a in first[i] if a for b in first[j] if b]
    coordinates = np.array([[k, k] for k, _ in singles] + [[i, j] for i, _, j, _ in pairs], dtype=np.intp)
    deltas = np.array([[0.0, a * step[k]] for k, a in singles] + [[a * step[i], b * step[j]] for i, a, j, b in pairs])
    moved = fn.moves(coordinates.reshape(-1, 2), deltas.reshape(-1, 2))
    value = dict(zip(singles + pairs, moved.values[:, 0].tolist()))
    center = float(fn.center()[0])

    def at(i, a, j=None, b=0):
        if a and b:
            return value[i, a, j, b]
        return value[i, a] if a else value[j, b] if b else center

    H, slope = np.empty((n, n)), np.empty(n)
    for i in range(n):
        H[i, i] = sum(w * at(i, a) for a, w in second[i].items()) / step[i] ** 2
        slope[i] = sum(w * at(i, a) for a, w in first[i].items()) / step[i]
        for j in range(i):
            total = sum(wa * wb * at(i, a, j, b) for a, wa in first[i].items() for b, wb in first[j].items())
            H[i, j] = H[j, i] = total / (step[i] * step[j])
    every = np.concatenate([moved.values[:, 0], [center]])
    return H, _engine.noise(fn, every[:, None], slope[:, None])


def _weights_per_coordinate(plan, n: int):
    """Per coordinate: second-derivative weights, first-derivative weights (same side), and the step."""
    second, first, step = [{}] * n, [{}] * n, np.empty(n)
    for variant, stencil in plan:
        side = 0 if min(variant.offsets) < 0 < max(variant.offsets) else (1 if max(variant.offsets) > 0 else -1)
        first_method = TABLE["central"] if side == 0 else TABLE["central"].one_sided(side)
        for k, h in zip(stencil.coordinates, stencil.step):
            step[k] = h
            second[k] = dict(zip(variant.offsets, variant.weights))
            first[k] = dict(zip(first_method.offsets, first_method.weights))
    return second, first, step


def _hessian_error(fn: _engine.Function, plan, H: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    r"""Truncation $(h_i h_j / s_i s_j)|H_{ij}|$ plus rounding $4 \sigma / (h_i h_j)$."""
    step = np.empty(fn.flat.size)
    for _, stencil in plan:
        step[stencil.coordinates] = stencil.step
    scale = np.maximum(np.abs(fn.flat.astype(np.float64)), 1.0)
    truncation = (np.outer(step, step) / np.outer(scale, scale)) * np.abs(H)
    return truncation + 4 * sigma[0] / np.outer(step, step)
