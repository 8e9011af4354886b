"""gradient_docs.learning: the linear layer, softmax regression, the two-layer network, gradient
descent, mini-batches and the Iris data.

Every analytic gradient is compared with a numerical one by `check_gradient`, whose tolerance
comes from the estimated error of central differences (see gradient_docs/check.py). Tolerances
for comparisons with exact references are derived from rounding-error bounds; each says how.
"""

from __future__ import annotations

import hashlib
import math
import tomllib
from dataclasses import replace
from decimal import Decimal, localcontext
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gradient_docs import check_gradient, default_step, gradient
from gradient_docs.examples import f_gradient, f_hessian
from gradient_docs.learning import (
    IRIS_FEATURES,
    MinibatchGradients,
    SoftmaxRegressionFit,
    TwoLayerParams,
    gradient_descent,
    linear_backward,
    load_iris,
    softmax_regression_loss_and_grad,
    softmax_regression_minibatch_grads,
    stratified_split,
    train_softmax_regression,
    two_layer_init,
    two_layer_loss_and_grads,
    two_layer_scores,
)
from gradient_docs.softmax import softmax

EPS = float(np.finfo(np.float64).eps)
DTYPES = [np.float16, np.float32, np.float64]


def gamma(k: int, eps: float = EPS) -> float:
    """Higham's bound on the relative error of a k-term dot product or sum: k eps / (1 - k eps)."""
    return k * eps / (1 - k * eps)


def values(bound: float) -> st.SearchStrategy[float]:
    """0, or a magnitude in [0.01, bound] of either sign.

    A value like 3e-20 beside values of order 1 makes a gradient component that no finite
    difference can resolve (it is below the rounding noise of the loss), which tests the
    checker's noise floor rather than the formula.
    """
    return st.one_of(st.just(0.0), st.floats(0.01, bound), st.floats(-bound, -0.01))


def matrix(data: st.DataObject, shape: tuple[int, ...], bound: float = 3.0) -> np.ndarray:
    return data.draw(arrays(np.float64, shape, elements=values(bound)))


def confirmed(result) -> bool:
    """Whether a gradient check passed; draws the check cannot judge are discarded.

    A check is unreliable when the numerical gradient's estimated error exceeds 1% of
    max(|analytic|, |numerical|): the gradient is lost in the rounding noise of the loss (for
    instance components that cancel to 1e-17). Such a draw can neither confirm nor refute the
    formula. Discarding it never hides a wrong gradient: a wrong analytic value can only raise
    max(|analytic|, |numerical|) and so make the check more reliable. Hypothesis fails the test
    if it has to discard too many draws.
    """
    assume(result.reliable)
    return result.passed


def dims(low: int = 1, high: int = 5) -> st.SearchStrategy[int]:
    return st.integers(low, high)


@st.composite
def softmax_problems(draw, max_side: int = 5):
    """(W, b, X, labels, l2): shapes and values drawn, K >= 2 classes."""
    data = draw(st.data())
    B, n, K = draw(dims(1, max_side)), draw(dims(1, max_side)), draw(dims(2, max_side))
    labels = np.array(draw(st.lists(st.integers(0, K - 1), min_size=B, max_size=B)))
    l2 = draw(st.sampled_from([0.0, 0.1, 2.5]))
    return matrix(data, (n, K)), matrix(data, (K,)), matrix(data, (B, n)), labels, l2


def one_hot(labels: np.ndarray, K: int) -> np.ndarray:
    return np.eye(K)[labels]


# --------------------------------------------------------------------------------------------
# linear_backward
# --------------------------------------------------------------------------------------------


@given(st.data(), dims(), dims(), dims())
def test_linear_backward_matches_the_index_formulas(data, B: int, n: int, m: int) -> None:
    X, W, G = matrix(data, (B, n)), matrix(data, (n, m)), matrix(data, (B, m))
    dX, dW, db = linear_backward(X, W, G)
    # Reference sums with math.fsum (correctly rounded). The vectorised sums of k terms are
    # within gamma(k) * sum|terms| of exact (Higham, Accuracy and Stability, section 3.1), the
    # reference within eps/2 * |value|: the tolerance is the sum of the two.
    for i in range(n):
        for j in range(m):
            terms = [X[r, i] * G[r, j] for r in range(B)]  # dL/dW_ij = sum_r X_ri G_rj
            bound = gamma(B + 1) * sum(abs(t) for t in terms) + EPS * abs(math.fsum(terms))
            assert abs(dW[i, j] - math.fsum(terms)) <= bound
    for r in range(B):
        for i in range(n):
            terms = [G[r, j] * W[i, j] for j in range(m)]  # dL/dX_ri = sum_j G_rj W_ij
            bound = gamma(m + 1) * sum(abs(t) for t in terms) + EPS * abs(math.fsum(terms))
            assert abs(dX[r, i] - math.fsum(terms)) <= bound
    for j in range(m):
        terms = list(G[:, j])  # dL/db_j = sum_r G_rj
        assert abs(db[j] - math.fsum(terms)) <= gamma(B) * sum(abs(t) for t in terms) + EPS * abs(math.fsum(terms))
    assert (dX.shape, dW.shape, db.shape) == ((B, n), (n, m), (m,))


@given(st.data(), dims(), dims(), dims())
def test_linear_backward_passes_the_gradient_check(data, B: int, n: int, m: int) -> None:
    # L = sum(G * Y) with Y = X W + b has dL/dY = G exactly, so linear_backward(X, W, G) must be
    # the gradient of L with respect to X, W and b.
    X, W, b, G = matrix(data, (B, n)), matrix(data, (n, m)), matrix(data, (m,)), matrix(data, (B, m))

    def loss(X, W, b) -> float:
        return float(np.sum(G * (X @ W + b)))

    db = linear_backward(X, W, G)[2]
    assert confirmed(check_gradient(lambda x: loss(x, W, b), lambda x: linear_backward(x, W, G)[0], X))
    assert confirmed(check_gradient(lambda w: loss(X, w, b), lambda w: linear_backward(X, w, G)[1], W))
    assert confirmed(check_gradient(lambda c: loss(X, W, c), lambda c: db, b))


