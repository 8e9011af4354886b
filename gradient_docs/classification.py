r"""Classification losses and their gradients with respect to the prediction.

Notation: $y$ the targets or labels, $p$ predicted probabilities (binary), $z$ logits (real
scores), $s = \operatorname{softmax}(z)$, $n$ the number of elements, $B$ the number of rows
(the batch) and $K$ the number of classes.

- Binary losses treat every element as one example and average over all $n$ of them:
  [binary_cross_entropy][gradient_docs.classification.binary_cross_entropy] on probabilities,
  [binary_cross_entropy_with_logits][gradient_docs.classification.binary_cross_entropy_with_logits]
  and [hinge][gradient_docs.classification.hinge] on logits.
- Multi-class losses take the class axis last and average over the $B$ rows of the leading
  (batch) axes; a 1-D input is one row:
  [cross_entropy][gradient_docs.classification.cross_entropy] and
  [multiclass_hinge][gradient_docs.classification.multiclass_hinge].

Every `*_grad` returns the gradient with respect to the second argument, with its shape.

Arguments: `(targets, predictions)` for the loss on probabilities, `(labels, logits)` for the
losses on logits. Positional calls work as before. The former keyword names (`y`, `p`, `z`,
`scores`) are gone, and the clipping margin of the binary cross-entropy, formerly `eps`, is
now `clip` (eps is reserved for machine epsilon). The logistic sigmoid now lives in
[gradient_docs.activations][].

Dtypes: inputs may be float16, float32, float64 or integers, and are computed in float64, so a
clipping margin of $10^{-12}$ means the same in every dtype. A loss returns a Python float and
a gradient a float64 array, whatever the input's dtype. Complex input is refused (TypeError).
A result beyond the float range raises OverflowError, never returns infinity or NaN.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from gradient_docs import _reductions
from gradient_docs import _validation as iv
from gradient_docs.activations import sigmoid

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "binary_cross_entropy_with_logits",
    "binary_cross_entropy_with_logits_grad",
    "cross_entropy",
    "cross_entropy_grad",
    "hinge",
    "hinge_grad",
    "multiclass_hinge",
    "multiclass_hinge_grad",
]

#: Probabilities are clipped to [DEFAULT_CLIP, 1 - DEFAULT_CLIP] before taking logarithms.
DEFAULT_CLIP = 1e-12


def binary_cross_entropy(targets: npt.ArrayLike, predictions: npt.ArrayLike, *, clip: float = DEFAULT_CLIP) -> float:
    r"""Binary cross-entropy of predicted probabilities $p$ against targets $y$.

    $$
    \begin{aligned}
    \operatorname{BCE}(y, p) = -\frac{1}{n} \sum_{i=1}^{n} \big[&y_i \log p_i \\
    &+ (1 - y_i) \log(1 - p_i)\big].
    \end{aligned}
    $$

    `predictions` must lie in $[0, 1]$ (a clear error otherwise). They are then clipped so
    that $p_i$ and $1 - p_i$ are both at least `clip` ($10^{-12}$ by default): a confident wrong
    prediction ($p = 0$ for $y = 1$) costs $-\log 10^{-12} \approx 27.6$ instead of infinity.
    The complement $1 - p_i$ is clipped by itself, so any margin in $(0, 0.5)$ works, even one
    below float64's $1.1 \cdot 10^{-16}$, where $1 - \text{clip}$ rounds to 1. Prefer
    [binary_cross_entropy_with_logits][gradient_docs.classification.binary_cross_entropy_with_logits],
    which needs no clipping.

    Parameters
    ----------
    targets : array_like, any shape
        Targets $y$ in $[0, 1]$ (labels 0 and 1, or soft labels).
    predictions : array_like
        Predicted probabilities $p$ in $[0, 1]$, the same shape as `targets`.
    clip : float in (0, 0.5)
        The clipping margin $\kappa$ (formerly `eps`): $p_i$ and $1 - p_i$ are at least `clip`.

    Returns
    -------
    float
        The mean binary cross-entropy over all $n$ elements, at most $-\log(\text{clip})$.

    See Also
    --------
    - [Binary classification losses][binary-classification-losses]: derives the loss on
      probabilities and shows what clipping does to it.

    Examples
    --------
    >>> print(f"{binary_cross_entropy([1.0, 0.0], [0.9, 0.2]):.6f}")
    0.164252
    """
    y, p, q, _ = _clipped_probabilities(targets, predictions, clip)
    log_q = np.where(p < 0.5, np.log1p(-np.minimum(p, 0.5)), np.log(q))  # log1p keeps a tiny p's digits
    return float(-np.mean(y * np.log(p) + (1 - y) * log_q))


def binary_cross_entropy_grad(
    targets: npt.ArrayLike, predictions: npt.ArrayLike, *, clip: float = DEFAULT_CLIP
) -> np.ndarray:
    r"""Gradient of [binary_cross_entropy][gradient_docs.classification.binary_cross_entropy] with respect to the predictions.

    $$
    \frac{\partial \operatorname{BCE}}{\partial p_i} = \frac{1}{n}\left(-\frac{y_i}{p_i} + \frac{1 - y_i}{1 - p_i}\right)
    = \frac{p_i - y_i}{n\,p_i(1 - p_i)},
    $$

    where the prediction lies inside $[\kappa, 1 - \kappa]$ (`clip` is $\kappa$), and $0$ outside
    it: the loss uses the clipped prediction, which does not move while the prediction moves
    inside the clip region, so the loss is flat there and this is the gradient of the loss that
    [binary_cross_entropy][gradient_docs.classification.binary_cross_entropy] computes. Inside,
    it grows without bound as $p_i \to 0$ or $1$: that is the price of working with
    probabilities, and the reason to prefer logits.

    Parameters
    ----------
    targets : array_like, any shape
        Targets $y$ in $[0, 1]$.
    predictions : array_like
        Predicted probabilities $p$ in $[0, 1]$, the same shape as `targets`.
    clip : float in (0, 0.5)
        The clipping margin $\kappa$ (formerly `eps`), as for
        [binary_cross_entropy][gradient_docs.classification.binary_cross_entropy].

    Returns
    -------
    ndarray
        $\partial \operatorname{BCE} / \partial p$, shaped like `predictions`, in float64; 0 where
        the prediction is clipped.

    Raises
    ------
    OverflowError
        A `clip` so small that $1 / \text{clip}$ is beyond the float range, at a prediction of 0 or 1.

    See Also
    --------
    - [Binary classification losses][binary-classification-losses]: derives this gradient and shows
      why it vanishes in the clip region.

    Examples
    --------
    >>> print(binary_cross_entropy_grad([1.0, 0.0], [0.9, 0.2]))
    [-0.55555556  0.625     ]

    A prediction in the clip region moves the clipped loss not at all:

    >>> print(binary_cross_entropy_grad([1.0, 1.0], [1e-13, 0.5]))
    [ 0. -1.]
    """
    y, p, q, inside = _clipped_probabilities(targets, predictions, clip)
    with np.errstate(over="ignore"):
        grad = np.where(inside, (p - y) / (p * q), 0.0) / y.size
    return iv.representable(
        "`binary_cross_entropy_grad`", grad, f"the prediction is clipped to within clip = {clip:g} of 0 or 1"
    )


def _clipped_probabilities(targets, predictions, clip):
    """Validate; return y, p clipped to [clip, 1 - clip], q = 1 - p clipped to at least clip, and
    where the prediction lies inside the clip range (where the clipped loss has a slope)."""
    y, p = iv.real_input_pair("targets", targets, "predictions", predictions)
    iv.within("targets", y, 0.0, 1.0, "targets")
    iv.within("predictions", p, 0.0, 1.0, "probabilities")
    clip = iv.open_interval("clip", clip, 0.0, 0.5)
    inside = (p >= clip) & (1 - p >= clip)  # 1 - p is exact for p >= 0.5
    p = np.clip(p, clip, 1 - clip)
    return y, p, np.maximum(1 - p, clip), inside


def binary_cross_entropy_with_logits(labels: npt.ArrayLike, logits: npt.ArrayLike) -> float:
    r"""Binary cross-entropy of logits $z$ (the prediction is $p = \sigma(z)$).

    $$
    \begin{aligned}
    \operatorname{BCE}(y, \sigma(z))
    &= \frac{1}{n}\sum_{i=1}^{n} \big[\log(1 + e^{z_i}) - y_i z_i\big] \\
    &= \frac{1}{n}\sum_{i=1}^{n} \big[\max(z_i, 0) - y_i z_i \\
    &\qquad\qquad + \log(1 + e^{-|z_i|})\big].
    \end{aligned}
    $$

    The last form is what is computed, with $\max(z, 0) - yz$ as $(1 - y)z$ or $-yz$: $e^{-|z|}
    \le 1$ never overflows, and `log1p` keeps it accurate when it is tiny. Finite for any finite
    $z$, including $|z| = 10^4$ and $10^{308}$.

    Parameters
    ----------
    labels : array_like, any shape
        Labels $y$ in $[0, 1]$ (0 and 1, or soft labels).
    logits : array_like
        Logits $z$ (any real numbers), the same shape as `labels`.

    Returns
    -------
    float
        The mean binary cross-entropy of $\sigma(z)$ over all $n$ elements.

    See Also
    --------
    - [Binary classification losses][binary-classification-losses]: derives the loss on logits and
      shows why it needs no clipping.

    Examples
    --------
    >>> print(f"{binary_cross_entropy_with_logits([1.0, 0.0], [10000.0, 10000.0]):.1f}")
    5000.0
    """
    y, z = _binary_labels_and_logits(labels, logits)
    terms = np.where(z > 0, (1 - y) * z, -y * z) + np.log1p(np.exp(-np.abs(z)))
    return _reductions.mean(terms, what="`binary_cross_entropy_with_logits`", cause="the logits are too large")


def binary_cross_entropy_with_logits_grad(labels: npt.ArrayLike, logits: npt.ArrayLike) -> np.ndarray:
    r"""Gradient of [binary_cross_entropy_with_logits][gradient_docs.classification.binary_cross_entropy_with_logits] with respect to the logits.

    $$
    \frac{\partial}{\partial z_i} = \frac{\sigma(z_i) - y_i}{n}:
    $$

    the chain rule through $\sigma'(z) = \sigma(z)(1 - \sigma(z))$ cancels the
    $p(1 - p)$ in the denominator of the probability gradient, leaving prediction minus target.
    For $z \ge 0$ it is computed as $(1 - y) - \sigma(-z)$, so a confident right answer
    ($y = 1$, $z = 40$) keeps its small gradient $-\sigma(-40) \approx -4 \cdot 10^{-18}$ instead of
    rounding $\sigma(40) - 1$ to 0.

    Parameters
    ----------
    labels : array_like, any shape
        Labels $y$ in $[0, 1]$.
    logits : array_like
        Logits $z$, the same shape as `labels`.

    Returns
    -------
    ndarray
        $(\sigma(z) - y) / n$, shaped like `logits`, in float64.

    See Also
    --------
    - [Binary classification losses][binary-classification-losses]: derives this gradient,
      prediction minus target, from the chain rule through $\sigma$.

    Examples
    --------
    >>> print(binary_cross_entropy_with_logits_grad([1.0, 0.0], [10000.0, 10000.0]))
    [0.  0.5]
    """
    y, z = _binary_labels_and_logits(labels, logits)
    s = sigmoid(-np.abs(z))  # the smaller of sigma(z) and sigma(-z), never rounded against 1
    return np.where(z >= 0, (1 - y) - s, s - y) / y.size


def _binary_labels_and_logits(labels, logits) -> tuple[np.ndarray, np.ndarray]:
    y, z = iv.real_input_pair("labels", labels, "logits", logits)
    iv.within("labels", y, 0.0, 1.0, "labels")
    return y, z


def cross_entropy(labels: npt.ArrayLike, logits: npt.ArrayLike) -> float:
    r"""Softmax cross-entropy of logits $z$ against target distributions $y$.

    $$
    \begin{aligned}
    \operatorname{CE}(y, z) &= -\frac{1}{B} \sum_{b=1}^{B} \sum_{k=1}^{K} y_{bk} \log s_{bk} \\
    &= \frac{1}{B} \sum_{b} \Big[\Big(\sum_k y_{bk}\Big) \log \sum_k e^{z_{bk}} \\
    &\qquad\qquad - \sum_k y_{bk} z_{bk}\Big],
    \end{aligned}
    $$

    where $s_b = \operatorname{softmax}(z_b)$, with classes on the last axis and $B$ the number of rows (the product of the leading axes; a
    1-D input is one row). Computed as $\sum_k y_{bk}(m_b - z_{bk}) + (\sum_k y_{bk}) \log(1 + r_b)$
    with $m_b = \max_k z_{bk}$ and $r_b$ the sum of the other terms $e^{z_{bk} - m_b}$ (as in
    [log_softmax][gradient_docs.softmax.log_softmax]), never as `log(softmax(z))`. A class with
    $y_{bk} = 0$ contributes exactly 0, so the loss is finite for any finite logits, even
    $\pm 10^{308}$, unless its true value is beyond the float range (OverflowError).

    Parameters
    ----------
    labels : array_like of shape (..., K)
        One-hot labels or probability vectors $y$: entries in $[0, 1]$, rows summing to 1 (within
        $10^{-6}$, or $K$ machine epsilons of the input's dtype if that is more).
    logits : array_like
        Logits $z$, the same shape as `labels`.

    Returns
    -------
    float
        The cross-entropy averaged over the $B$ rows.

    See Also
    --------
    - [Softmax cross-entropy][softmax-cross-entropy]: derives the loss through log-softmax and
      explains why frameworks fuse softmax with it.

    Examples
    --------
    >>> print(f"{cross_entropy([0.0, 1.0, 0.0], [1.0, 2.0, 3.0]):.6f}")
    1.407606
    """
    y, z = _distributions_and_logits(labels, logits)
    peak = z.max(axis=-1, keepdims=True)
    # Quarter units: m/4 - z/4 <= max/2 cannot overflow, and y <= 1, so no term can.
    gaps = peak / 4 - z / 4
    rows = np.sum(y * gaps, axis=-1) + y.sum(axis=-1) * _log1p_rest(z, peak)[..., 0] / 4
    return _reductions.mean(
        rows.ravel(), what="`cross_entropy`", cause="the true loss exceeds the largest float", exponent=2
    )


def cross_entropy_grad(labels: npt.ArrayLike, logits: npt.ArrayLike) -> np.ndarray:
    r"""Gradient of [cross_entropy][gradient_docs.classification.cross_entropy] with respect to the logits.

    $$
    \frac{\partial \operatorname{CE}}{\partial z_{bk}} = \frac{\big(\sum_j y_{bj}\big)\, s_{bk} - y_{bk}}{B},
    $$

    which is the familiar $(s_{bk} - y_{bk}) / B$ when the row of $y$ sums to 1, and stays the
    exact gradient of the loss when it sums to 1 only within the accepted tolerance.

    For the largest logit of a row, $s_{bk}$ can round to 1 while the gradient is tiny (one-hot
    $y$ on a confident right answer). There the entry is computed as
    $\big(\sum_{j \ne k} y_{bj} - y_{bk}\, r_b\big) / \big((1 + r_b) B\big)$ with $r_b$ the sum
    of the other terms $e^{z_{bj} - z_{bk}}$, which cancels nothing: for $y = (0, 1)$ and
    $z = (14.9, 84.7)$ it is $-4.5 \cdot 10^{-31}$, not 0.

    Parameters
    ----------
    labels : array_like of shape (..., K)
        One-hot labels or probability vectors $y$, rows summing to 1 as for
        [cross_entropy][gradient_docs.classification.cross_entropy].
    logits : array_like
        Logits $z$, the same shape as `labels`.

    Returns
    -------
    ndarray
        $\partial \operatorname{CE} / \partial z$, shaped like `logits`, in float64.

    See Also
    --------
    - [Softmax cross-entropy][softmax-cross-entropy]: derives $(s - y) / B$ twice, through the
      softmax Jacobian and directly, and extends it to batches and soft labels.

    Examples
    --------
    >>> print(cross_entropy_grad([0.0, 1.0, 0.0], [1.0, 2.0, 3.0]))
    [ 0.09003057 -0.75527153  0.66524096]
    """
    y, z = _distributions_and_logits(labels, logits)
    peak = z.max(axis=-1, keepdims=True)
    top = np.argmax(z, axis=-1)[..., None]
    with np.errstate(over="ignore"):
        e = np.exp(z - peak)  # a gap beyond the float range is -inf, and e^-inf = 0 is right
    np.put_along_axis(e, top, 0.0, axis=-1)
    rest = e.sum(axis=-1, keepdims=True)  # r: every term but the largest, which is exactly 1
    y_top = np.take_along_axis(y, top, axis=-1)
    y_others = y.copy()
    np.put_along_axis(y_others, top, 0.0, axis=-1)
    grad = y.sum(axis=-1, keepdims=True) * (e / (1 + rest)) - y
    np.put_along_axis(grad, top, (y_others.sum(axis=-1, keepdims=True) - y_top * rest) / (1 + rest), axis=-1)
    return grad / _rows(z)


def _log1p_rest(z: np.ndarray, peak: np.ndarray) -> np.ndarray:
    r"""$\log(1 + r)$ per row (keepdims), $r$ the sum of $e^{z_k - m}$ over all but one largest entry."""
    with np.errstate(over="ignore"):
        e = np.exp(z - peak)
    np.put_along_axis(e, np.argmax(z, axis=-1)[..., None], 0.0, axis=-1)
    return np.log1p(e.sum(axis=-1, keepdims=True))


def _distributions_and_logits(labels, logits) -> tuple[np.ndarray, np.ndarray]:
    y, z = iv.real_input_pair("labels", labels, "logits", logits, min_ndim=1)
    iv.probability_rows_within("labels", y, iv.row_sum_tolerance(np.asarray(labels).dtype, y.shape[-1]))
    return y, z


def _rows(z: np.ndarray) -> int:
    return z.size // z.shape[-1]


def hinge(labels: npt.ArrayLike, logits: npt.ArrayLike) -> float:
    r"""Hinge loss of logits (real scores) $z$ against labels $y \in \{-1, +1\}$.

    $$
    \operatorname{hinge}(y, z) = \frac{1}{n} \sum_{i=1}^{n} \max(0,\ 1 - y_i z_i).
    $$

    Zero once an example is on the right side with margin $y_i z_i \ge 1$; linear otherwise.

    Parameters
    ----------
    labels : array_like, any shape
        Labels $y$, each $-1$ or $+1$.
    logits : array_like
        Scores $z$, the same shape as `labels`.

    Returns
    -------
    float
        The mean hinge loss over all $n$ elements.

    See Also
    --------
    - [Binary classification losses][binary-classification-losses]: derives the hinge loss and
      plots it beside binary cross-entropy.

    Examples
    --------
    >>> print(hinge([1.0, -1.0, 1.0], [2.0, 0.5, -1.0]))
    1.1666666666666667
    """
    y, z = _signed_labels_and_logits(labels, logits)
    return _reductions.mean(np.maximum(0.0, 1 - y * z), what="`hinge`", cause="the logits are too large")


def hinge_grad(labels: npt.ArrayLike, logits: npt.ArrayLike) -> np.ndarray:
    r"""(Sub)gradient of [hinge][gradient_docs.classification.hinge] with respect to the logits.

    $$
    \frac{\partial}{\partial z_i} = \begin{cases} -y_i / n & y_i z_i < 1 \\ 0 & y_i z_i \ge 1 \end{cases},
    $$

    taking the subgradient $0$ exactly at the kink $y_i z_i = 1$.

    Parameters
    ----------
    labels : array_like, any shape
        Labels $y$, each $-1$ or $+1$.
    logits : array_like
        Scores $z$, the same shape as `labels`.

    Returns
    -------
    ndarray
        $-y / n$ where the margin $y z < 1$ and 0 elsewhere, shaped like `logits`, in float64.

    See Also
    --------
    - [Binary classification losses][binary-classification-losses]: derives the derivative $-y_i$
      and its jump to 0 at the margin.

    Examples
    --------
    >>> print(hinge_grad([1.0, -1.0, 1.0], [2.0, 0.5, -1.0]))
    [ 0.          0.33333333 -0.33333333]
    """
    y, z = _signed_labels_and_logits(labels, logits)
    return np.where(y * z < 1, -y, 0.0) / y.size


def _signed_labels_and_logits(labels, logits) -> tuple[np.ndarray, np.ndarray]:
    y, z = iv.real_input_pair("labels", labels, "logits", logits)
    iv.labels("labels", y, (-1.0, 1.0))
    return y, z


def multiclass_hinge(labels: npt.ArrayLike, logits: npt.ArrayLike, *, margin: float = 1.0) -> float:
    r"""Multi-class hinge (SVM) loss of logits $z$ against one-hot labels, as in CS231n.

    $$
    \operatorname{hinge}_\Delta(y, z) = \frac{1}{B} \sum_{b=1}^{B} \sum_{j \ne c_b} \max(0,\ z_{bj} - z_{bc_b} + \Delta),
    $$

    where $c_b$ is the class of row $b$ (the 1 of its one-hot label) and $\Delta$ the `margin`.
    A row costs nothing once the right class's logit beats every other by at least $\Delta$.
    Computed on logits scaled by $1/4$ (exactly), so no margin or sum overflows before the result
    does.

    Parameters
    ----------
    labels : array_like of shape (..., K)
        One-hot rows: zeros and exactly one 1 per row.
    logits : array_like
        Scores $z$, the same shape as `labels`.
    margin : float >= 0
        The margin $\Delta$ by which the right class's score must beat every other.

    Returns
    -------
    float
        The multi-class hinge loss averaged over the $B$ rows.

    See Also
    --------
    - [Softmax cross-entropy][softmax-cross-entropy]: defines the multiclass SVM loss on the same
      logits as cross-entropy.
    - [Designing losses for learning][designing-losses-for-learning]: shows that, unlike
      cross-entropy, it stops pushing once every margin is met.

    References
    ----------
    - Weston, J. and Watkins, C. (1999). Support vector machines for multi-class pattern
      recognition. *ESANN*.
    - CS231n, "Linear classification": the multiclass SVM loss.

    Examples
    --------
    >>> print(f"{multiclass_hinge([1.0, 0.0, 0.0], [3.2, 5.1, -1.7]):.6f}")
    2.900000
    """
    z, c, d, others = _one_hot_and_quarter_margins(labels, logits, margin)
    terms = np.where(others, np.maximum(0.0, z - c + d), 0.0)  # quarter units, each below max/2
    # (1/B) sum over rows and classes = K times the mean over all B K entries
    average = _reductions.mean(terms.ravel(), what="`multiclass_hinge`", cause="the logits are too large", exponent=2)
    return iv.representable("`multiclass_hinge`", average * z.shape[-1], "the logits are too large")


def multiclass_hinge_grad(labels: npt.ArrayLike, logits: npt.ArrayLike, *, margin: float = 1.0) -> np.ndarray:
    r"""(Sub)gradient of [multiclass_hinge][gradient_docs.classification.multiclass_hinge] with respect to the logits.

    With the margins $m_{bj} = z_{bj} - z_{bc_b} + \Delta$,

    $$
    \frac{\partial}{\partial z_{bj}} = \frac{1}{B}\begin{cases}
    \mathbb{1}[m_{bj} > 0] & j \ne c_b, \\
    -\sum_{k \ne c_b} \mathbb{1}[m_{bk} > 0] & j = c_b:
    \end{cases}
    $$

    every class that violates the margin has a gradient component of $+1/B$ and adds $-1/B$ to the
    right class's, so a gradient-descent step lowers the violating logit and raises the right
    one. At a kink (a margin exactly 0) the loss has no derivative; this function
    takes the subgradient with that term inactive (indicator 0), as
    [hinge_grad][gradient_docs.classification.hinge_grad] does.

    Parameters
    ----------
    labels : array_like of shape (..., K)
        One-hot rows: zeros and exactly one 1 per row.
    logits : array_like
        Scores $z$, the same shape as `labels`.
    margin : float >= 0
        The margin $\Delta$, as for [multiclass_hinge][gradient_docs.classification.multiclass_hinge].

    Returns
    -------
    ndarray
        The (sub)gradient with respect to the logits, shaped like `logits`, in float64.

    See Also
    --------
    - [Softmax cross-entropy][softmax-cross-entropy]: derives this gradient, $+1/B$ per violating
      class and minus their count for the right one.
    - [Designing losses for learning][designing-losses-for-learning]: checks it numerically, away
      from a kink and on one.

    Examples
    --------
    >>> print(multiclass_hinge_grad([1.0, 0.0, 0.0], [3.2, 5.1, -1.7]))
    [-1.  1.  0.]
    """
    z, c, d, others = _one_hot_and_quarter_margins(labels, logits, margin)
    active = (others & (z - c + d > 0)).astype(np.float64)
    correct = active.sum(axis=-1, keepdims=True)
    return (active - np.where(others, 0.0, correct)) / _rows(z)


def _one_hot_and_quarter_margins(labels, logits, margin):
    """Validate; return z/4, the right class's z/4 (keepdims), margin/4, and the mask of other classes."""
    y, z = iv.real_input_pair("labels", labels, "logits", logits, min_ndim=1)
    iv.one_hot_rows("labels", y)
    d = iv.nonnegative_scalar("margin", margin) / 4
    quarter = z / 4
    right = np.sum(np.where(y == 1, quarter, 0.0), axis=-1, keepdims=True)
    return quarter, right, d, y == 0
