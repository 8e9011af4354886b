r"""Loss functions and their gradients with respect to the prediction."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from gradient_docs import _validation as iv

__all__ = ["mse", "mse_grad"]


def _targets_and_predictions(y: npt.ArrayLike, y_hat: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    y = iv.as_real_array("y", y)
    y_hat = iv.as_real_array("y_hat", y_hat)
    iv.same_shape("y", y, "y_hat", y_hat)
    return y, y_hat


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