@pytest.mark.parametrize("dtype", DTYPES)
def test_linear_backward_in_every_float_dtype(dtype) -> None:
    rng = np.random.default_rng(0)
    X, W, G = (rng.normal(size=shape).astype(dtype) for shape in [(6, 4), (4, 3), (6, 3)])
    dX, dW, db = linear_backward(X, W, G)
    assert dX.dtype == dW.dtype == db.dtype == dtype
    # Against float64 sums of the same (converted) numbers: gamma(k + 1) of the dtype times the
    # sum of |terms| (products rounded, then k additions).
    eps = float(np.finfo(dtype).eps)
    X64, W64, G64 = (a.astype(np.float64) for a in (X, W, G))
    assert np.all(np.abs(dW - X64.T @ G64) <= gamma(7, eps) * (np.abs(X64).T @ np.abs(G64)))
    assert np.all(np.abs(dX - G64 @ W64.T) <= gamma(4, eps) * (np.abs(G64) @ np.abs(W64).T))
    assert np.all(np.abs(db - G64.sum(axis=0)) <= gamma(7, eps) * np.abs(G64).sum(axis=0))


@pytest.mark.parametrize(
    ("X", "W", "G", "error", "match"),
    [
        (np.ones(3), np.ones((3, 2)), np.ones((1, 2)), ValueError, r"`X` must be 2-dimensional; got .* shape \(3,\)"),
        (
            np.ones((4, 3)),
            np.ones((2, 2)),
            np.ones((4, 2)),
            ValueError,
            r"`W` must have one row per column of `X` \(3\)",
        ),
        (
            np.ones((4, 3)),
            np.ones((3, 2)),
            np.ones((4, 3)),
            ValueError,
            r"`G` must have the shape of Y .* \(4, 2\); got .*\(4, 3\)",
        ),
        (np.ones((4, 3)), np.ones((3, 2)), np.ones((2, 4)).T[:2], ValueError, r"`G` must have the shape"),
        (np.ones((2, 2)), np.full((2, 2), np.nan), np.ones((2, 2)), ValueError, r"`W` must contain only finite"),
        (
            np.ones((2, 2)),
            np.ones((2, 2)),
            [["a", "b"], ["c", "d"]],
            TypeError,
            r"`G` must be an array of real numbers",
        ),
    ],
)
def test_linear_backward_rejects_bad_input(X, W, G, error, match) -> None:
    with pytest.raises(error, match=match):
        linear_backward(X, W, G)


def test_linear_backward_refuses_a_float16_overflow() -> None:
    big = np.full((2, 2), 300.0, dtype=np.float16)  # 300 * 300 * 2 = 180000 > 65504
    with pytest.raises(ValueError, match=r"linear_backward overflows float16 \(largest finite value 65504\)"):
        linear_backward(big, big, big)


# --------------------------------------------------------------------------------------------
# softmax regression
# --------------------------------------------------------------------------------------------


@given(softmax_problems())
def test_softmax_regression_gradients_pass_the_check(problem) -> None:
    W, b, X, labels, l2 = problem

    def loss_at(W, b) -> float:
        return softmax_regression_loss_and_grad(W, b, X, labels, l2=l2)[0]

    assert confirmed(
        check_gradient(
            lambda w: loss_at(w, b), lambda w: softmax_regression_loss_and_grad(w, b, X, labels, l2=l2)[1], W
        )
    )
    assert confirmed(
        check_gradient(
            lambda c: loss_at(W, c), lambda c: softmax_regression_loss_and_grad(W, c, X, labels, l2=l2)[2], b
        )
    )


@given(softmax_problems())
def test_softmax_regression_matches_its_definition(problem) -> None:
    W, b, X, labels, l2 = problem
    loss, dW, db = softmax_regression_loss_and_grad(W, b, X, labels, l2=l2)
    B, K = X.shape[0], W.shape[1]
    Z = X @ W + b  # |Z| <= 5 * 9 + 3 = 48: exp does not overflow, so the naive formulas are fine
    S = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    naive_loss = -np.mean(np.log(S[np.arange(B), labels])) + 0.5 * l2 * np.sum(W * W)
    R = (S - one_hot(labels, K)) / B
    # Both sides start from the same scores. The max-shift z - m (|z - m| <= 96) rounds by up to
    # 48 eps, which exp turns into a relative error of 48 eps; the sums and divisions add K + 2
    # more. So every probability, and every entry of S - Y, is within 64 eps (absolute, as
    # |S - Y| <= 1) on each side: 128 eps apart, and the products with X add (B + 1) eps more.
    tolerance_R = 128 * EPS
    assert abs(loss - naive_loss) <= tolerance_R * (1 + np.abs(Z).max()) + 4 * EPS * abs(naive_loss)
    scale = np.abs(X).T @ np.ones((B, K)) / B
    assert np.all(np.abs(dW - (X.T @ R + l2 * W)) <= (tolerance_R + gamma(B + 1)) * scale + 4 * EPS * l2 * np.abs(W))
    assert np.all(np.abs(db - R.sum(axis=0)) <= tolerance_R + gamma(B))


@given(softmax_problems(), st.floats(0.01, 10.0))
def test_the_l2_term_adds_half_lambda_norm_squared_and_lambda_w(problem, l2: float) -> None:
    W, b, X, labels, _ = problem
    loss0, dW0, db0 = softmax_regression_loss_and_grad(W, b, X, labels)
    loss, dW, db = softmax_regression_loss_and_grad(W, b, X, labels, l2=l2)
    norm2 = math.fsum((W * W).ravel())
    # The loss is a float64 sum of two terms; l2/2 ||W||^2 (<= 10/2 * 25 * 9) is computed to a
    # few eps relative, and the sum rounds once more.
    assert loss - loss0 == pytest.approx(0.5 * l2 * norm2, rel=0, abs=8 * EPS * (abs(loss) + 0.5 * l2 * norm2))
    assert np.all(np.abs((dW - dW0) - l2 * W) <= 4 * EPS * (np.abs(dW) + np.abs(l2 * W)))
    assert np.array_equal(db, db0)  # the bias is not regularised


def decimal_residual_and_loss(Z: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, float]:
    """(S - Y) / B and the mean cross-entropy, in 50-digit decimal arithmetic, rounded once to float64."""
    B, K = Z.shape
    with localcontext() as ctx:
        ctx.prec = 50
        residual = np.empty((B, K))
        losses = []
        for i in range(B):
            e = [Decimal(float(z)).exp() for z in Z[i]]
            total = sum(e)
            for j in range(K):
                residual[i, j] = float((e[j] / total - (j == labels[i])) / B)
            losses.append(total.ln() - Decimal(float(Z[i, labels[i]])))
        return residual, float(sum(losses) / B)


