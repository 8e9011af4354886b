r"""Regression losses and their gradients with respect to the prediction.

Every loss compares targets ``y`` with predictions ``y_hat`` of the same shape and averages over
all $n$ elements; every ``*_grad`` returns the gradient with respect to ``y_hat``, an array of the
same shape. With the residual $r = \hat y - y$:

| loss | per element | derivative in $r$ |
|---|---|---|
| MSE | $r^2$ | $2r$ |
| MAE | $\lvert r \rvert$ | $\operatorname{sign} r$ |
| Huber | $\tfrac12 r^2$ if $\lvert r\rvert \le \delta$, else $\delta(\lvert r\rvert - \tfrac12\delta)$ | $\operatorname{clip}(r, -\delta, \delta)$ |
| log-cosh | $\log\cosh r$ | $\tanh r$ |
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from gradient_docs import _validation as iv

__all__ = ["huber", "huber_grad", "log_cosh", "log_cosh_grad", "mae", "mae_grad", "mse", "mse_grad"]


def _targets_and_predictions(y: npt.ArrayLike, y_hat: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    return iv.matching_arrays("y", y, "y_hat", y_hat)


def mse(y: npt.ArrayLike, y_hat: npt.ArrayLike) -> float:
    r"""Mean squared error over all elements.

    $$
    \operatorname{MSE}(y, \hat y) = \frac{1}{n} \sum_{i=1}^{n} (\hat y_i - y_i)^2,
    $$

    where $n$ is the number of elements (``y.size``).

    Parameters
    ----------
    y : array_like, any shape
        Targets.
    y_hat : array_like, same shape as ``y``
        Predictions.

    Returns
    -------
    float

    Examples
    --------
    >>> print(mse([0.0, 0.0], [1.0, -1.0]))
    1.0
    """
    y, y_hat = _targets_and_predictions(y, y_hat)
    return float(np.mean((y_hat - y) ** 2))


def mse_grad(y: npt.ArrayLike, y_hat: npt.ArrayLike) -> np.ndarray:
    r"""Gradient of :func:`mse` with respect to the predictions ``y_hat``.

    $$
    \frac{\partial \operatorname{MSE}}{\partial \hat y_i} = \frac{2}{n} (\hat y_i - y_i).
    $$

    One entry per prediction: a vector (an array shaped like ``y_hat``), not the scalar
    $\frac{2}{n}\sum_i (\hat y_i - y_i)$, which is only the sum of its entries.

    Parameters
    ----------
    y : array_like, any shape
        Targets.
    y_hat : array_like, same shape as ``y``
        Predictions.

    Returns
    -------
    ndarray, same shape as ``y_hat``, float64

    Examples
    --------
    >>> print(mse_grad([0.0, 0.0], [1.0, -1.0]))
    [ 1. -1.]
    """
    y, y_hat = _targets_and_predictions(y, y_hat)
    return 2.0 * (y_hat - y) / y.size


def _residual(y: npt.ArrayLike, y_hat: npt.ArrayLike) -> np.ndarray:
    y, y_hat = _targets_and_predictions(y, y_hat)
    return y_hat - y


def mae(y: npt.ArrayLike, y_hat: npt.ArrayLike) -> float:
    r"""Mean absolute error over all elements.

    $$
    \operatorname{MAE}(y, \hat y) = \frac{1}{n} \sum_{i=1}^{n} |\hat y_i - y_i|.
    $$

    Parameters
    ----------
    y : array_like, any shape
        Targets.
    y_hat : array_like, same shape as ``y``
        Predictions.

    Returns
    -------
    float

    Examples
    --------
    >>> print(mae([0.0, 0.0, 0.0], [1.0, -2.0, 0.0]))
    1.0
    """
    return float(np.mean(np.abs(_residual(y, y_hat))))


def mae_grad(y: npt.ArrayLike, y_hat: npt.ArrayLike) -> np.ndarray:
    r"""(Sub)gradient of :func:`mae` with respect to ``y_hat``.

    $$
    \frac{\partial \operatorname{MAE}}{\partial \hat y_i} = \frac{\operatorname{sign}(\hat y_i - y_i)}{n},
    $$

    with the subgradient $0$ where the residual is exactly zero ($|r|$ has no derivative there;
    $0$ is in its subdifferential $[-1, 1]$, and is what a prediction already on target needs).

    Returns
    -------
    ndarray, same shape as ``y_hat``

    Examples
    --------
    >>> print(mae_grad([0.0, 0.0, 0.0], [1.0, -2.0, 0.0]))
    [ 0.33333333 -0.33333333  0.        ]
    """
    r = _residual(y, y_hat)
    return np.sign(r) / r.size


def huber(y: npt.ArrayLike, y_hat: npt.ArrayLike, *, delta: float = 1.0) -> float:
    r"""Huber loss: quadratic for small residuals, linear for large ones.

    $$
    \operatorname{Huber}_\delta(y, \hat y) = \frac{1}{n} \sum_{i=1}^{n}
    \begin{cases} \tfrac12 r_i^2 & |r_i| \le \delta \\ \delta\left(|r_i| - \tfrac12\delta\right) & |r_i| > \delta \end{cases},
    \qquad r_i = \hat y_i - y_i.
    $$

    The two pieces meet with equal value and slope at $|r| = \delta$, so the loss has a
    continuous derivative.

    Parameters
    ----------
    y, y_hat : array_like, same shape
    delta : float > 0, keyword-only
        Where the quadratic part ends.

    Returns
    -------
    float

    Examples
    --------
    >>> print(huber([0.0, 0.0], [0.5, 3.0]))
    1.3125
    """
    r = _residual(y, y_hat)
    delta = iv.positive_scalar("delta", delta)
    a = np.abs(r)
    return float(np.mean(np.where(a <= delta, 0.5 * r * r, delta * (a - 0.5 * delta))))


def huber_grad(y: npt.ArrayLike, y_hat: npt.ArrayLike, *, delta: float = 1.0) -> np.ndarray:
    r"""Gradient of :func:`huber` with respect to ``y_hat``.

    $$
    \frac{\partial \operatorname{Huber}_\delta}{\partial \hat y_i} = \frac{\operatorname{clip}(r_i, -\delta, \delta)}{n}:
    $$

    the residual itself when it is small, $\pm\delta$ when it is large, so no single outlier can
    pull with more than $\delta / n$.

    Returns
    -------
    ndarray, same shape as ``y_hat``

    Examples
    --------
    >>> print(huber_grad([0.0, 0.0], [0.5, 3.0]))
    [0.25 0.5 ]
    """
    r = _residual(y, y_hat)
    delta = iv.positive_scalar("delta", delta)
    return np.clip(r, -delta, delta) / r.size


def log_cosh(y: npt.ArrayLike, y_hat: npt.ArrayLike) -> float:
    r"""Log-cosh loss, a smooth loss that is quadratic near zero and linear far from it.

    $$
    \frac{1}{n} \sum_{i=1}^{n} \log\cosh(r_i),
    \qquad
    \log\cosh r = |r| + \log\left(1 + e^{-2|r|}\right) - \log 2 .
    $$

    The right-hand form is what is computed: $\cosh r$ overflows for $|r| > 710$, and
    $\log\cosh r$ computed directly becomes infinite there, while this form stays accurate for
    any residual.

    Returns
    -------
    float

    Examples
    --------
    >>> print(f"{log_cosh([0.0], [1000.0]):.6f}")
    999.306853
    """
    a = np.abs(_residual(y, y_hat))
    return float(np.mean(a + np.log1p(np.exp(-2 * a)) - np.log(2.0)))


def log_cosh_grad(y: npt.ArrayLike, y_hat: npt.ArrayLike) -> np.ndarray:
    r"""Gradient of :func:`log_cosh` with respect to ``y_hat``: $\tanh(r_i) / n$.

    Returns
    -------
    ndarray, same shape as ``y_hat``

    Examples
    --------
    >>> print(log_cosh_grad([0.0, 0.0], [0.0, 1000.0]))
    [0.  0.5]
    """
    r = _residual(y, y_hat)
    return np.tanh(r) / r.size
