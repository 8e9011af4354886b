r"""Classification losses and their gradients with respect to the prediction.

Binary losses (``binary_cross_entropy``, ``binary_cross_entropy_with_logits``, ``hinge``) treat
every element as one example and average over all $N$ of them. The multi-class
``cross_entropy`` takes the class axis last and averages over the leading (batch) axes; a 1-D
input is a batch of one. Every ``*_grad`` returns the gradient with respect to the second
argument, with its shape.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from gradient_docs import _validation as iv
from gradient_docs.softmax import log_softmax, softmax

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "binary_cross_entropy_with_logits",
    "binary_cross_entropy_with_logits_grad",
    "cross_entropy",
    "cross_entropy_grad",
    "hinge",
    "hinge_grad",
    "sigmoid",
]

#: Probabilities are clipped to [EPS, 1 - EPS] before taking logarithms (see binary_cross_entropy).
EPS = 1e-12


def sigmoid(z: npt.ArrayLike) -> np.ndarray:
    r"""The logistic function $\sigma(z) = 1 / (1 + e^{-z})$, without overflow.

    For $z < 0$ it is computed as $e^{z} / (1 + e^{z})$, so $e^{-z}$ is never formed for a large
    negative $z$ (``np.exp(1000)`` overflows; $\sigma(-1000) = e^{-1000}$ is simply 0).

    Parameters
    ----------
    z : array_like, any shape

    Returns
    -------
    ndarray, same shape as ``z``, values in $[0, 1]$

    Examples
    --------
    >>> print(sigmoid([-1000.0, 0.0, 1000.0]))
    [0.  0.5 1. ]
    """
    z = iv.as_real_array("z", z)
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def binary_cross_entropy(y: npt.ArrayLike, p: npt.ArrayLike, *, eps: float = EPS) -> float:
    r"""Binary cross-entropy of predicted probabilities ``p`` against targets ``y``.

    $$
    \operatorname{BCE}(y, p) = -\frac{1}{N} \sum_{i=1}^{N} \big[y_i \log p_i + (1 - y_i) \log(1 - p_i)\big].
    $$

    ``p`` must lie in $[0, 1]$ (a clear error otherwise). It is then clipped to
    $[\epsilon, 1 - \epsilon]$ with ``eps`` ($10^{-12}$ by default), so that a confident wrong
    prediction ($p = 0$ for $y = 1$) costs $-\log \epsilon \approx 27.6$ instead of infinity.
    Prefer :func:`binary_cross_entropy_with_logits`, which needs no clipping.

    Parameters
    ----------
    y : array_like, any shape
        Targets in $[0, 1]$ (labels 0 and 1, or soft labels).
    p : array_like, same shape as ``y``
        Predicted probabilities in $[0, 1]$.
    eps : float in (0, 0.5), keyword-only
        The clipping margin.

    Returns
    -------
    float

    Examples
    --------
    >>> print(f"{binary_cross_entropy([1.0, 0.0], [0.9, 0.2]):.6f}")
    0.164252
    """
    y, p = _probabilities(y, p, eps)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log1p(-p)))


def binary_cross_entropy_grad(y: npt.ArrayLike, p: npt.ArrayLike, *, eps: float = EPS) -> np.ndarray:
    r"""Gradient of :func:`binary_cross_entropy` with respect to ``p``.

    $$
    \frac{\partial \operatorname{BCE}}{\partial p_i} = \frac{1}{N}\left(-\frac{y_i}{p_i} + \frac{1 - y_i}{1 - p_i}\right)
    = \frac{p_i - y_i}{N\,p_i(1 - p_i)},
    $$

    evaluated at the clipped ``p``. It grows without bound as $p_i \to 0$ or $1$: that is the
    price of working with probabilities, and the reason to prefer logits.

    Returns
    -------
    ndarray, same shape as ``p``

    Examples
    --------
    >>> print(binary_cross_entropy_grad([1.0, 0.0], [0.9, 0.2]))
    [-0.55555556  0.625     ]
    """
    y, p = _probabilities(y, p, eps)
    return (p - y) / (p * (1 - p)) / y.size


def _probabilities(y, p, eps):
    y, p = iv.matching_arrays("y", y, "p", p)
    iv.within("y", y, 0.0, 1.0, "targets")
    iv.within("p", p, 0.0, 1.0, "probabilities")
    eps = iv.positive_scalar("eps", eps)
    if eps >= 0.5:
        raise ValueError(f"`eps` must be < 0.5; got {eps}.")
    return y, np.clip(p, eps, 1 - eps)


def binary_cross_entropy_with_logits(y: npt.ArrayLike, z: npt.ArrayLike) -> float:
    r"""Binary cross-entropy of logits $z$ (the prediction is $p = \sigma(z)$).

    $$
    \operatorname{BCE}(y, \sigma(z)) = \frac{1}{N}\sum_{i=1}^{N} \big[\log(1 + e^{z_i}) - y_i z_i\big]
    = \frac{1}{N}\sum_{i=1}^{N} \big[\max(z_i, 0) - y_i z_i + \log(1 + e^{-|z_i|})\big].
    $$

    The last form is what is computed: $e^{-|z|} \le 1$ never overflows, and ``log1p`` keeps it
    accurate when it is tiny. Finite for any finite $z$, including $|z| = 10^4$.

    Parameters
    ----------
    y : array_like, any shape
        Targets in $[0, 1]$.
    z : array_like, same shape as ``y``
        Logits (any real numbers).

    Returns
    -------
    float

    Examples
    --------
    >>> print(f"{binary_cross_entropy_with_logits([1.0, 0.0], [10000.0, 10000.0]):.1f}")
    5000.0
    """
    y, z = iv.matching_arrays("y", y, "z", z)
    iv.within("y", y, 0.0, 1.0, "targets")
    return float(np.mean(np.maximum(z, 0) - y * z + np.log1p(np.exp(-np.abs(z)))))


def binary_cross_entropy_with_logits_grad(y: npt.ArrayLike, z: npt.ArrayLike) -> np.ndarray:
    r"""Gradient of :func:`binary_cross_entropy_with_logits` with respect to the logits.

    $$
    \frac{\partial}{\partial z_i} = \frac{\sigma(z_i) - y_i}{N}:
    $$

    the chain rule through $\sigma'(z) = \sigma(z)(1 - \sigma(z))$ cancels the
    $p(1 - p)$ in the denominator of the probability gradient, leaving prediction minus target.

    Returns
    -------
    ndarray, same shape as ``z``

    Examples
    --------
    >>> print(binary_cross_entropy_with_logits_grad([1.0, 0.0], [10000.0, 10000.0]))
    [0.  0.5]
    """
    y, z = iv.matching_arrays("y", y, "z", z)
    iv.within("y", y, 0.0, 1.0, "targets")
    return (sigmoid(z) - y) / y.size


def cross_entropy(y: npt.ArrayLike, logits: npt.ArrayLike) -> float:
    r"""Softmax cross-entropy of ``logits`` against target distributions ``y``.

    $$
    \operatorname{CE}(y, z) = -\frac{1}{B} \sum_{b=1}^{B} \sum_{k=1}^{K} y_{bk} \log \operatorname{softmax}(z_b)_k
    = \frac{1}{B} \sum_{b} \Big[\log \sum_k e^{z_{bk}} - \sum_k y_{bk} z_{bk}\Big],
    $$

    with classes on the last axis and $B$ the number of rows (the product of the leading axes; a
    1-D input is one row). Computed with :func:`~gradient_docs.softmax.log_softmax`, never as
    ``log(softmax(z))``, so it is finite for any finite logits.

    Parameters
    ----------
    y : array_like, shape (..., K)
        One-hot labels or probability vectors: entries in $[0, 1]$, rows summing to 1.
    logits : array_like, same shape as ``y``

    Returns
    -------
    float

    Examples
    --------
    >>> print(f"{cross_entropy([0.0, 1.0, 0.0], [1.0, 2.0, 3.0]):.6f}")
    1.407606
    """
    y, z = _distribution_and_logits(y, logits)
    return float(-np.sum(y * log_softmax(z)) / _rows(z))


def cross_entropy_grad(y: npt.ArrayLike, logits: npt.ArrayLike) -> np.ndarray:
    r"""Gradient of :func:`cross_entropy` with respect to the logits.

    $$
    \frac{\partial \operatorname{CE}}{\partial z_{bk}} = \frac{\operatorname{softmax}(z_b)_k - y_{bk}}{B}.
    $$

    Returns
    -------
    ndarray, same shape as ``logits``

    Examples
    --------
    >>> print(cross_entropy_grad([0.0, 1.0, 0.0], [1.0, 2.0, 3.0]))
    [ 0.09003057 -0.75527153  0.66524096]
    """
    y, z = _distribution_and_logits(y, logits)
    return (softmax(z) - y) / _rows(z)


def _distribution_and_logits(y, logits):
    y, z = iv.matching_arrays("y", y, "logits", logits, min_ndim=1)
    iv.probability_rows("y", y)
    return y, z


def _rows(z: np.ndarray) -> int:
    return z.size // z.shape[-1]


def hinge(y: npt.ArrayLike, scores: npt.ArrayLike) -> float:
    r"""Hinge loss of scores against labels $y \in \{-1, +1\}$.

    $$
    \operatorname{hinge}(y, s) = \frac{1}{N} \sum_{i=1}^{N} \max(0,\ 1 - y_i s_i).
    $$

    Zero once an example is on the right side with margin $y_i s_i \ge 1$; linear otherwise.

    Parameters
    ----------
    y : array_like, any shape
        Labels, each $-1$ or $+1$.
    scores : array_like, same shape as ``y``

    Returns
    -------
    float

    Examples
    --------
    >>> print(hinge([1.0, -1.0, 1.0], [2.0, 0.5, -1.0]))
    1.1666666666666667
    """
    y, s = _labels_and_scores(y, scores)
    return float(np.mean(np.maximum(0.0, 1 - y * s)))


def hinge_grad(y: npt.ArrayLike, scores: npt.ArrayLike) -> np.ndarray:
    r"""(Sub)gradient of :func:`hinge` with respect to the scores.

    $$
    \frac{\partial}{\partial s_i} = \begin{cases} -y_i / N & y_i s_i < 1 \\ 0 & y_i s_i \ge 1 \end{cases},
    $$

    taking the subgradient $0$ exactly at the kink $y_i s_i = 1$.

    Returns
    -------
    ndarray, same shape as ``scores``

    Examples
    --------
    >>> print(hinge_grad([1.0, -1.0, 1.0], [2.0, 0.5, -1.0]))
    [ 0.          0.33333333 -0.33333333]
    """
    y, s = _labels_and_scores(y, scores)
    return np.where(y * s < 1, -y, 0.0) / y.size


def _labels_and_scores(y, scores):
    y, s = iv.matching_arrays("y", y, "scores", scores)
    iv.labels("y", y, (-1.0, 1.0))
    return y, s