def test_confident_predictions_keep_their_tiny_gradient_and_loss() -> None:
    # Rows of scores from confidently right to confidently wrong. X is the identity, so the
    # scores are W exactly and dW = (S - Y) / B.
    Z = np.array([[50.0, 0.0, 0.0], [30.0, 0.0, -5.0], [-20.0, 0.0, 20.0], [40.0, 0.0, 0.0], [1.0, 2.0, 3.0]])
    labels = np.array([0, 0, 2, 1, 2])
    X = np.eye(5)
    loss, dW, db = softmax_regression_loss_and_grad(Z, np.zeros(3), X, labels)
    reference, reference_loss = decimal_residual_and_loss(Z, labels)
    # Reference: 50 digits, then one rounding. Computed: the shifts z - m are exact (integers),
    # each probability is an exp (within 3 ulp in numpy's SIMD loops, 1 in glibc) over a sum of
    # 3 positive terms (2 roundings) and a division (1), the true class a sum of 2 positive
    # probabilities (1), then / B (1): at most 8 eps relative, so 16 eps is a factor 2 margin.
    # Computing S_c - 1 directly would be off by 100% in row 0 (S_c rounds to 1) and by 2e-3
    # relative in row 1: far outside this tolerance.
    assert np.all(np.abs(dW - reference) <= 16 * EPS * np.abs(reference))
    assert dW[0, 0] == pytest.approx(-2 * math.exp(-50) / 5, rel=16 * EPS)  # not 0
    assert np.all(np.abs(db - reference.sum(axis=0)) <= 16 * EPS * np.abs(reference).sum(axis=0))
    # The loss: log-sum-exp with log1p, so row 0 contributes 2e-22 rather than 0; the mean is
    # dominated by row 3's 40, and is exact to a few eps of it.
    assert loss == pytest.approx(reference_loss, rel=16 * EPS)
    alone, _, _ = softmax_regression_loss_and_grad(Z[:1], np.zeros(3), np.ones((1, 1)), [0])
    assert alone == pytest.approx(math.log1p(2 * math.exp(-50)), rel=4 * EPS)


def exact_problem(dtype, rng: np.random.Generator, shapes: dict[str, tuple[int, ...]]) -> dict[str, np.ndarray]:
    """Arrays of multiples of 1/2 in [-1, 1]: their products and short sums are exact in float16."""
    return {name: (rng.integers(-2, 3, size=shape) / 2).astype(dtype) for name, shape in shapes.items()}


def rounding_bound(eps: float, depth: int, magnitude: np.ndarray) -> np.ndarray:
    """First-order bound: `depth` roundings along a chain, times the chain run on absolute values."""
    return 2 * depth * eps * magnitude


@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_regression_in_every_float_dtype(dtype) -> None:
    rng = np.random.default_rng(1)
    a = exact_problem(dtype, rng, {"W": (3, 4), "b": (4,), "X": (6, 3)})
    labels = rng.integers(0, 4, size=6)
    loss, dW, db = softmax_regression_loss_and_grad(a["W"], a["b"], a["X"], labels, l2=0.5)
    assert dW.dtype == db.dtype == dtype and isinstance(loss, float)
    W64, b64, X64 = (a[k].astype(np.float64) for k in "WbX")
    ref_loss, ref_dW, ref_db = softmax_regression_loss_and_grad(W64, b64, X64, labels, l2=0.5)
    # The scores are exact in every dtype (multiples of 1/4, |Z| <= 4). What remains: the
    # softmax (exp, a K-term sum, a division: K + 2 roundings, each relative to a probability, so
    # absolute in S - Y, |S - Y| <= 1), the division by B (1), the product X^T R (B + 1) and the
    # l2 term (2): depth K + B + 6 = 16, applied to the same chain on absolute values.
    eps = float(np.finfo(dtype).eps)
    depth = 4 + 6 + 6
    assert np.all(
        np.abs(dW - ref_dW) <= rounding_bound(eps, depth, np.abs(X64).T @ np.ones((6, 4)) / 6 + 0.5 * np.abs(W64))
    )
    assert np.all(np.abs(db - ref_db) <= rounding_bound(eps, depth, np.ones(4)))
    assert abs(loss - ref_loss) <= rounding_bound(eps, depth, 4 + abs(ref_loss))


@pytest.mark.parametrize(
    ("labels", "error", "match"),
    [
        ([0, 1, 3], ValueError, r"`labels` must be class indices in \[0, 2\] \(3 classes\); got 3 at index 2"),
        ([0, -1, 2], ValueError, r"`labels` must be class indices in \[0, 2\] \(3 classes\); got -1 at index 1"),
        ([0, 1.5, 2], TypeError, r"`labels` must be integer class indices \(if they are whole numbers"),
        (np.array([0.0, 1.0, 2.0]), TypeError, r"`labels` must be integer class indices .*dtype float64"),
        (
            [True, False, True],
            TypeError,
            r"`labels` must be integer class indices; got an array of shape \(3,\) and dtype bool",
        ),
        (["0", "1", "2"], TypeError, r"`labels` must be integer class indices; got .*dtype <U1"),
        ([0, 1], ValueError, r"`labels` must have one entry per row of `X` \(3\); got 2"),
        ([0, 1, 2, 0], ValueError, r"`labels` must have one entry per row of `X` \(3\); got 4"),
        (np.eye(3, dtype=int), ValueError, r"`labels` must be 1-D.*argmax.*got shape \(3, 3\)"),
        ([[0, 1], [2]], TypeError, r"`labels` must be a 1-D array of integer class indices; got a ragged"),
        (1, ValueError, r"`labels` must be 1-D, one class index per example; got shape \(\)"),
    ],
)
def test_bad_labels_are_named(labels, error, match) -> None:
    with pytest.raises(error, match=match):
        softmax_regression_loss_and_grad(np.zeros((2, 3)), np.zeros(3), np.ones((3, 2)), labels)


@pytest.mark.parametrize(
    ("W", "b", "X", "l2", "error", "match"),
    [
        (
            np.zeros((3, 3)),
            np.zeros(3),
            np.ones((3, 2)),
            0.0,
            ValueError,
            r"`W` must have one row per column of `X` \(2\)",
        ),
        (
            np.zeros((2, 3)),
            np.zeros(2),
            np.ones((3, 2)),
            0.0,
            ValueError,
            r"`b` must have one entry per column of `W`, shape \(3,\); got shape \(2,\)",
        ),
        (np.zeros((2, 3)), np.zeros((1, 3)), np.ones((3, 2)), 0.0, ValueError, r"`b` must be 1-dimensional"),
        (np.zeros((2, 3)), np.zeros(3), np.ones(2), 0.0, ValueError, r"`X` must be 2-dimensional"),
        (np.zeros((2, 3)), np.zeros(3), np.ones((3, 2)), -0.1, ValueError, r"`l2` must be >= 0; got -0.1"),
        (np.zeros((2, 3)), np.zeros(3), np.ones((3, 2)), np.inf, ValueError, r"`l2` must contain only finite"),
        (np.zeros((2, 3)), np.zeros(3), np.ones((3, 2)), "1", TypeError, r"`l2` must be an array of real numbers"),
    ],
)
def test_bad_softmax_regression_arguments_are_named(W, b, X, l2, error, match) -> None:
    with pytest.raises(error, match=match):
        softmax_regression_loss_and_grad(W, b, X, [0, 1, 2], l2=l2)


