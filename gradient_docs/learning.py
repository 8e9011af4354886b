r"""Gradients that train a model: a linear layer, softmax regression, a two-layer network, and
gradient descent.

Every model here ends in the same loss, the mean softmax cross-entropy of scores $Z$ (shape
$(B, K)$) against integer class indices $c_1, \dots, c_B$, whose gradient with respect to the
scores is the residual

$$
\begin{aligned}
L &= -\frac{1}{B} \sum_{i=1}^{B} \log \operatorname{softmax}(Z_i)_{c_i}, \\
\frac{\partial L}{\partial Z} &= \frac{S - Y}{B},
\end{aligned}
$$

with $S$ the softmax probabilities and $Y$ the one-hot labels. The gradients with respect to
weights and biases follow from it by [linear_backward][gradient_docs.learning.linear_backward],
the backward pass of $Y = XW + b$.

Arrays keep their floating-point precision (float16, float32 or float64; integers become
float64). The training helpers compute in float64.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

import numpy as np
import numpy.typing as npt

from gradient_docs import _validation as iv
from gradient_docs.softmax import log_softmax, softmax

__all__ = [
    "MinibatchGradients",
    "SoftmaxRegressionFit",
    "TwoLayerParams",
    "gradient_descent",
    "linear_backward",
    "load_iris",
    "softmax_regression_loss_and_grad",
    "softmax_regression_minibatch_grads",
    "stratified_split",
    "train_softmax_regression",
    "two_layer_init",
    "two_layer_loss_and_grads",
    "two_layer_scores",
]

#: The four measurements of the Iris data, in centimetres, in the order of the file's columns.
IRIS_FEATURES = ("sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)")


# --------------------------------------------------------------------------------------------
# A linear layer
# --------------------------------------------------------------------------------------------


def linear_backward(X: npt.ArrayLike, W: npt.ArrayLike, G: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""The backward pass of a linear layer $Y = XW + b$: gradients from the upstream $G = \partial L / \partial Y$.

    $$
    \begin{aligned}
    \frac{\partial L}{\partial X} &= G W^\top, \\
    \frac{\partial L}{\partial W} &= X^\top G, \\
    \frac{\partial L}{\partial b} &= \sum_{i=1}^{B} G_{i,:}.
    \end{aligned}
    $$

    With indices, $Y_{ij} = \sum_k X_{ik} W_{kj} + b_j$, so
    $\partial L / \partial W_{kj} = \sum_i G_{ij} X_{ik}$ (every row of the batch contributes),
    $\partial L / \partial X_{ik} = \sum_j G_{ij} W_{kj}$, and $\partial L / \partial b_j = \sum_i G_{ij}$
    (the bias is broadcast over the batch, so its gradient sums over it). Each gradient has the
    shape of its argument. Once $G$ is given the bias does not enter the backward formulas, so it
    is not an argument.

    Parameters
    ----------
    X : array_like of shape (B, n)
        The layer's input, one row per example.
    W : array_like of shape (n, m)
        The weights.
    G : array_like of shape (B, m)
        The upstream gradient $\partial L / \partial Y$.

    Returns
    -------
    dX : ndarray of shape (B, n)
        $\partial L / \partial X = G W^\top$, passed back as the upstream gradient of the layer
        that produced `X`.
    dW : ndarray of shape (n, m)
        $\partial L / \partial W = X^\top G$.
    db : ndarray of shape (m,)
        $\partial L / \partial b$, the column sums of $G$.

    Raises
    ------
    ValueError
        An argument that is not 2-D, or shapes that do not chain (the message names the argument).

    See Also
    --------
    - [Backpropagation through a linear layer][backpropagation-through-a-linear-layer]: derives the
      three formulas with indices and checks them numerically.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    >>> W = np.array([[1.0, 0.0, -1.0], [0.5, 2.0, 1.0]])
    >>> G = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    >>> dX, dW, db = linear_backward(X, W, G)
    >>> print(dW)
    [[1. 3. 5.]
     [2. 4. 6.]]
    >>> print(db)
    [1. 1. 1.]

    References
    ----------
    A. Karpathy et al., CS231n course notes, "Derivatives, Backpropagation, and Vectorization"
    and "Backpropagation, Intuitions", Stanford University.
    """
    X = iv.as_real_array("X", X, ndim=2)
    W = iv.as_real_array("W", W, ndim=2)
    G = iv.as_real_array("G", G, ndim=2)
    _rows_match_columns("W", W, "X", X)
    if G.shape != (X.shape[0], W.shape[1]):
        raise ValueError(
            f"`G` must have the shape of Y = X @ W + b, (B, m) = {(X.shape[0], W.shape[1])}; got shape {G.shape}."
        )
    return _finite("linear_backward", _linear_backward(X, W, G))


