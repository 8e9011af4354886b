r"""Regression losses and their gradients with respect to the predictions.

Every loss compares `targets` $y$ with `predictions` $\hat y$ of the same shape and averages over
all $n$ elements; every `*_grad` returns the gradient with respect to `predictions`, an array of
the same shape. With the residual $r = \hat y - y$:

| loss | per element | derivative in $r$ |
|---|---|---|
| MSE | $r^2$ | $2r$ |
| MAE | $\lvert r \rvert$ | $\operatorname{sign} r$ |
| Huber | $\tfrac12 r^2$ if $\lvert r\rvert \le \delta$, else $\delta(\lvert r\rvert - \tfrac12\delta)$ | $\operatorname{clip}(r, -\delta, \delta)$ |
| log-cosh | $\log\cosh r$ | $\tanh r$ |

Arguments are `(targets, predictions)`: positional calls work as before, and the former keyword
names `y` and `y_hat` are gone.

Dtypes: inputs may be float16, float32, float64 or integers, and are computed in float64. A
loss returns a Python float and a gradient a float64 array, whatever the input's dtype.
Complex input is refused (TypeError): the losses compare, clip and take absolute values.

Range: the terms are scaled by powers of two before squaring and adding, so a loss is finite
whenever its true value is within the float range (`mse([0, 0], [1e154, 1e154])` is $10^{308}$).
A result beyond the range, or a residual $\hat y - y$ beyond it, raises OverflowError.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from gradient_docs import _reductions
from gradient_docs import _validation as iv

__all__ = ["huber", "huber_grad", "log_cosh", "log_cosh_grad", "mae", "mae_grad", "mse", "mse_grad"]

#: Below this |r|, log cosh r is computed as log1p(2 sinh(r/2)^2), which keeps every digit of a
#: tiny result; above it, as |r| + log1p(exp(-2|r|)) - log 2, which cannot overflow.
LOG_COSH_SWITCH = 1.0


def _residual(targets: npt.ArrayLike, predictions: npt.ArrayLike) -> np.ndarray:
    """Validate the pair and return $r = \\hat y - y$ in float64, or OverflowError if it leaves the float range."""
    y, y_hat = iv.real_input_pair("targets", targets, "predictions", predictions)
    with np.errstate(over="ignore"):
        r = y_hat - y
    if not np.isfinite(r).all():
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(r))[0])
        iv.representable(
            "the residual `predictions - targets`",
            r,
            f"predictions = {float(y_hat[where]):g}, targets = {float(y[where]):g}",
        )
    return r


def _cause(name: str) -> str:
    return f"the true {name} is larger than the largest float"


def mse(targets: npt.ArrayLike, predictions: npt.ArrayLike) -> float:
    r"""Mean squared error over all elements.

    $$
    \operatorname{MSE}(y, \hat y) = \frac{1}{n} \sum_{i=1}^{n} (\hat y_i - y_i)^2,
    $$

    where $n$ is the number of elements (`targets.size`).

    Parameters
    ----------
    targets : array_like, any shape
        The targets $y$.
    predictions : array_like
        The predictions $\hat y$, the same shape as `targets`.

    Returns
    -------
    float
        The mean of $(\hat y_i - y_i)^2$ over all $n$ elements.

    See Also
    --------
    - [Mean squared error][mean-squared-error]: derives the loss and shows what averaging over the
      batch changes.

    Examples
    --------
    >>> print(mse([0.0, 0.0], [1.0, -1.0]))
    1.0
    """
    r = _residual(targets, predictions)
    return _reductions.mean_of_products(r, r, what="`mse`", cause=_cause("mean squared error"))


def mse_grad(targets: npt.ArrayLike, predictions: npt.ArrayLike) -> np.ndarray:
    r"""Gradient of [mse][gradient_docs.losses.mse] with respect to the predictions.

    $$
    \frac{\partial \operatorname{MSE}}{\partial \hat y_i} = \frac{2}{n} (\hat y_i - y_i).
    $$

    One entry per prediction: a vector (an array shaped like `predictions`), not the scalar
    $\frac{2}{n}\sum_i (\hat y_i - y_i)$, which is only the sum of its entries.

    Parameters
    ----------
    targets : array_like, any shape
        The targets $y$.
    predictions : array_like
        The predictions $\hat y$, the same shape as `targets`.

    Returns
    -------
    ndarray
        $2 (\hat y - y) / n$, shaped like `predictions`, in float64.

    See Also
    --------
    - [Mean squared error][mean-squared-error]: derives this gradient and shows that the notes'
      result is its sum, not the gradient.

    Examples
    --------
    >>> print(mse_grad([0.0, 0.0], [1.0, -1.0]))
    [ 1. -1.]
    """
    r = _residual(targets, predictions)
    with np.errstate(over="ignore"):
        grad = r / r.size * 2  # = 2r/n to the last bit; 2r alone could overflow
    return iv.representable("`mse_grad`", grad, "2 (predictions - targets) / n is larger than the largest float")


def mae(targets: npt.ArrayLike, predictions: npt.ArrayLike) -> float:
    r"""Mean absolute error over all elements.

    $$
    \operatorname{MAE}(y, \hat y) = \frac{1}{n} \sum_{i=1}^{n} |\hat y_i - y_i|.
    $$

    Parameters
    ----------
    targets : array_like, any shape
        The targets $y$.
    predictions : array_like
        The predictions $\hat y$, the same shape as `targets`.

    Returns
    -------
    float
        The mean of $|\hat y_i - y_i|$ over all $n$ elements.

    See Also
    --------
    - [Regression losses][regression-losses]: derives the loss and compares how MAE, Huber and
      log-cosh treat one outlier.

    Examples
    --------
    >>> print(mae([0.0, 0.0, 0.0], [1.0, -2.0, 0.0]))
    1.0
    """
    r = _residual(targets, predictions)
    return _reductions.mean(np.abs(r), what="`mae`", cause=_cause("mean absolute error"))


def mae_grad(targets: npt.ArrayLike, predictions: npt.ArrayLike) -> np.ndarray:
    r"""(Sub)gradient of [mae][gradient_docs.losses.mae] with respect to the predictions.

    $$
    \frac{\partial \operatorname{MAE}}{\partial \hat y_i} = \frac{\operatorname{sign}(\hat y_i - y_i)}{n},
    $$

    with the subgradient $0$ where the residual is exactly zero ($|r|$ has no derivative there;
    $0$ is in its subdifferential $[-1, 1]$, and is what a prediction already on target needs).

    Parameters
    ----------
    targets : array_like, any shape
        The targets $y$.
    predictions : array_like
        The predictions $\hat y$, the same shape as `targets`.

    Returns
    -------
    ndarray
        $\operatorname{sign}(\hat y - y) / n$, shaped like `predictions`, in float64.

    See Also
    --------
    - [Regression losses][regression-losses]: derives this subgradient and checks it numerically.

    Examples
    --------
    >>> print(mae_grad([0.0, 0.0, 0.0], [1.0, -2.0, 0.0]))
    [ 0.33333333 -0.33333333  0.        ]
    """
    r = _residual(targets, predictions)
    return np.sign(r) / r.size


def huber(targets: npt.ArrayLike, predictions: npt.ArrayLike, *, delta: float = 1.0) -> float:
    r"""Huber loss: quadratic for small residuals, linear for large ones.

    $$
    \operatorname{Huber}_\delta(y, \hat y) = \frac{1}{n} \sum_{i=1}^{n} h_\delta(r_i),
    $$

    with residuals $r_i = \hat y_i - y_i$ and

    $$
    h_\delta(r) = \begin{cases}
    \tfrac12 r^2 & |r| \le \delta, \\
    \delta\left(|r| - \tfrac12\delta\right) & |r| > \delta.
    \end{cases}
    $$

    The two pieces meet with equal value and slope at $|r| = \delta$, so the loss has a
    continuous derivative. Each term is kept as a product of two finite factors,
    $\tfrac12|r_i| \cdot |r_i|$ or $\delta \cdot (|r_i| - \tfrac12\delta)$, and averaged without
    forming a product beyond the float range, so neither piece overflows for any finite input.

    Parameters
    ----------
    targets : array_like, any shape
        The targets $y$.
    predictions : array_like
        The predictions $\hat y$, the same shape as `targets`.
    delta : float > 0
        The threshold $\delta$: the residual size where the quadratic part ends and the linear
        part begins.

    Returns
    -------
    float
        The mean Huber loss over all $n$ elements.

    See Also
    --------
    - [Regression losses][regression-losses]: derives the loss and shows how it caps the pull of
      an outlier.

    Examples
    --------
    >>> print(huber([0.0, 0.0], [0.5, 3.0]))
    1.3125
    """
    r = _residual(targets, predictions)
    delta = iv.positive_scalar("delta", delta)
    a = np.abs(r)
    quadratic = a <= delta
    # each term as a product u v of finite factors: (a / 2) a, or delta (a - delta / 2)
    u = np.where(quadratic, 0.5 * a, delta)
    v = np.where(quadratic, a, a - 0.5 * delta)
    return _reductions.mean_of_products(u, v, what="`huber`", cause=_cause("Huber loss"))


def huber_grad(targets: npt.ArrayLike, predictions: npt.ArrayLike, *, delta: float = 1.0) -> np.ndarray:
    r"""Gradient of [huber][gradient_docs.losses.huber] with respect to the predictions.

    $$
    \frac{\partial \operatorname{Huber}_\delta}{\partial \hat y_i} = \frac{\operatorname{clip}(r_i, -\delta, \delta)}{n}:
    $$

    the residual itself when it is small, $\pm\delta$ when it is large, so no single outlier can
    pull with more than $\delta / n$.

    Parameters
    ----------
    targets : array_like, any shape
        The targets $y$.
    predictions : array_like
        The predictions $\hat y$, the same shape as `targets`.
    delta : float > 0
        The threshold $\delta$, as for [huber][gradient_docs.losses.huber]: no entry of the
        gradient exceeds $\delta / n$ in size.

    Returns
    -------
    ndarray
        $\operatorname{clip}(\hat y - y, -\delta, \delta) / n$, shaped like `predictions`, in float64.

    See Also
    --------
    - [Regression losses][regression-losses]: derives this gradient and checks it numerically.

    Examples
    --------
    >>> print(huber_grad([0.0, 0.0], [0.5, 3.0]))
    [0.25 0.5 ]
    """
    r = _residual(targets, predictions)
    delta = iv.positive_scalar("delta", delta)
    return np.clip(r, -delta, delta) / r.size


def log_cosh(targets: npt.ArrayLike, predictions: npt.ArrayLike) -> float:
    r"""Log-cosh loss, a smooth loss that is quadratic near zero and linear far from it.

    $$
    \frac{1}{n} \sum_{i=1}^{n} \log\cosh(r_i), \qquad r_i = \hat y_i - y_i,
    $$

    $$
    \log\cosh r =
    \begin{cases}
    \log\!\left(1 + 2\sinh^2(r/2)\right) & |r| < 1, \\
    |r| + \log\dfrac{1 + e^{-2|r|}}{2} & |r| \ge 1.
    \end{cases}
    $$

    Both forms are exact identities, and each is computed where it is accurate. For small $|r|$,
    $\cosh r - 1 = 2\sinh^2(r/2)$ keeps every digit of a result near $r^2/2$ that
    $\log(\cosh r)$ would lose to rounding ($\cosh 10^{-8}$ is exactly 1 in floating point). For
    large $|r|$, $\cosh r$ overflows beyond $|r| = 710$ while the second form stays finite for
    every finite residual. The relative error is a few units of float64's epsilon at any
    residual.

    Parameters
    ----------
    targets : array_like, any shape
        The targets $y$.
    predictions : array_like
        The predictions $\hat y$, the same shape as `targets`.

    Returns
    -------
    float
        The mean of $\log\cosh(\hat y_i - y_i)$ over all $n$ elements.

    See Also
    --------
    - [Regression losses][regression-losses]: derives the loss, quadratic near 0 and linear far
      from it.

    Examples
    --------
    >>> print(f"{log_cosh([0.0], [1000.0]):.6f}")
    999.306853
    """
    a = np.abs(_residual(targets, predictions))
    small = a < LOG_COSH_SWITCH
    terms = np.empty_like(a)
    terms[small] = np.log1p(2 * np.sinh(a[small] / 2) ** 2)
    big = a[~small]
    # e^{-2|r|} is 0 in float64 beyond |r| = 373; capping |r| keeps -2|r| from overflowing.
    terms[~small] = big + np.log1p(np.exp(-2 * np.minimum(big, 400.0))) - np.log(2.0)
    return _reductions.mean(terms, what="`log_cosh`", cause=_cause("log-cosh loss"))


def log_cosh_grad(targets: npt.ArrayLike, predictions: npt.ArrayLike) -> np.ndarray:
    r"""Gradient of [log_cosh][gradient_docs.losses.log_cosh] with respect to the predictions: $\tanh(r_i) / n$.

    Parameters
    ----------
    targets : array_like, any shape
        The targets $y$.
    predictions : array_like
        The predictions $\hat y$, the same shape as `targets`.

    Returns
    -------
    ndarray
        $\tanh(\hat y - y) / n$, shaped like `predictions`, in float64.

    See Also
    --------
    - [Regression losses][regression-losses]: derives the gradient $\tanh r$, a smooth version of
      the sign.

    Examples
    --------
    >>> print(log_cosh_grad([0.0, 0.0], [0.0, 1000.0]))
    [0.  0.5]
    """
    r = _residual(targets, predictions)
    return np.tanh(r) / r.size