def test_softmax_regression_refuses_float16_scores_that_overflow() -> None:
    X = np.full((1, 2), 300.0, dtype=np.float16)  # 300 * 300 * 2 = 180000 > 65504
    with pytest.raises(ValueError, match=r"X @ W \+ b overflows float16 \(largest finite value 65504\)"):
        softmax_regression_loss_and_grad(
            np.full((2, 2), 300.0, dtype=np.float16), np.zeros(2, dtype=np.float16), X, [0]
        )


# --------------------------------------------------------------------------------------------
# mini-batches
# --------------------------------------------------------------------------------------------


@given(st.data(), dims(1, 4), dims(1, 4), dims(2, 4), dims(2, 5), st.integers(0, 2**32 - 1))
def test_minibatch_gradients_average_to_the_full_gradient(data, batches, batch_size, K, n, seed) -> None:
    B = batches * batch_size
    W, b, X = matrix(data, (n, K)), matrix(data, (K,)), matrix(data, (B, n))
    labels = np.array(data.draw(st.lists(st.integers(0, K - 1), min_size=B, max_size=B)))
    result = softmax_regression_minibatch_grads(W, b, X, labels, batch_size=batch_size, l2=0.3, seed=seed)
    assert isinstance(result, MinibatchGradients)
    assert result.dW.shape == (batches, n, K) and result.db.shape == (batches, K)
    assert np.array_equal(np.sort(result.batches.ravel()), np.arange(B))  # every row exactly once
    for k, rows in enumerate(result.batches):
        _, dW_k, db_k = softmax_regression_loss_and_grad(W, b, X[rows], labels[rows], l2=0.3)
        assert np.array_equal(result.dW[k], dW_k) and np.array_equal(result.db[k], db_k)
    _, dW, db = softmax_regression_loss_and_grad(W, b, X, labels, l2=0.3)
    # Equal in exact arithmetic. Each side sums B products |X_ri||R_rj| / B (the batch means
    # regrouped), plus l2 |W|: within gamma(B + 2) of that absolute sum each, so twice it apart.
    R = np.abs(softmax(X @ W + b) - one_hot(labels, K))
    scale = np.abs(X).T @ R / B + 0.3 * np.abs(W)
    assert np.all(np.abs(result.dW.mean(axis=0) - dW) <= 2 * gamma(B + batches + 2) * scale)
    assert np.all(np.abs(result.db.mean(axis=0) - db) <= 2 * gamma(B + batches + 2) * R.sum(axis=0) / B)


def test_a_batch_size_that_does_not_divide_the_rows_is_refused() -> None:
    with pytest.raises(
        ValueError, match=r"`batch_size` must divide the 6 rows of `X` \(one of \[1, 2, 3, 6\]\); got 4"
    ):
        softmax_regression_minibatch_grads(np.zeros((2, 3)), np.zeros(3), np.ones((6, 2)), [0, 1, 2] * 2, batch_size=4)
    with pytest.raises(TypeError, match=r"`batch_size` must be an integer; got float 2.0"):
        softmax_regression_minibatch_grads(
            np.zeros((2, 3)), np.zeros(3), np.ones((6, 2)), [0, 1, 2] * 2, batch_size=2.0
        )


# --------------------------------------------------------------------------------------------
# training softmax regression
# --------------------------------------------------------------------------------------------


def iris_split(seed: int = 0):
    X, labels, _, _ = load_iris()
    train, test = stratified_split(labels, test_fraction=0.2, seed=seed)
    Z = (X - X[train].mean(axis=0)) / X[train].std(axis=0)
    return Z[train], labels[train], Z[test], labels[test]


def smoothness_bound(X: np.ndarray, l2: float) -> float:
    """An upper bound on the largest Hessian eigenvalue of the softmax-regression loss anywhere.

    Per row, the Hessian with respect to the scores is diag(s) - s s^T, whose eigenvalues are at
    most 1/2; with a = (x, 1) the Hessian in (W, b) is the mean of (a a^T) kron (diag(s) - s s^T),
    so L <= lambda_max(A^T A / B) / 2 + l2.
    """
    A = np.c_[X, np.ones(len(X))]
    return float(np.linalg.eigvalsh(A.T @ A / len(A)).max()) / 2 + l2


def test_training_on_iris_decreases_the_loss_at_every_step_below_two_over_l() -> None:
    Xtr, ytr, _, _ = iris_split()
    L = smoothness_bound(Xtr, 1e-3)
    # For an L-smooth function a step of size eta < 2 / L decreases it by at least
    # eta (1 - L eta / 2) ||g||^2 > 0 (the descent lemma). 300 steps at 1 / L are far from
    # convergence (the gradient's norm is still 0.01 at the end; every decrease is above 7e-5),
    # so each decrease dwarfs rounding.
    fit = train_softmax_regression(Xtr, ytr, learning_rate=1 / L, steps=300, l2=1e-3)
    assert np.all(np.diff(fit.loss) < 0)
    assert fit.loss[0] == pytest.approx(math.log(3), rel=EPS)  # uniform probabilities at W = 0
    # Far above the bound the loss goes up somewhere (a planted sign error would too).
    assert np.any(np.diff(train_softmax_regression(Xtr, ytr, learning_rate=60.0, steps=50, l2=1e-3).loss) > 0)


@given(softmax_problems(max_side=4), st.floats(0.1, 1.9))
def test_training_never_increases_the_loss_below_two_over_l(problem, fraction) -> None:
    _, _, X, labels, l2 = problem
    K = int(labels.max()) + 1
    assume(K >= 2)
    eta = fraction / smoothness_bound(X, l2)
    fit = train_softmax_regression(X, labels, learning_rate=eta, steps=30, l2=l2)
    # Each step decreases the exact loss (descent lemma, eta < 2 / L). The computed loss carries
    # rounding of a few tens of eps relative to the scores (|Z| <= 4 * 3 * max|W|) and the loss:
    # an increase is allowed only within that.
    scores = max(float(np.abs(X).sum(axis=1).max() * np.abs(fit.W).max() + np.abs(fit.b).max()), 1.0)
    assert np.all(np.diff(fit.loss) <= 64 * EPS * (scores + fit.loss[:-1]))