def _linear_backward(X: np.ndarray, W: np.ndarray, G: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """linear_backward without validation, for the models below."""
    with np.errstate(over="ignore", invalid="ignore"):  # float16 overflow is caught by _finite
        return G @ W.T, X.T @ G, G.sum(axis=0)


def _rows_match_columns(name_w: str, W: np.ndarray, name_x: str, X: np.ndarray) -> None:
    if W.shape[0] != X.shape[1]:
        raise ValueError(f"`{name_w}` must have one row per column of `{name_x}` ({X.shape[1]}); got shape {W.shape}.")


def _bias(name: str, b: npt.ArrayLike, W: np.ndarray, name_w: str) -> np.ndarray:
    b = iv.as_real_array(name, b, ndim=1)
    if b.shape != (W.shape[1],):
        raise ValueError(
            f"`{name}` must have one entry per column of `{name_w}`, shape {(W.shape[1],)}; got shape {b.shape}."
        )
    return b


def _finite(what: str, arrays: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
    """Raise instead of returning an overflowed result (a float16 product beyond 65504)."""
    for a in arrays:
        if not np.isfinite(a).all():
            raise ValueError(
                f"{what} overflows {a.dtype} (largest finite value {np.finfo(a.dtype).max:g}); "
                "pass float32 or float64 arrays, or smaller values."
            )
    return arrays


# --------------------------------------------------------------------------------------------
# Integer labels and the softmax cross-entropy of scores
# --------------------------------------------------------------------------------------------


def _class_indices(labels: npt.ArrayLike, *, rows: int | None = None, classes: int | None = None) -> np.ndarray:
    """Validate integer class indices: 1-D, an integer dtype, one per row, in [0, classes)."""
    try:
        array = labels if isinstance(labels, np.ndarray) else np.asarray(labels)
    except ValueError as exc:  # ragged nested sequences
        raise TypeError(
            f"`labels` must be a 1-D array of integer class indices; got a ragged sequence ({exc})."
        ) from exc
    if array.dtype.kind not in "iu":
        hint = " (if they are whole numbers, convert with `labels.astype(int)`)" if array.dtype.kind == "f" else ""
        raise TypeError(f"`labels` must be integer class indices{hint}; got {iv.describe(array)}.")
    if array.ndim != 1:
        hint = " (for one-hot rows, pass `onehot.argmax(axis=1)`)" if array.ndim == 2 else ""
        raise ValueError(f"`labels` must be 1-D, one class index per example{hint}; got shape {array.shape}.")
    if rows is not None and array.size != rows:
        raise ValueError(f"`labels` must have one entry per row of `X` ({rows}); got {array.size}.")
    if array.size == 0:
        raise ValueError("`labels` must not be empty.")
    top = classes - 1 if classes is not None else np.iinfo(np.intp).max
    bad = (array < 0) | (array > top)
    if bad.any():
        i = int(np.argmax(bad))
        which = f"[0, {top}] ({classes} classes)" if classes is not None else ">= 0"
        raise ValueError(f"`labels` must be class indices in {which}; got {array[i]} at index {i}.")
    return array.astype(np.intp)


def _cross_entropy_and_residual(scores: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    r"""Mean cross-entropy of `scores` (B, K) against `labels`, and its gradient (S - Y) / B.

    The loss uses log-softmax (a log-sum-exp), never log(softmax). In S - Y, the true class's
    entry S_c - 1 would cancel every digit when S_c is within rounding of 1 (a confident, correct
    prediction): S_c = 1 - 1e-20 is stored as 1.0 and S_c - 1 as 0. Since the probabilities sum
    to 1, S_c - 1 = -(sum of the other probabilities), a sum of positive terms with no
    cancellation, accurate to a few ulps whatever S_c is; that is how it is formed.
    """
    batch = scores.shape[0]
    rows = np.arange(batch)
    loss = -float(np.sum(log_softmax(scores)[rows, labels], dtype=np.float64)) / batch
    residual = softmax(scores)
    residual[rows, labels] = 0.0
    residual[rows, labels] = -residual.sum(axis=1)  # S_c - 1 = -(sum of the others)
    return loss, (residual.astype(np.float64) / batch).astype(residual.dtype)  # one rounding in float16


def _l2_penalty(l2: float, *weights: np.ndarray) -> float:
    return 0.5 * l2 * sum(float(np.sum(np.square(w, dtype=np.float64))) for w in weights)


def _nonnegative(name: str, value: float) -> float:
    array = iv.as_real_array(name, value, ndim=0)
    if array < 0:
        raise ValueError(f"`{name}` must be >= 0; got {float(array)}.")
    return float(array)


def _scores(X: np.ndarray, W: np.ndarray, b: np.ndarray, what: str) -> np.ndarray:
    with np.errstate(over="ignore", invalid="ignore"):
        return _finite(what, (X @ W + b,))[0]


# --------------------------------------------------------------------------------------------
# Softmax regression
# --------------------------------------------------------------------------------------------


def softmax_regression_loss_and_grad(
    W: npt.ArrayLike, b: npt.ArrayLike, X: npt.ArrayLike, labels: npt.ArrayLike, *, l2: float = 0.0
) -> tuple[float, np.ndarray, np.ndarray]:
    r"""Loss and gradient of softmax regression (multinomial logistic regression) on a batch.

    With scores $Z = XW + b$, probabilities $S_i = \operatorname{softmax}(Z_i)$ and $Y$ the
    one-hot rows of `labels`,

    $$
    L(W, b) = -\frac{1}{B} \sum_{i=1}^{B} \log S_{i c_i} + \frac{\lambda}{2} \lVert W \rVert_F^2,
    $$

    $$
    \boxed{\begin{aligned}
    \frac{\partial L}{\partial W} &= \frac{1}{B} X^\top (S - Y) + \lambda W, \\
    \frac{\partial L}{\partial b} &= \frac{1}{B} \sum_{i=1}^{B} (S - Y)_{i,:}
    \end{aligned}}
    $$

    ($\lambda$ is `l2`; the bias is not regularised). The loss is computed with log-softmax,
    so it stays finite for any finite scores, and the true class's $S_{ic} - 1$ is formed as
    $-\sum_{j \ne c} S_{ij}$, so a confident correct prediction keeps its tiny gradient instead
    of rounding it to 0.

    Parameters
    ----------
    W : array_like of shape (d, K)
        Weights: one column per class.
    b : array_like of shape (K,)
        Biases, one per class.
    X : array_like of shape (B, d)
        Features, one row per example.
    labels : array_like of shape (B,)
        Integer class indices in $[0, K)$, one per row of `X`.
    l2 : float >= 0
        The weight $\lambda$ of the penalty $\frac{\lambda}{2} \lVert W \rVert_F^2$.

    Returns
    -------
    loss : float
        $L(W, b)$: the mean cross-entropy plus the penalty.
    dW : ndarray of shape (d, K)
        $\partial L / \partial W$, including the penalty's $\lambda W$.
    db : ndarray of shape (K,)
        $\partial L / \partial b$.

    Raises
    ------
    TypeError
        `labels` not integers (floats such as 1.5, booleans, strings).
    ValueError
        Shapes that do not fit together, `labels` of the wrong length or out of $[0, K)$,
        a negative `l2`, or scores that overflow a float16 input.

    See Also
    --------
    - [Softmax regression, end to end][softmax-regression-end-to-end]: derives this gradient and
      checks it numerically on the Iris data.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> loss, dW, db = softmax_regression_loss_and_grad(np.zeros((2, 3)), np.zeros(3), X, [0, 2])
    >>> print(f"{loss:.6f}")  # log 3: uniform probabilities
    1.098612
    >>> print(dW)
    [[-0.33333333  0.16666667  0.16666667]
     [ 0.16666667  0.16666667 -0.33333333]]

    References
    ----------
    - A. Zhang, Z. C. Lipton, M. Li and A. J. Smola, *Dive into Deep Learning*, section 4.1,
      "Softmax Regression".
    - I. Goodfellow, Y. Bengio and A. Courville, *Deep Learning*, section 6.2.2.3.
    """
    W, b, X, labels, l2 = _softmax_regression_arguments(W, b, X, labels, l2)
    loss, dW, db, _ = _softmax_regression(W, b, X, labels, l2)
    return loss, dW, db


def _softmax_regression_arguments(W, b, X, labels, l2):
    X = iv.as_real_array("X", X, ndim=2)
    W = iv.as_real_array("W", W, ndim=2)
    _rows_match_columns("W", W, "X", X)
    b = _bias("b", b, W, "W")
    labels = _class_indices(labels, rows=X.shape[0], classes=W.shape[1])
    return W, b, X, labels, _nonnegative("l2", l2)


def _softmax_regression(W, b, X, labels, l2):
    """Loss, dW, db and the scores, for validated arguments."""
    scores = _scores(X, W, b, "X @ W + b")
    loss, dscores = _cross_entropy_and_residual(scores, labels)
    _, dW, db = _linear_backward(X, W, dscores)
    return loss + _l2_penalty(l2, W), dW + W.dtype.type(l2) * W, db, scores


@dataclass(frozen=True)
class SoftmaxRegressionFit:
    r"""The outcome of [train_softmax_regression][gradient_docs.learning.train_softmax_regression].

    Attributes
    ----------
    W : ndarray of shape (d, K)
        The final weights.
    b : ndarray of shape (K,)
        The final biases.
    loss : ndarray of shape (steps + 1,)
        The training objective (mean cross-entropy plus the l2 term) at every iterate, from the
        initial zeros (entry 0, where it is $\log K$) to the final weights.
    train_accuracy : ndarray of shape (steps + 1,)
        The fraction of training examples whose largest score is their class, at every iterate
        (ties go to the lowest class index, so at the initial zeros every prediction is class 0).
    test_loss : ndarray of shape (steps + 1,) or None
        The same objective on the test set at every iterate, with the same l2 term (so it differs
        from `loss` exactly by the cross-entropies); None if no test set was given.
    test_accuracy : ndarray of shape (steps + 1,) or None
        The accuracy on the test set at every iterate, measured as `train_accuracy` is; None if
        no test set was given.
    learning_rate : float
        The step size $\eta$ the weights were trained with.
    l2 : float
        The penalty weight $\lambda$ included in `loss` and `test_loss`.

    See Also
    --------
    - [Softmax regression, end to end][softmax-regression-end-to-end]: reads the loss and accuracy
      of a fit on the Iris data.
    """

    W: np.ndarray
    b: np.ndarray
    loss: np.ndarray
    train_accuracy: np.ndarray
    test_loss: np.ndarray | None
    test_accuracy: np.ndarray | None
    learning_rate: float
    l2: float


def train_softmax_regression(
    X: npt.ArrayLike,
    labels: npt.ArrayLike,
    *,
    learning_rate: float,
    steps: int,
    l2: float = 0.0,
    num_classes: int | None = None,
    X_test: npt.ArrayLike | None = None,
    labels_test: npt.ArrayLike | None = None,
) -> SoftmaxRegressionFit:
    r"""Train softmax regression by full-batch gradient descent from $W = 0$, $b = 0$.

    $$
    \begin{aligned}
    W_{t+1} &= W_t - \eta \, \nabla_W L(W_t, b_t), \\
    b_{t+1} &= b_t - \eta \, \nabla_b L(W_t, b_t),
    \end{aligned}
    $$

    with $L$ the loss of
    [softmax_regression_loss_and_grad][gradient_docs.learning.softmax_regression_loss_and_grad] over the
    whole training set and $\eta$ the `learning_rate`. Deterministic: no random numbers are
    drawn. The objective is convex, so the zero start loses nothing. Computed in float64.

    Parameters
    ----------
    X : array_like of shape (B, d)
        Training features (standardise them first: see the example).
    labels : array_like of shape (B,)
        Integer class indices of the training examples, one per row of `X`.
    learning_rate : float > 0
        The step size $\eta$.
    steps : int >= 0
        Number of gradient steps.
    l2 : float >= 0
        The weight $\lambda$ of the penalty $\frac{\lambda}{2} \lVert W \rVert_F^2$.
    num_classes : int
        $K$. Default: one more than the largest label in `labels` and `labels_test`.
    X_test : array_like of shape (B_test, d)
        Held-out features, evaluated at every iterate (never used for the updates). Give
        `labels_test` with it, or neither.
    labels_test : array_like of shape (B_test,)
        Integer class indices of the held-out examples, one per row of `X_test`.

    Returns
    -------
    SoftmaxRegressionFit
        The final `W` and `b` and, per iterate, the loss and accuracy.

    See Also
    --------
    - [Softmax regression, end to end][softmax-regression-end-to-end]: trains it on the Iris data
      and asks how much the small test set says.

    Examples
    --------
    The Iris data: a stratified 80/20 split, features standardised with the training set's
    mean and standard deviation, 300 steps at learning rate 1 with $\lambda = 10^{-3}$.

    >>> import numpy as np
    >>> X, labels, classes, features = load_iris()
    >>> train, test = stratified_split(labels, test_fraction=0.2, seed=0)
    >>> mean, std = X[train].mean(axis=0), X[train].std(axis=0)
    >>> Z = (X - mean) / std
    >>> fit = train_softmax_regression(
    ...     Z[train], labels[train], X_test=Z[test], labels_test=labels[test], learning_rate=1.0, steps=300, l2=1e-3
    ... )
    >>> print(f"objective {fit.loss[0]:.4f} -> {fit.loss[-1]:.4f}, on the test set {fit.test_loss[-1]:.4f}")
    objective 1.0986 -> 0.0949, on the test set 0.1757
    >>> print(f"accuracy: train {fit.train_accuracy[-1]:.3f}, test {fit.test_accuracy[-1]:.3f}")
    accuracy: train 0.992, test 0.900
    """
    X = iv.as_real_array("X", X, ndim=2).astype(np.float64)
    labels = _class_indices(labels, rows=X.shape[0])
    learning_rate = iv.positive_scalar("learning_rate", learning_rate)
    steps = _count("steps", steps, minimum=0)
    l2 = _nonnegative("l2", l2)
    test = _test_set(X_test, labels_test, X.shape[1])
    K = _num_classes(num_classes, labels, None if test is None else test[1])

    W, b = np.zeros((X.shape[1], K)), np.zeros(K)
    history = np.empty((4, steps + 1))
    for t in range(steps + 1):
        history[0, t], dW, db, scores = _softmax_regression(W, b, X, labels, l2)
        history[1, t] = _accuracy(scores, labels)
        if test is not None:
            history[2, t], _, _, test_scores = _softmax_regression(W, b, *test, l2)
            history[3, t] = _accuracy(test_scores, test[1])
        if t < steps:
            W, b = W - learning_rate * dW, b - learning_rate * db
    tested = test is not None
    return SoftmaxRegressionFit(
        W=W,
        b=b,
        loss=history[0],
        train_accuracy=history[1],
        test_loss=history[2] if tested else None,
        test_accuracy=history[3] if tested else None,
        learning_rate=learning_rate,
        l2=l2,
    )


def _accuracy(scores: np.ndarray, labels: np.ndarray) -> float:
    return float(np.mean(np.argmax(scores, axis=1) == labels))


def _test_set(X_test, labels_test, n: int):
    if (X_test is None) != (labels_test is None):
        raise ValueError("`X_test` and `labels_test` go together: give both or neither.")
    if X_test is None:
        return None
    X_test = iv.as_real_array("X_test", X_test, ndim=2).astype(np.float64)
    if X_test.shape[1] != n:
        raise ValueError(f"`X_test` must have the {n} columns of `X`; got shape {X_test.shape}.")
    try:
        labels_test = _class_indices(labels_test, rows=X_test.shape[0])
    except (TypeError, ValueError) as exc:
        raise type(exc)(str(exc).replace("`labels`", "`labels_test`").replace("`X`", "`X_test`")) from None
    return X_test, labels_test


def _num_classes(num_classes, labels: np.ndarray, labels_test: np.ndarray | None) -> int:
    largest = int(max(labels.max(), -1 if labels_test is None else labels_test.max()))
    if num_classes is None:
        return largest + 1
    num_classes = _count("num_classes", num_classes, minimum=2)
    if largest >= num_classes:
        raise ValueError(f"`num_classes` must exceed every label; got {num_classes} with a label {largest}.")
    return num_classes


def _count(name: str, value, *, minimum: int) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"`{name}` must be an integer; got {iv.describe(value)}.")
    if value < minimum:
        raise ValueError(f"`{name}` must be >= {minimum}; got {value}.")
    return int(value)


@dataclass(frozen=True)
class MinibatchGradients:
    """The mini-batch gradients of one pass over the data (see
    [softmax_regression_minibatch_grads][gradient_docs.learning.softmax_regression_minibatch_grads]).

    Attributes
    ----------
    dW : ndarray of shape (num_batches, d, K)
        One gradient with respect to `W` per batch.
    db : ndarray of shape (num_batches, K)
        One gradient with respect to `b` per batch.
    batches : ndarray of shape (num_batches, batch_size)
        The integer row indices of `X` in each batch: together, every row exactly once.

    See Also
    --------
    - [Gradient descent and the learning rate][gradient-descent-and-the-learning-rate]: shows that
      a mini-batch gradient is an unbiased estimate of the full gradient, and how much it spreads.
    """

    dW: np.ndarray
    db: np.ndarray
    batches: np.ndarray


def softmax_regression_minibatch_grads(
    W: npt.ArrayLike,
    b: npt.ArrayLike,
    X: npt.ArrayLike,
    labels: npt.ArrayLike,
    *,
    batch_size: int,
    l2: float = 0.0,
    seed: int | np.random.Generator | None = 0,
) -> MinibatchGradients:
    r"""The softmax-regression gradient on each mini-batch of one shuffled pass over the data.

    The rows are shuffled and cut into $M = B / m$ batches of $m$ = `batch_size` rows. Each
    batch gradient $g_k$ is the gradient of the loss averaged over its batch. A batch is a
    uniformly random set of $m$ rows, so $g_k$ is an unbiased estimate of the full gradient $g$;
    and since the batches have equal sizes and cover every row once,

    $$
    \frac{1}{M} \sum_{k=1}^{M} g_k = g \quad \text{exactly (up to rounding)}.
    $$

    Parameters
    ----------
    W : array_like of shape (d, K)
        Weights, one column per class, as for
        [softmax_regression_loss_and_grad][gradient_docs.learning.softmax_regression_loss_and_grad].
    b : array_like of shape (K,)
        Biases, one per class.
    X : array_like of shape (B, d)
        Features, one row per example.
    labels : array_like of shape (B,)
        Integer class indices in $[0, K)$, one per row of `X`.
    batch_size : int
        $m$, which must divide the number of rows $B$ (so that every batch has the same weight).
    l2 : float >= 0
        The weight $\lambda$ of the penalty on `W`, added to every batch's gradient.
    seed : int or numpy.random.Generator or None
        Seeds the shuffle of the rows; the default 0 makes it reproducible, None draws fresh entropy.

    Returns
    -------
    MinibatchGradients
        `dW` (M, d, K), `db` (M, K) and the row indices of each batch.

    See Also
    --------
    - [Gradient descent and the learning rate][gradient-descent-and-the-learning-rate]: derives the
      mean and spread of mini-batch gradients.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> X, labels = rng.normal(size=(12, 3)), np.arange(12) % 4
    >>> W, b = rng.normal(size=(3, 4)), np.zeros(4)
    >>> batches = softmax_regression_minibatch_grads(W, b, X, labels, batch_size=3)
    >>> _, dW, db = softmax_regression_loss_and_grad(W, b, X, labels)
    >>> print(batches.dW.shape, np.allclose(batches.dW.mean(axis=0), dW, rtol=0, atol=1e-15))
    (4, 3, 4) True

    References
    ----------
    L. Bottou, F. E. Curtis and J. Nocedal, "Optimization Methods for Large-Scale Machine
    Learning", *SIAM Review* 60(2) (2018) 223-311, section 4.
    """
    W, b, X, labels, l2 = _softmax_regression_arguments(W, b, X, labels, l2)
    rows = X.shape[0]
    batch_size = _count("batch_size", batch_size, minimum=1)
    if rows % batch_size:
        divisors = [d for d in range(1, rows + 1) if rows % d == 0]
        raise ValueError(f"`batch_size` must divide the {rows} rows of `X` (one of {divisors}); got {batch_size}.")
    batches = np.random.default_rng(seed).permutation(rows).reshape(-1, batch_size)
    grads = [_softmax_regression(W, b, X[batch], labels[batch], l2)[1:3] for batch in batches]
    return MinibatchGradients(dW=np.stack([g[0] for g in grads]), db=np.stack([g[1] for g in grads]), batches=batches)


# --------------------------------------------------------------------------------------------
# A two-layer network
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TwoLayerParams:
    r"""Weights and biases of the two-layer network $X \to \operatorname{relu}(XW_1 + b_1) W_2 + b_2$.

    Also the type of its gradients (each has the shape of its parameter). The constructor checks
    that the shapes chain.

    Attributes
    ----------
    W1 : ndarray of shape (d, m)
        Weights from the $d$ inputs to the $m$ hidden units.
    b1 : ndarray of shape (m,)
        Biases of the hidden units.
    W2 : ndarray of shape (m, K)
        Weights from the hidden units to the $K$ scores.
    b2 : ndarray of shape (K,)
        Biases of the scores, one per class.

    See Also
    --------
    - [A two-layer network by hand][a-two-layer-network-by-hand]: derives the gradient of each of
      these parameters and checks every one.
    """

    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray

    def __post_init__(self) -> None:
        W1 = iv.as_real_array("W1", self.W1, ndim=2)
        W2 = iv.as_real_array("W2", self.W2, ndim=2)
        if W2.shape[0] != W1.shape[1]:
            raise ValueError(
                f"`W2` must have one row per column (hidden unit) of `W1` ({W1.shape[1]}); got shape {W2.shape}."
            )
        object.__setattr__(self, "W1", W1)
        object.__setattr__(self, "b1", _bias("b1", self.b1, W1, "W1"))
        object.__setattr__(self, "W2", W2)
        object.__setattr__(self, "b2", _bias("b2", self.b2, W2, "W2"))


def two_layer_init(
    n_inputs: int, n_hidden: int, n_classes: int, *, seed: int | np.random.Generator | None = 0
) -> TwoLayerParams:
    r"""Random weights for a two-layer network: He initialisation, zero biases.

    $W_1 \sim \mathcal{N}(0, 2 / d)$ and $W_2 \sim \mathcal{N}(0, 2 / m)$ entry by entry (the
    variance that keeps the scale of the activations through a ReLU), $b_1 = 0$, $b_2 = 0$.

    Parameters
    ----------
    n_inputs : int >= 1
        $d$, the number of input features (rows of `W1`).
    n_hidden : int >= 1
        $m$, the number of hidden units (columns of `W1`, rows of `W2`).
    n_classes : int >= 1
        $K$, the number of classes (columns of `W2`).
    seed : int or numpy.random.Generator or None
        Seeds the normal draws of `W1` and `W2`; the default 0 makes them reproducible, None draws fresh entropy.

    Returns
    -------
    TwoLayerParams
        He-initialised weights `W1` and `W2` and zero biases.

    See Also
    --------
    - [A two-layer network by hand][a-two-layer-network-by-hand]: starts the network it trains
      from these weights.

    Examples
    --------
    >>> params = two_layer_init(4, 10, 3)
    >>> print(params.W1.shape, params.b1.shape, params.W2.shape, params.b2.shape)
    (4, 10) (10,) (10, 3) (3,)

    References
    ----------
    K. He, X. Zhang, S. Ren and J. Sun, "Delving Deep into Rectifiers", *ICCV* (2015).
    """
    d = _count("n_inputs", n_inputs, minimum=1)
    m = _count("n_hidden", n_hidden, minimum=1)
    K = _count("n_classes", n_classes, minimum=1)
    rng = np.random.default_rng(seed)
    return TwoLayerParams(
        W1=rng.normal(scale=np.sqrt(2 / d), size=(d, m)),
        b1=np.zeros(m),
        W2=rng.normal(scale=np.sqrt(2 / m), size=(m, K)),
        b2=np.zeros(K),
    )


def two_layer_scores(params: TwoLayerParams, X: npt.ArrayLike) -> np.ndarray:
    r"""The forward pass: scores $\operatorname{relu}(XW_1 + b_1) W_2 + b_2$.

    Parameters
    ----------
    params : TwoLayerParams
        The network's weights and biases.
    X : array_like of shape (B, d)
        Inputs, one row per example.

    Returns
    -------
    ndarray of shape (B, K)
        The scores (logits) $Z_2$, one row per example.

    See Also
    --------
    - [A two-layer network by hand][a-two-layer-network-by-hand]: writes out this forward pass
      with the shape of every quantity.

    Examples
    --------
    >>> import numpy as np
    >>> params = TwoLayerParams(W1=np.eye(2), b1=np.zeros(2), W2=np.array([[1.0], [-1.0]]), b2=np.zeros(1))
    >>> print(two_layer_scores(params, np.array([[3.0, -2.0]])))  # relu gives [3, 0]
    [[3.]]
    """
    X = _two_layer_input(params, X)
    return _two_layer_forward(params, X)[-1]


def _two_layer_input(params, X) -> np.ndarray:
    if not isinstance(params, TwoLayerParams):
        raise TypeError(f"`params` must be a TwoLayerParams; got {iv.describe(params)}.")
    X = iv.as_real_array("X", X, ndim=2)
    _rows_match_columns("W1", params.W1, "X", X)
    return X


def _two_layer_forward(params: TwoLayerParams, X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pre-activations Z1, hidden activations H and scores."""
    Z1 = _scores(X, params.W1, params.b1, "X @ W1 + b1")
    H = np.maximum(Z1, 0)
    return Z1, H, _scores(H, params.W2, params.b2, "H @ W2 + b2")


def two_layer_loss_and_grads(
    params: TwoLayerParams, X: npt.ArrayLike, labels: npt.ArrayLike, *, l2: float = 0.0
) -> tuple[float, TwoLayerParams]:
    r"""Loss and gradients of a two-layer ReLU network with a softmax cross-entropy loss.

    Forward, with the shape of every quantity:

    $$
    \begin{aligned}
    Z_1 &= X W_1 + b_1 & (B, m) \\
    H &= \max(Z_1, 0) & (B, m) \\
    Z_2 &= H W_2 + b_2 & (B, K) \\
    S_i &= \operatorname{softmax}(Z_{2,i}) & (K,)
    \end{aligned}
    $$

    $$
    \begin{aligned}
    L = &-\frac{1}{B}\sum_{i=1}^{B} \log S_{i c_i} \\
    &+ \frac{\lambda}{2}\left(\lVert W_1 \rVert_F^2 + \lVert W_2 \rVert_F^2\right).
    \end{aligned}
    $$

    Backward, one step per line of the forward pass, in reverse, with
    $G_2 = \partial L / \partial Z_2$ and $G_1 = \partial L / \partial Z_1$:

    $$
    \begin{aligned}
    G_2 &= \frac{1}{B}(S - Y) & (B, K) \\
    \frac{\partial L}{\partial W_2} &= H^\top G_2 + \lambda W_2 & (m, K) \\
    \frac{\partial L}{\partial b_2} &= \sum_{i=1}^{B} (G_2)_{i,:} & (K,) \\
    G_1 &= \left(G_2 W_2^\top\right) \odot \mathbf{1}[Z_1 > 0] & (B, m) \\
    \frac{\partial L}{\partial W_1} &= X^\top G_1 + \lambda W_1 & (d, m) \\
    \frac{\partial L}{\partial b_1} &= \sum_{i=1}^{B} (G_1)_{i,:} & (m,)
    \end{aligned}
    $$

    The two linear steps are [linear_backward][gradient_docs.learning.linear_backward]. ReLU has
    no derivative at exactly 0; this function takes the subgradient 0 there
    ($\mathbf{1}[Z_1 > 0]$, as PyTorch and CS231n do). Any value in $[0, 1]$ would be a valid
    subgradient, so at such a point a finite-difference check cannot confirm the gradient.
    [check_gradient][gradient_docs.check.check_gradient] reports it as not reliable when the jump
    in slope stands out of its noise estimate; a kink in one coordinate among many can escape
    that estimate, so check gradients at points away from kinks.

    Parameters
    ----------
    params : TwoLayerParams
        The weights and biases at which to evaluate the loss.
    X : array_like of shape (B, d)
        Inputs, one row per example.
    labels : array_like of shape (B,)
        Integer class indices in $[0, K)$, one per row of `X`.
    l2 : float >= 0
        $\lambda$, applied to $W_1$ and $W_2$ (not the biases).

    Returns
    -------
    loss : float
        $L$: the mean cross-entropy plus the penalty on $W_1$ and $W_2$.
    grads : TwoLayerParams
        $\partial L / \partial W_1$, $\partial L / \partial b_1$, $\partial L / \partial W_2$,
        $\partial L / \partial b_2$.

    See Also
    --------
    - [A two-layer network by hand][a-two-layer-network-by-hand]: derives this backward pass line
      by line, checks every gradient, and shows what the checker says at a ReLU kink.

    Examples
    --------
    >>> import numpy as np
    >>> params = two_layer_init(2, 4, 3, seed=0)
    >>> X, labels = np.array([[1.0, -1.0], [0.5, 2.0]]), np.array([0, 2])
    >>> loss, grads = two_layer_loss_and_grads(params, X, labels)
    >>> print(f"{loss:.6f}", grads.W1.shape, grads.b2.shape)
    0.584916 (2, 4) (3,)

    References
    ----------
    A. Karpathy et al., CS231n course notes, "Putting it together: Minimal Neural Network Case
    Study", Stanford University.
    """
    X = _two_layer_input(params, X)
    labels = _class_indices(labels, rows=X.shape[0], classes=params.W2.shape[1])
    l2 = _nonnegative("l2", l2)
    W1, W2 = params.W1, params.W2

    # Forward, keeping what the backward pass needs.
    Z1, H, scores = _two_layer_forward(params, X)
    cross_entropy, dZ2 = _cross_entropy_and_residual(scores, labels)  # dL/dZ2 = (S - Y) / B
    loss = cross_entropy + _l2_penalty(l2, W1, W2)

    # Backward through Z2 = H W2 + b2.
    dH, dW2, db2 = _linear_backward(H, W2, dZ2)
    # Backward through H = relu(Z1): the gradient passes where Z1 > 0, and is 0 where Z1 <= 0
    # (at Z1 == 0 exactly, 0 is the subgradient chosen).
    dZ1 = dH * (Z1 > 0)
    # Backward through Z1 = X W1 + b1 (dX is not needed).
    _, dW1, db1 = _linear_backward(X, W1, dZ1)
    # The penalty (l2/2) ||W||^2 adds l2 W to each weight's gradient.
    decay = W1.dtype.type(l2)
    grads = _finite("the backward pass", (dW1 + decay * W1, db1, dW2 + decay * W2, db2))
    return loss, TwoLayerParams(*grads)


# --------------------------------------------------------------------------------------------
# Gradient descent
# --------------------------------------------------------------------------------------------


def gradient_descent(
    grad: Callable[[np.ndarray], npt.ArrayLike], x0: npt.ArrayLike, *, learning_rate: float, steps: int
) -> np.ndarray:
    r"""The iterates of gradient descent with a fixed learning rate $\eta$.

    $$
    x_{t+1} = x_t - \eta \, \nabla f(x_t), \qquad t = 0, 1, \dots, \text{steps} - 1.
    $$

    On a quadratic $f(x) = \frac{1}{2} x^\top A x$ with $A$ symmetric positive definite, the
    error along an eigenvector of $A$ with eigenvalue $\lambda$ is multiplied by $1 - \eta\lambda$
    at every step, so the iterates converge for every start if and only if

    $$
    \boxed{0 < \eta < \frac{2}{\lambda_{\max}(A)}}.
    $$

    Near a local minimum of a smooth $f$ where the Hessian is positive definite, the same holds
    with $A$ the Hessian there.

    Parameters
    ----------
    grad : callable
        `grad(x) -> ndarray` shaped like `x`: the gradient of $f$.
    x0 : array_like, any shape
        The start. The iterates are computed in float64.
    learning_rate : float > 0
        The fixed step size $\eta$.
    steps : int >= 0
        The number of updates; the trajectory holds `steps + 1` points.

    Returns
    -------
    ndarray of shape (steps + 1, *x0.shape)
        The trajectory $x_0, x_1, \dots, x_{\text{steps}}$, in float64.

    Raises
    ------
    ValueError
        The iterates diverged to infinity (the message gives the step): lower `learning_rate`
        or take fewer `steps`. Also a `grad` returning the wrong shape.

    See Also
    --------
    - [Gradient descent and the learning rate][gradient-descent-and-the-learning-rate]: derives the
      bound $\eta < 2 / \lambda_{\max}$ on a quadratic and tries it on the notes' function.

    Examples
    --------
    The notes' $f(x, y) = x^3 - 2xy + y^2$ has a local minimum at $(2/3, 2/3)$, where the
    Hessian's largest eigenvalue is $3 + \sqrt{5}$, so the bound is $\eta < 0.382$:

    >>> from gradient_docs.examples import f_gradient
    >>> path = gradient_descent(f_gradient, [1.0, 1.0], learning_rate=0.3, steps=100)
    >>> print(path.shape, path[-1])
    (101, 2) [0.66666667 0.66666667]

    References
    ----------
    J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., chapter 3.
    """
    grad = iv.callable_arg("grad", grad)
    x = iv.as_real_array("x0", x0).astype(np.float64)
    learning_rate = iv.positive_scalar("learning_rate", learning_rate)
    steps = _count("steps", steps, minimum=0)
    trajectory = np.empty((steps + 1, *x.shape))
    trajectory[0] = x
    for t in range(steps):
        step = _descent_step(grad, trajectory[t], learning_rate)
        if step is None:
            raise ValueError(
                f"gradient descent diverged: step {t + 1} is no longer finite (from x = {_show(trajectory[t])}); "
                f"`learning_rate` = {learning_rate:g} is too large for this function here, or `steps` too many."
            )
        trajectory[t + 1] = step
    return trajectory


def _descent_step(grad, x: np.ndarray, learning_rate: float) -> np.ndarray | None:
    """x - learning_rate * grad(x), or None if an overflow along the way makes it not finite."""
    try:
        with np.errstate(over="raise", invalid="raise"):  # an overflow inside grad counts too
            g = np.asarray(grad(x.copy()))
            if g.shape != x.shape or g.dtype.kind not in "iuf":
                raise ValueError(f"`grad` must return a real array shaped like `x0` {x.shape}; got {iv.describe(g)}.")
            step = x - learning_rate * g.astype(np.float64)
    except FloatingPointError:
        return None
    return step if np.isfinite(step).all() else None


def _show(x: np.ndarray) -> str:
    return str(x.tolist()) if x.size <= 8 else f"an array of shape {x.shape}"


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------


def load_iris() -> tuple[np.ndarray, np.ndarray, tuple[str, ...], tuple[str, ...]]:
    r"""Fisher's Iris data: 150 flowers, 4 measurements, 3 species (50 each).

    Read from `gradient_docs/data/iris.csv`, the copy shipped in scikit-learn 1.9.1
    (`sklearn/datasets/data/iris.csv`), byte for byte; its source and licence are in
    `gradient_docs/data/README.md`. This is the data as printed in Fisher's paper (as in R), which
    differs from the UCI file in two values (rows 35 and 38). The rows are sorted by species.

    Returns
    -------
    X : ndarray of shape (150, 4)
        Sepal length, sepal width, petal length and petal width, in centimetres (float64).
    labels : ndarray of shape (150,)
        The species of each row as an integer label: 0, 1 or 2.
    class_names : tuple of str
        `("setosa", "versicolor", "virginica")`, indexed by label.
    feature_names : tuple of str
        The names of the columns of `X`.

    See Also
    --------
    - [Softmax regression, end to end][softmax-regression-end-to-end]: trains softmax regression on
      this data.

    Examples
    --------
    >>> import numpy as np
    >>> X, labels, class_names, feature_names = load_iris()
    >>> print(X.shape, np.bincount(labels), class_names)
    (150, 4) [50 50 50] ('setosa', 'versicolor', 'virginica')
    >>> print(feature_names[2], X[0])
    petal length (cm) [5.1 3.5 1.4 0.2]

    References
    ----------
    R. A. Fisher, "The use of multiple measurements in taxonomic problems", *Annals of Eugenics*
    7(2) (1936) 179-188.
    """
    text = (resources.files("gradient_docs") / "data" / "iris.csv").read_text(encoding="ascii")
    header, *rows = text.splitlines()
    rows_expected, columns, *class_names = header.split(",")
    table = np.array([row.split(",") for row in rows], dtype=np.float64)
    if table.shape != (int(rows_expected), int(columns) + 1):
        raise ValueError(f"iris.csv is damaged: its header announces {header!r} but it holds {table.shape}.")
    return table[:, :-1], table[:, -1].astype(np.intp), tuple(class_names), IRIS_FEATURES


def stratified_split(
    labels: npt.ArrayLike, *, test_fraction: float, seed: int | np.random.Generator | None = 0
) -> tuple[np.ndarray, np.ndarray]:
    r"""Row indices of a train/test split that keeps each class's share.

    For each class $k$ with $n_k$ examples, $\operatorname{round}(f \, n_k)$ of them, chosen by
    a seeded permutation, go to the test set and the rest to the training set ($f$ is
    `test_fraction`). Deterministic for a given seed.

    Parameters
    ----------
    labels : array_like of shape (B,)
        Integer class indices, one per example.
    test_fraction : float in (0, 1)
        The share $f$ of each class that goes to the test set.
    seed : int or numpy.random.Generator or None
        Seeds the permutation within each class; the default 0 makes the split reproducible, None draws fresh entropy.

    Returns
    -------
    train : ndarray of int
        Sorted row indices of the training set.
    test : ndarray of int
        Sorted row indices of the test set; with `train`, every row exactly once.

    Raises
    ------
    ValueError
        A `test_fraction` that leaves some class with no example in the training or the test set.

    See Also
    --------
    - [Softmax regression, end to end][softmax-regression-end-to-end]: holds out a fifth of the
      Iris data with it, and repeats the split over seeds.

    Examples
    --------
    >>> import numpy as np
    >>> train, test = stratified_split(np.array([0, 0, 0, 0, 1, 1, 1, 1, 1, 1]), test_fraction=0.5)
    >>> print(len(train), len(test), np.bincount(np.array([0, 0, 0, 0, 1, 1, 1, 1, 1, 1])[test]))
    5 5 [2 3]
    """
    labels = _class_indices(labels)
    fraction = iv.positive_scalar("test_fraction", test_fraction)
    if fraction >= 1:
        raise ValueError(f"`test_fraction` must be in (0, 1); got {fraction}.")
    rng = np.random.default_rng(seed)
    test = []
    for k in np.unique(labels):
        members = np.flatnonzero(labels == k)
        count = round(fraction * members.size)
        if not 0 < count < members.size:
            raise ValueError(
                f"`test_fraction` = {fraction:g} puts {count} of the {members.size} examples of class {k} "
                "in the test set; each class needs at least one example on each side."
            )
        test.append(rng.permutation(members)[:count])
    test = np.sort(np.concatenate(test))
    return np.setdiff1d(np.arange(labels.size), test), test