def test_the_fit_records_what_it_claims() -> None:
    Xtr, ytr, Xte, yte = iris_split()
    fit = train_softmax_regression(Xtr, ytr, X_test=Xte, labels_test=yte, learning_rate=1.0, steps=40, l2=1e-3)
    assert isinstance(fit, SoftmaxRegressionFit)
    assert fit.loss.shape == fit.train_accuracy.shape == fit.test_loss.shape == fit.test_accuracy.shape == (41,)
    # The last entries are the loss and accuracy of the returned weights.
    assert fit.loss[-1] == softmax_regression_loss_and_grad(fit.W, fit.b, Xtr, ytr, l2=1e-3)[0]
    assert fit.test_loss[-1] == softmax_regression_loss_and_grad(fit.W, fit.b, Xte, yte, l2=1e-3)[0]
    assert fit.train_accuracy[-1] == np.mean(np.argmax(Xtr @ fit.W + fit.b, axis=1) == ytr)
    assert fit.test_accuracy[-1] == np.mean(np.argmax(Xte @ fit.W + fit.b, axis=1) == yte)
    assert fit.train_accuracy[0] == pytest.approx(1 / 3)  # all ties at W = 0 go to class 0
    # One more step from the recorded state is what 41 steps return: the history is of iterates.
    _, dW, db = softmax_regression_loss_and_grad(fit.W, fit.b, Xtr, ytr, l2=1e-3)
    longer = train_softmax_regression(Xtr, ytr, learning_rate=1.0, steps=41, l2=1e-3)
    assert np.array_equal(longer.W, fit.W - 1.0 * dW) and np.array_equal(longer.b, fit.b - 1.0 * db)
    assert longer.test_loss is None and longer.test_accuracy is None
    # Entry t is the t-th iterate: a shorter run ends where the longer one was at that step.
    shorter = train_softmax_regression(Xtr, ytr, X_test=Xte, labels_test=yte, learning_rate=1.0, steps=20, l2=1e-3)
    for field in ("loss", "train_accuracy", "test_loss", "test_accuracy"):
        assert np.array_equal(getattr(fit, field)[:21], getattr(shorter, field)), field
    # Deterministic.
    again = train_softmax_regression(Xtr, ytr, X_test=Xte, labels_test=yte, learning_rate=1.0, steps=40, l2=1e-3)
    assert np.array_equal(again.loss, fit.loss) and np.array_equal(again.W, fit.W)


@pytest.mark.parametrize("dtype", DTYPES)
def test_training_computes_in_float64_whatever_the_input_dtype(dtype) -> None:
    Xtr, ytr, _, _ = iris_split()
    X = Xtr.astype(dtype)
    fit = train_softmax_regression(X, ytr, learning_rate=1.0, steps=20)
    reference = train_softmax_regression(X.astype(np.float64), ytr, learning_rate=1.0, steps=20)
    assert fit.W.dtype == np.float64
    assert np.array_equal(fit.W, reference.W) and np.array_equal(fit.loss, reference.loss)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"learning_rate": 0.0, "steps": 1}, ValueError, r"`learning_rate` must be > 0; got 0.0"),
        ({"learning_rate": 1.0, "steps": -1}, ValueError, r"`steps` must be >= 0; got -1"),
        ({"learning_rate": 1.0, "steps": 2.0}, TypeError, r"`steps` must be an integer; got float 2.0"),
        ({"learning_rate": 1.0, "steps": True}, TypeError, r"`steps` must be an integer; got bool True"),
        ({"learning_rate": 1.0, "steps": 1, "l2": -1.0}, ValueError, r"`l2` must be >= 0"),
        (
            {"learning_rate": 1.0, "steps": 1, "num_classes": 2},
            ValueError,
            r"`num_classes` must exceed every label; got 2 with a label 2",
        ),
        (
            {"learning_rate": 1.0, "steps": 1, "X_test": np.ones((2, 2))},
            ValueError,
            r"`X_test` and `labels_test` go together",
        ),
        (
            {"learning_rate": 1.0, "steps": 1, "X_test": np.ones((2, 3)), "labels_test": [0, 1]},
            ValueError,
            r"`X_test` must have the 2 columns of `X`",
        ),
        (
            {"learning_rate": 1.0, "steps": 1, "X_test": np.ones((2, 2)), "labels_test": [0, 1.5]},
            TypeError,
            r"`labels_test` must be integer class indices",
        ),
        (
            {"learning_rate": 1.0, "steps": 1, "X_test": np.ones((2, 2)), "labels_test": [0]},
            ValueError,
            r"`labels_test` must have one entry per row of `X_test` \(2\); got 1",
        ),
    ],
)
def test_bad_training_arguments_are_named(kwargs, error, match) -> None:
    with pytest.raises(error, match=match):
        train_softmax_regression(np.ones((3, 2)), [0, 1, 2], **kwargs)


# --------------------------------------------------------------------------------------------
# gradient descent
# --------------------------------------------------------------------------------------------


@st.composite
def quadratics(draw):
    """(A, x0, lambda_max): A symmetric positive definite with condition number <= 100."""
    n = draw(dims(1, 5))
    data = draw(st.data())
    top = draw(st.floats(0.1, 100.0))
    eigenvalues = np.array([top] + [draw(st.floats(top / 100, top)) for _ in range(n - 1)])
    Q, _ = np.linalg.qr(matrix(data, (n, n)))  # Householder QR: Q is orthogonal even for a singular input
    A = (Q * eigenvalues) @ Q.T
    A = (A + A.T) / 2
    x0 = matrix(data, (n,), bound=10.0)
    # The start must have a part along the top eigenvector, or nothing can diverge.
    assume(abs(Q[:, 0] @ x0) >= 1e-2 * max(np.linalg.norm(x0), 1e-300))
    return A, x0, float(np.linalg.eigvalsh(A).max())


@given(quadratics())
def test_gradient_descent_on_a_quadratic_converges_iff_the_rate_is_below_two_over_lambda_max(problem) -> None:
    A, x0, top = problem
    start = np.linalg.norm(x0)
    # At 0.99 * 2 / lambda_max every error component shrinks by a factor |1 - eta lambda| <= 0.9802
    # per step (lambda >= lambda_max / 100): after 1000 steps by 2e-9 or more.
    below = gradient_descent(lambda x: A @ x, x0, learning_rate=0.99 * 2 / top, steps=1000)
    assert np.linalg.norm(below[-1]) <= 1e-6 * start
    # At 1.01 * 2 / lambda_max the top component grows by 1.0202 per step: 1.0202^1000 > 4e8, times
    # a start component >= 1e-2 of |x0| (the other components cannot cancel it: orthogonal).
    above = gradient_descent(lambda x: A @ x, x0, learning_rate=1.01 * 2 / top, steps=1000)
    assert np.linalg.norm(above[-1]) >= 1e6 * start


def test_gradient_descent_on_the_notes_function_near_its_minimum() -> None:
    minimum = np.array([2 / 3, 2 / 3])
    bound = 2 / np.linalg.eigvalsh(f_hessian(minimum)).max()  # 2 / (3 + sqrt 5) = 0.382
    assert bound == pytest.approx(2 / (3 + math.sqrt(5)), rel=4 * EPS)
    path = gradient_descent(f_gradient, [0.8, 0.6], learning_rate=0.9 * bound, steps=500)
    assert path.shape == (501, 2) and np.array_equal(path[0], [0.8, 0.6])
    assert np.allclose(path[-1], minimum, rtol=0, atol=1e-12)
    # Just above the bound the iterates do not settle: they keep a distance from the minimum.
    path = gradient_descent(f_gradient, [0.8, 0.6], learning_rate=1.1 * bound, steps=500)
    assert np.abs(path[-100:] - minimum).max(axis=1).min() > 0.1


def test_gradient_descent_follows_the_update_rule_exactly() -> None:
    path = gradient_descent(f_gradient, [1.0, 2.0], learning_rate=0.125, steps=3)
    x = np.array([1.0, 2.0])
    for t in range(3):
        x = x - 0.125 * f_gradient(x)
        assert np.array_equal(path[t + 1], x)


@pytest.mark.parametrize("dtype", DTYPES)
def test_gradient_descent_iterates_in_float64_whatever_the_start_dtype(dtype) -> None:
    x0 = np.array([0.75, 0.5], dtype=dtype)  # exact in every dtype
    path = gradient_descent(f_gradient, x0, learning_rate=0.25, steps=10)
    assert path.dtype == np.float64
    assert np.array_equal(path, gradient_descent(f_gradient, x0.astype(np.float64), learning_rate=0.25, steps=10))


def test_divergence_is_an_error_naming_the_learning_rate_not_a_nan() -> None:
    with pytest.raises(
        ValueError, match=r"gradient descent diverged: step 21 is no longer finite .*`learning_rate` = 0.5 is too large"
    ):
        gradient_descent(f_gradient, [0.8, 0.6], learning_rate=0.5, steps=50)
    with pytest.raises(ValueError, match=r"gradient descent diverged: step 1 is no longer finite"):
        gradient_descent(lambda x: np.array([np.inf]), [1.0], learning_rate=0.1, steps=2)


@pytest.mark.parametrize(
    ("grad", "x0", "kwargs", "error", "match"),
    [
        (f_gradient, [1.0, 1.0], {"learning_rate": -0.1, "steps": 3}, ValueError, r"`learning_rate` must be > 0"),
        (f_gradient, [1.0, 1.0], {"learning_rate": 0.1, "steps": 3.5}, TypeError, r"`steps` must be an integer"),
        (f_gradient, [1.0, np.nan], {"learning_rate": 0.1, "steps": 3}, ValueError, r"`x0` must contain only finite"),
        ("f", [1.0, 1.0], {"learning_rate": 0.1, "steps": 3}, TypeError, r"`grad` must be callable"),
        (
            lambda x: x[:1],
            [1.0, 1.0],
            {"learning_rate": 0.1, "steps": 3},
            ValueError,
            r"`grad` must return a real array shaped like `x0` \(2,\); got an array of shape \(1,\)",
        ),
        (
            lambda x: x > 0,
            [1.0, 1.0],
            {"learning_rate": 0.1, "steps": 3},
            ValueError,
            r"`grad` must return a real array .*dtype bool",
        ),
    ],
)
def test_bad_gradient_descent_arguments_are_named(grad, x0, kwargs, error, match) -> None:
    with pytest.raises(error, match=match):
        gradient_descent(grad, x0, **kwargs)


# --------------------------------------------------------------------------------------------
# the two-layer network
# --------------------------------------------------------------------------------------------

PARAMETERS = ("W1", "b1", "W2", "b2")


def check_parameter(params: TwoLayerParams, X, labels, name: str, l2: float = 0.0):
    """check_gradient of the loss with respect to one parameter, the others fixed."""

    def at(value):
        return two_layer_loss_and_grads(replace(params, **{name: value}), X, labels, l2=l2)

    return check_gradient(lambda v: at(v)[0], lambda v: getattr(at(v)[1], name), getattr(params, name))


@st.composite
def networks(draw):
    data = draw(st.data())
    B, n, h, K = draw(dims(1, 3)), draw(dims(1, 3)), draw(dims(1, 4)), draw(dims(2, 3))
    params = TwoLayerParams(
        W1=matrix(data, (n, h)), b1=matrix(data, (h,)), W2=matrix(data, (h, K)), b2=matrix(data, (K,))
    )
    X = matrix(data, (B, n))
    labels = np.array(draw(st.lists(st.integers(0, K - 1), min_size=B, max_size=B)))
    return params, X, labels, draw(st.sampled_from([0.0, 0.5]))


@given(networks())
def test_every_two_layer_gradient_passes_the_check_away_from_kinks(network) -> None:
    params, X, labels, l2 = network
    # The checker moves a coordinate of W1 by up to 2 steps (step <= 6.1e-6 * max(|w|, 1)), which
    # moves a pre-activation by up to 2 * step * max|X|; b1 likewise with |X| replaced by 1. Keep
    # every pre-activation farther than that from the kink at 0.
    Z1 = X @ params.W1 + params.b1
    reach = 2 * max(
        default_step(params.W1, "central").max() * max(np.abs(X).max(), 1.0), default_step(params.b1, "central").max()
    )
    assume(np.abs(Z1).min() > 2 * reach)
    for name in PARAMETERS:
        assert confirmed(check_parameter(params, X, labels, name, l2)), name


def kinked_network() -> tuple[TwoLayerParams, np.ndarray, np.ndarray]:
    """A network whose hidden unit 0 sits exactly at the kink for the one example: Z1[0, 0] = 0."""
    params = TwoLayerParams(
        W1=np.array([[1.0, 0.5, -0.25], [-1.0, 0.75, 1.0]]),
        b1=np.array([1.0, 0.0, 0.5]),  # Z1 = [1 - 2 + 1, 0.5 + 1.5, -0.25 + 2 + 0.5] = [0, 2, 2.25]
        W2=np.array([[2.0, -1.0], [0.5, 0.25], [-0.5, 1.0]]),
        b2=np.array([0.0, 0.1]),
    )
    return params, np.array([[1.0, 2.0]]), np.array([0])


def test_at_a_relu_kink_the_check_of_the_first_layer_is_inconclusive() -> None:
    params, X, labels = kinked_network()
    assert (X @ params.W1 + params.b1)[0, 0] == 0.0  # exactly at the kink
    for name in ("W1", "b1"):
        result = check_parameter(params, X, labels, name)
        assert result.reliable is False and result.passed is False, (name, result)
    for name in ("W2", "b2"):  # the kink is not crossed when only the second layer moves
        assert check_parameter(params, X, labels, name).passed, name


def test_at_the_kink_the_subgradient_is_the_flat_side_of_relu() -> None:
    # The documented choice: relu'(0) = 0, so dL/db1[0] is the derivative from below (where the
    # unit is off), which a backward difference measures; the forward difference sees the unit on.
    params, X, labels = kinked_network()
    _, grads = two_layer_loss_and_grads(params, X, labels)

    def loss_of_b10(t: float) -> float:
        return two_layer_loss_and_grads(replace(params, b1=params.b1 + np.array([t, 0.0, 0.0])), X, labels)[0]

    below = gradient(lambda t: loss_of_b10(t[0]), [0.0], method="backward", full_output=True)
    above = gradient(lambda t: loss_of_b10(t[0]), [0.0], method="forward", full_output=True)
    assert grads.b1[0] == 0.0  # the unit is off: nothing flows back through it
    assert abs(grads.b1[0] - below.value[0]) <= 10 * below.error[0]
    assert abs(above.value[0]) > 0.1  # the other side differs: the choice matters


def test_the_two_layer_network_is_softmax_regression_on_its_hidden_layer() -> None:
    rng = np.random.default_rng(5)
    params = two_layer_init(3, 6, 4, seed=rng)
    params = replace(params, b1=rng.normal(size=6), b2=rng.normal(size=4))
    X, labels = rng.normal(size=(7, 3)), rng.integers(0, 4, size=7)
    loss, grads = two_layer_loss_and_grads(params, X, labels, l2=0.2)
    H = np.maximum(X @ params.W1 + params.b1, 0)
    assert np.array_equal(two_layer_scores(params, X), H @ params.W2 + params.b2)
    top_loss, dW2, db2 = softmax_regression_loss_and_grad(params.W2, params.b2, H, labels, l2=0.2)
    # Same computation in a different order of the l2 terms: a few eps apart.
    assert loss == pytest.approx(top_loss + 0.1 * np.sum(params.W1**2), rel=4 * EPS)
    assert np.array_equal(grads.W2, dW2) and np.array_equal(grads.b2, db2)


@pytest.mark.parametrize("dtype", DTYPES)
def test_two_layer_gradients_in_every_float_dtype(dtype) -> None:
    rng = np.random.default_rng(2)
    a = exact_problem(dtype, rng, {"W1": (3, 4), "b1": (4,), "W2": (4, 3), "b2": (3,), "X": (5, 3)})
    labels = rng.integers(0, 3, size=5)
    params = TwoLayerParams(a["W1"], a["b1"], a["W2"], a["b2"])
    reference_params = TwoLayerParams(*(a[k].astype(np.float64) for k in PARAMETERS))
    loss, grads = two_layer_loss_and_grads(params, a["X"], labels, l2=0.5)
    ref_loss, ref = two_layer_loss_and_grads(reference_params, a["X"].astype(np.float64), labels, l2=0.5)
    # Multiples of 1/2 in [-1, 1]: Z1 (multiples of 1/4, |Z1| <= 4) and the scores (multiples of
    # 1/8, |Z2| <= 17) are exact in float16, so the ReLU masks agree. The longest backward chain,
    # to W1: the softmax (K + 2 roundings), / B (1), dH = dZ2 W2^T (K + 1), X^T dZ1 (B + 1) and
    # + l2 W1 (2): depth 2K + B + 7 = 18, applied to the chain on absolute values
    # (|dZ2| <= 1 / B, |dH| <= |dZ2| |W2|^T, ...).
    eps = float(np.finfo(dtype).eps)
    depth = 18
    X, H = (
        np.abs(a["X"].astype(np.float64)),
        np.maximum(a["X"].astype(np.float64) @ reference_params.W1 + reference_params.b1, 0),
    )
    upstream = np.ones((5, 3)) / 5  # |dL/dZ2| <= 1 / B
    dH = upstream @ np.abs(reference_params.W2).T
    magnitude = {
        "W2": H.T @ upstream + 0.5 * np.abs(reference_params.W2),
        "b2": upstream.sum(axis=0),
        "W1": X.T @ dH + 0.5 * np.abs(reference_params.W1),
        "b1": dH.sum(axis=0),
    }
    for name in PARAMETERS:
        value = getattr(grads, name)
        assert value.dtype == dtype, name
        assert np.all(np.abs(value - getattr(ref, name)) <= rounding_bound(eps, depth, magnitude[name])), name
    assert abs(loss - ref_loss) <= rounding_bound(eps, depth, 17 + abs(ref_loss))


@pytest.mark.parametrize(
    ("fields", "error", "match"),
    [
        ({"W1": np.ones(3)}, ValueError, r"`W1` must be 2-dimensional"),
        (
            {"b1": np.ones(2)},
            ValueError,
            r"`b1` must have one entry per column of `W1`, shape \(4,\); got shape \(2,\)",
        ),
        (
            {"W2": np.ones((3, 2))},
            ValueError,
            r"`W2` must have one row per column \(hidden unit\) of `W1` \(4\); got shape \(3, 2\)",
        ),
        ({"b2": np.ones(3)}, ValueError, r"`b2` must have one entry per column of `W2`, shape \(2,\)"),
        ({"b2": [np.nan, 0.0]}, ValueError, r"`b2` must contain only finite values"),
    ],
)
def test_bad_two_layer_parameters_are_named(fields, error, match) -> None:
    good = {"W1": np.ones((3, 4)), "b1": np.ones(4), "W2": np.ones((4, 2)), "b2": np.ones(2)}
    with pytest.raises(error, match=match):
        TwoLayerParams(**{**good, **fields})


def test_bad_two_layer_inputs_are_named() -> None:
    params = two_layer_init(3, 4, 2)
    with pytest.raises(ValueError, match=r"`W1` must have one row per column of `X` \(2\)"):
        two_layer_loss_and_grads(params, np.ones((5, 2)), [0] * 5)
    with pytest.raises(ValueError, match=r"`labels` must be class indices in \[0, 1\] \(2 classes\); got 2"):
        two_layer_loss_and_grads(params, np.ones((2, 3)), [0, 2])
    with pytest.raises(TypeError, match=r"`params` must be a TwoLayerParams; got dict"):
        two_layer_scores({"W1": params.W1}, np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"`l2` must be >= 0"):
        two_layer_loss_and_grads(params, np.ones((2, 3)), [0, 1], l2=-1.0)
    with pytest.raises(ValueError, match=r"`n_hidden` must be >= 1; got 0"):
        two_layer_init(3, 0, 2)
    big = TwoLayerParams(*(np.full(s, 200.0, dtype=np.float16) for s in [(2, 2), (2,), (2, 2), (2,)]))
    with pytest.raises(ValueError, match=r"overflows float16"):
        two_layer_loss_and_grads(big, np.full((1, 2), 200.0, dtype=np.float16), [0])


def test_he_initialisation_has_variance_two_over_fan_in() -> None:
    params = two_layer_init(400, 300, 50, seed=3)
    assert not params.b1.any() and not params.b2.any()
    # Sample variances of N = 120000 and 15000 normal draws: relative standard deviation
    # sqrt(2 / N) = 0.4% and 1.2%; five of those.
    assert params.W1.var() == pytest.approx(2 / 400, rel=5 * math.sqrt(2 / params.W1.size))
    assert params.W2.var() == pytest.approx(2 / 300, rel=5 * math.sqrt(2 / params.W2.size))
    assert np.array_equal(two_layer_init(4, 5, 3, seed=7).W1, two_layer_init(4, 5, 3, seed=7).W1)


# --------------------------------------------------------------------------------------------
# the Iris data
# --------------------------------------------------------------------------------------------

IRIS_SHA256 = "f13ffa8fdd56fd8e6c8d16d4081a3fbd3114bcd0aae4256c43205169cd9d1449"  # scikit-learn 1.9.1's file


def test_the_iris_file_is_the_one_whose_provenance_is_documented() -> None:
    raw = (resources.files("gradient_docs") / "data" / "iris.csv").read_bytes()
    assert hashlib.sha256(raw).hexdigest() == IRIS_SHA256
    readme = (resources.files("gradient_docs") / "data" / "README.md").read_text(encoding="utf-8")
    assert IRIS_SHA256 in readme and "CC BY 4.0" in readme and "BSD-3-Clause" in readme


def test_iris_has_150_rows_50_per_class_and_4_finite_positive_features() -> None:
    X, labels, class_names, feature_names = load_iris()
    assert X.shape == (150, 4) and X.dtype == np.float64
    assert labels.shape == (150,) and labels.dtype.kind == "i"
    assert np.bincount(labels).tolist() == [50, 50, 50]
    assert np.isfinite(X).all() and (X > 0).all()
    assert class_names == ("setosa", "versicolor", "virginica")
    assert feature_names == IRIS_FEATURES and len(feature_names) == 4
    # Fisher's values, not the UCI file's two misprints (rows 35 and 38, 1-based).
    assert X[34].tolist() == [4.9, 3.1, 1.5, 0.2] and X[37].tolist() == [4.9, 3.6, 1.4, 0.1]
    # The summary statistics scikit-learn and UCI print for this data.
    assert X.min(axis=0).tolist() == [4.3, 2.0, 1.0, 0.1]
    assert X.max(axis=0).tolist() == [7.9, 4.4, 6.9, 2.5]
    assert np.round(X.mean(axis=0), 2).tolist() == [5.84, 3.06, 3.76, 1.2]


def test_load_iris_returns_fresh_arrays() -> None:
    X, labels, _, _ = load_iris()
    X[:] = 0
    labels[:] = 7
    X2, labels2, _, _ = load_iris()
    assert X2[0].tolist() == [5.1, 3.5, 1.4, 0.2] and labels2[0] == 0


def test_the_data_ships_as_package_data() -> None:
    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["gradient_docs"]
    shipped = {
        p.name for pattern in patterns for p in Path(__file__).parents[1].joinpath("gradient_docs").glob(pattern)
    }
    assert {"iris.csv", "README.md", "LICENSE"} <= shipped


# --------------------------------------------------------------------------------------------
# stratified_split
# --------------------------------------------------------------------------------------------


@given(st.data(), st.lists(st.integers(2, 30), min_size=1, max_size=4), st.integers(0, 2**32 - 1))
def test_stratified_split_keeps_each_class_share(data, counts, seed) -> None:
    counts = np.array(counts)
    # Fractions that leave every class at least one example on each side: 0.51 / n_c < f < 1 - 0.51 / n_c.
    fraction = data.draw(st.floats(float((0.51 / counts).max()), float(1 - (0.51 / counts).max())))
    labels = np.array(data.draw(st.permutations(np.repeat(np.arange(counts.size), counts).tolist())))
    train, test = stratified_split(labels, test_fraction=fraction, seed=seed)
    assert np.array_equal(np.sort(np.concatenate([train, test])), np.arange(labels.size))
    assert np.array_equal(np.bincount(labels[test], minlength=counts.size), np.round(fraction * counts))
    assert np.all(np.diff(train) > 0) and np.all(np.diff(test) > 0)
    again = stratified_split(labels, test_fraction=fraction, seed=seed)
    assert np.array_equal(again[0], train) and np.array_equal(again[1], test)


def test_stratified_split_refuses_a_fraction_that_empties_a_side() -> None:
    with pytest.raises(ValueError, match=r"`test_fraction` = 0.1 puts 0 of the 3 examples of class 1 in the test set"):
        stratified_split([0] * 10 + [1] * 3, test_fraction=0.1)
    with pytest.raises(ValueError, match=r"`test_fraction` must be in \(0, 1\); got 1.0"):
        stratified_split([0, 1], test_fraction=1.0)
    with pytest.raises(TypeError, match=r"`labels` must be integer class indices"):
        stratified_split([0.0, 1.0], test_fraction=0.5)
