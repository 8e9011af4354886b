"""SymPy checks of the boxed results of the learning chapter.

Sizes run over small cases (n = 1..4 entries, or a few batch, feature and class counts) with one
symbol per entry: each `derived` is computed from the definition (a derivative of the loss, the
update rule iterated, an average over every possible batch), never from the formula in the box.
"""

from __future__ import annotations

import itertools

import sympy as sp

from symbolic.registry import box

SIZES = (1, 2, 3, 4)
#: (B, d, m): batch, features, outputs. Includes a square case, where shapes alone cannot tell
#: X^T G from G^T X.
LAYER_SIZES = ((1, 1, 1), (2, 3, 2), (3, 2, 4), (2, 2, 2), (4, 1, 3))


def vector(name: str, n: int) -> sp.Matrix:
    return sp.Matrix([sp.Symbol(f"{name}_{i}", real=True) for i in range(1, n + 1)])


def matrix(name: str, rows: int, cols: int) -> sp.Matrix:
    return sp.Matrix(rows, cols, lambda i, j: sp.Symbol(f"{name}_{i + 1}{j + 1}", real=True))


def gradient(expression, variables: sp.Matrix) -> sp.Matrix:
    """The array of partial derivatives of `expression`, in the shape of `variables`."""
    return variables.applyfunc(lambda v: sp.diff(expression, v))


def column_sums(G: sp.Matrix) -> sp.Matrix:
    """The sums over the rows (the batch) of `G`, as a column: the sum of G_{i,:} over i."""
    return sp.Matrix([sum(G[i, j] for i in range(G.rows)) for j in range(G.cols)])


# --- Matrix calculus conventions --------------------------------------------------------------


@box(r"\nabla_x L = J^\top \nabla_y L")
def vector_chain_rule():
    """L = ell(g(x)) with g: R^n -> R^m and ell unknown functions: the gradient of the composition."""
    pairs = []
    for n, m in ((1, 1), (2, 3), (3, 2), (4, 2)):
        x, y = vector("x", n), vector("y", m)
        g = [sp.Function(f"g{i}")(*x) for i in range(m)]
        ell = sp.Function("ell")(*y)
        at_g = dict(zip(y, g, strict=True))
        derived = gradient(ell.subs(at_g), x).doit()
        jacobian = sp.Matrix([[sp.diff(gi, xj) for xj in x] for gi in g])
        claimed = jacobian.T * gradient(ell, y).subs(at_g)
        pairs.append((derived, claimed.doit()))
    return pairs


@box(r"\nabla_x \left(a^\top x\right) = a")
def linear_form():
    pairs = []
    for n in SIZES:
        a, x = vector("a", n), vector("x", n)
        pairs.append((gradient((a.T * x)[0], x), a))
    return pairs


@box(r"\nabla_x \left(x^\top A x\right) = \left(A + A^\top\right) x")
def quadratic_form():
    pairs = []
    for n in SIZES:
        A, x = matrix("A", n, n), vector("x", n)
        pairs.append((gradient((x.T * A * x)[0], x), (A + A.T) * x))
    return pairs


@box(r"\nabla_w \lVert Xw - y \rVert^2 = 2 X^\top (Xw - y)")
def least_squares():
    pairs = []
    for B, d in itertools.product(SIZES, (1, 2, 3)):
        X, w, y = matrix("X", B, d), vector("w", d), vector("y", B)
        r = X * w - y
        pairs.append((gradient((r.T * r)[0], w), 2 * X.T * (X * w - y)))
    return pairs


# --- Backpropagation through a linear layer -----------------------------------------------------


def upstream(Y: sp.Matrix):
    """A loss ell(Y), an unknown function of every entry of Y, and G = dL/dY as a function of Y."""
    entries = matrix("y", *Y.shape)
    ell = sp.Function("ell")(*entries)
    at_Y = dict(zip(entries, Y, strict=True))
    return ell.subs(at_Y), gradient(ell, entries).subs(at_Y)


@box(
    r"""\begin{aligned}
\frac{\partial L}{\partial W} &= X^\top G, \\
\frac{\partial L}{\partial b} &= \sum_{i=1}^{B} G_{i,:}, \\
\frac{\partial L}{\partial X} &= G W^\top
\end{aligned}"""
)
def linear_layer():
    pairs = []
    for B, d, m in LAYER_SIZES:
        X, W, b = matrix("X", B, d), matrix("W", d, m), vector("b", m)
        L, G = upstream(X * W + sp.ones(B, 1) * b.T)
        pairs += [
            (gradient(L, W).doit(), (X.T * G).doit()),
            (gradient(L, b).doit(), column_sums(G).doit()),
            (gradient(L, X).doit(), (G * W.T).doit()),
        ]
    return pairs


# --- Softmax regression -----------------------------------------------------------------------

lam = sp.Symbol("lambda", positive=True)


def softmax_rows(Z: sp.Matrix) -> sp.Matrix:
    return sp.Matrix(Z.rows, Z.cols, lambda i, k: sp.exp(Z[i, k]) / sum(sp.exp(Z[i, j]) for j in range(Z.cols)))


def one_hot(classes: list[int], K: int) -> sp.Matrix:
    return sp.Matrix(len(classes), K, lambda i, k: 1 if k == classes[i] else 0)


@box(
    r"""\begin{aligned}
\frac{\partial L}{\partial W} &= \frac{1}{B} X^\top (S - Y) + \lambda W, \\
\frac{\partial L}{\partial b} &= \frac{1}{B} \sum_{i=1}^{B} (S - Y)_{i,:}
\end{aligned}"""
)
def softmax_regression():
    """L = -(1/B) sum_i log S_{i c_i} + (lambda/2) ||W||_F^2 with S = softmax(XW + b), labels c_i = i mod K."""
    pairs = []
    for B, d, K in ((1, 1, 2), (2, 2, 3), (3, 2, 2), (2, 1, 4)):
        X, W, b = matrix("X", B, d), matrix("W", d, K), vector("b", K)
        S = softmax_rows(X * W + sp.ones(B, 1) * b.T)
        classes = [i % K for i in range(B)]
        Y = one_hot(classes, K)
        # log(e^{z_c} / sum) written out by SymPy as z_c - log(sum), which it differentiates quickly
        log_likelihood = sum(sp.expand_log(sp.log(S[i, c]), force=True) for i, c in enumerate(classes))
        L = -log_likelihood / B + lam / 2 * sum(w**2 for w in W)
        pairs += [
            (gradient(L, W), X.T * (S - Y) / B + lam * W),
            (gradient(L, b), column_sums(S - Y) / B),
        ]
    return pairs


# --- A two-layer network -------------------------------------------------------------------------

#: (B, d, m, K) and which hidden pre-activations are on (Z1 > 0), as a function of (i, j).
NETWORKS = (
    ((1, 1, 1, 2), lambda i, j: True),
    ((2, 2, 2, 2), lambda i, j: (i + j) % 2 == 0),
    ((1, 2, 3, 2), lambda i, j: j != 1),
    ((2, 1, 2, 3), lambda i, j: i == 0),
)


def cross_entropy_rows(Z: sp.Matrix, classes: list[int]):
    """The mean cross-entropy of softmax(Z) against `classes`, log(e^z_c / sum) expanded by SymPy."""
    S = softmax_rows(Z)
    return -sum(sp.expand_log(sp.log(S[i, c]), force=True) for i, c in enumerate(classes)) / Z.rows, S


@box(
    r"""\begin{aligned}
G_2 &= \frac{1}{B}(S - Y), \\
\frac{\partial L}{\partial W_2} &= H^\top G_2 + \lambda W_2, \\
\frac{\partial L}{\partial b_2} &= \sum_{i=1}^{B} (G_2)_{i,:}, \\
G_1 &= \left(G_2 W_2^\top\right) \odot \mathbf{1}[Z_1 > 0], \\
\frac{\partial L}{\partial W_1} &= X^\top G_1 + \lambda W_1, \\
\frac{\partial L}{\partial b_1} &= \sum_{i=1}^{B} (G_1)_{i,:}
\end{aligned}"""
)
def two_layer_network():
    """The network with relu = Max(z, 0), differentiated by SymPy, then read in one region of the
    kinks (each pre-activation on or off), where Max(z, 0) is z or 0 and its derivative 1 or 0."""
    pairs = []
    for (B, d, m, K), on in NETWORKS:
        X, W1, b1, W2, b2 = matrix("X", B, d), matrix("V", d, m), vector("c", m), matrix("W", m, K), vector("b", K)
        classes = [i % K for i in range(B)]
        Y = one_hot(classes, K)
        ones = sp.ones(B, 1)
        Z1 = X * W1 + ones * b1.T
        penalty = lam / 2 * (sum(w**2 for w in W1) + sum(w**2 for w in W2))
        cross_entropy, _ = cross_entropy_rows(Z1.applyfunc(lambda z: sp.Max(z, 0)) * W2 + ones * b2.T, classes)
        L = cross_entropy + penalty

        mask = sp.Matrix([[1 if on(i, j) else 0 for j in range(m)] for i in range(B)])
        region = {}
        for i, j in itertools.product(range(B), range(m)):
            region[sp.Max(Z1[i, j], 0)] = Z1[i, j] * mask[i, j]
            region[sp.Heaviside(Z1[i, j])] = mask[i, j]

        def in_region(expression, region=region):
            return expression.xreplace(region)

        # G2 = dL/dZ2 by its definition: the loss as a function of the scores Z2 themselves.
        Z2 = matrix("z", B, K)
        loss_of_scores, S_of_scores = cross_entropy_rows(Z2, classes)
        pairs.append((gradient(loss_of_scores, Z2), (S_of_scores - Y) / B))

        H = Z1.multiply_elementwise(mask)  # relu(Z1) in this region
        _, S = cross_entropy_rows(H * W2 + ones * b2.T, classes)
        G2 = (S - Y) / B
        G1 = (G2 * W2.T).multiply_elementwise(mask)
        pairs += [
            (in_region(gradient(L, W2)), H.T * G2 + lam * W2),
            (in_region(gradient(L, b2)), column_sums(G2)),
            (in_region(gradient(L, W1)), X.T * G1 + lam * W1),
            (in_region(gradient(L, b1)), column_sums(G1)),
        ]
    return pairs


# --- Gradient descent and the learning rate -----------------------------------------------------

eta = sp.Symbol("eta", positive=True)


def symmetric(name: str, n: int) -> sp.Matrix:
    return sp.Matrix(n, n, lambda i, j: sp.Symbol(f"{name}_{min(i, j) + 1}{max(i, j) + 1}", real=True))


@box(r"e_{t+1} = (I - \eta A)\, e_t")
def gradient_descent_error():
    """One step x - eta grad f(x) on f = f* + (1/2)(x - x*)^T A (x - x*), A symmetric."""
    pairs = []
    for n in SIZES:
        A, x, x_star = symmetric("A", n), vector("x", n), vector("s", n)
        e = x - x_star
        f = sp.Symbol("f_star") + (e.T * A * e)[0] / 2
        x_next = x - eta * gradient(f, x)
        pairs.append((x_next - x_star, (sp.eye(n) - eta * A) * e))
    return pairs


@box(r"0 < \eta < \frac{2}{\lambda_{\max}(A)}")
def learning_rate_bound():
    """The rates with |1 - eta lambda| < 1 along every eigenvector, for n = 1..4 eigenvalues.

    Each eigenvalue but the largest is written lambda_max u / (1 + u) with u > 0, which is every
    value in (0, lambda_max); the interval of each is solved by SymPy, then intersected.
    """
    lam_max, lam_i = sp.Symbol("lambda_max", positive=True), sp.Symbol("lambda_i", positive=True)
    rate = sp.Symbol("eta", real=True)
    one_eigenvalue = sp.solve_univariate_inequality(sp.Abs(1 - rate * lam_i) < 1, rate, relational=False)
    pairs = []
    for n in SIZES:
        eigenvalues = [lam_max * u / (1 + u) for u in sp.symbols(f"u1:{n}", positive=True)] + [lam_max]
        intervals = [one_eigenvalue.subs(lam_i, value) for value in eigenvalues]
        pairs.append((sp.Min(*(i.sup for i in intervals)), 2 / lam_max))
        pairs.append((sp.Max(*(i.inf for i in intervals)), sp.Integer(0)))
    return pairs


def batches(N: int, B: int):
    """Every subset of B of the N examples: a uniformly drawn batch is each with equal probability."""
    return list(itertools.combinations(range(N), B))


def per_example_gradients(N: int, dimension: int = 2) -> list[sp.Matrix]:
    return [vector(f"g{i}", dimension) for i in range(1, N + 1)]


def batch_gradient(g: list[sp.Matrix], batch: tuple[int, ...]) -> sp.Matrix:
    return sum((g[i] for i in batch), sp.zeros(g[0].rows, 1)) / len(batch)


@box(r"\mathbb{E}\left[g_{\mathcal{B}}\right] = \nabla L")
def minibatch_unbiased():
    """N examples in the training set, batches of B of them: the mean over every batch."""
    pairs = []
    for N in SIZES:
        g = per_example_gradients(N)
        full = sum(g, sp.zeros(2, 1)) / N  # the gradient of the mean loss
        for B in range(1, N + 1):
            subsets = batches(N, B)
            expected = sum((batch_gradient(g, S) for S in subsets), sp.zeros(2, 1)) / len(subsets)
            pairs.append((expected, full))
    return pairs


@box(r"\mathbb{E}\,\lVert g_{\mathcal{B}} - \nabla L \rVert^2 = \frac{N - B}{B\,(N - 1)}\,s^2")
def minibatch_variance():
    """The mean over every batch of B of the N examples of the squared error, s^2 the spread."""
    pairs = []
    for N in SIZES[1:]:  # N = 1 has a single batch and no spread to speak of (0/0)
        g = per_example_gradients(N)
        full = sum(g, sp.zeros(2, 1)) / N
        s2 = sum(((gi - full).T * (gi - full))[0] for gi in g) / N
        for B in range(1, N + 1):
            subsets = batches(N, B)
            squared = [((batch_gradient(g, S) - full).T * (batch_gradient(g, S) - full))[0] for S in subsets]
            pairs.append((sum(squared) / len(subsets), sp.Rational(N - B, B * (N - 1)) * s2))
    return pairs


# --- Designing losses for learning ----------------------------------------------------------------

z, y = sp.Symbol("z", real=True), sp.Symbol("y", real=True)


def sigma(t):
    return 1 / (1 + sp.exp(-t))


@box(
    r"""\begin{aligned}
\sigma'(z) &= \sigma(z)\bigl(1 - \sigma(z)\bigr), \\
\frac{\partial \ell_{\text{MSE}}}{\partial z} &= 2\bigl(\sigma(z) - y\bigr)\,\sigma'(z), \\
\frac{\partial \ell_{\text{BCE}}}{\partial z} &= \sigma(z) - y
\end{aligned}"""
)
def sigmoid_losses():
    derivative = sp.diff(sigma(z), z)
    mse_loss = (sigma(z) - y) ** 2
    bce_loss = -y * sp.log(sigma(z)) - (1 - y) * sp.log(1 - sigma(z))
    return [
        (derivative, sigma(z) * (1 - sigma(z))),
        (sp.diff(mse_loss, z), 2 * (sigma(z) - y) * derivative),
        (sp.diff(bce_loss, z), sigma(z) - y),
    ]


def loss_of(w: sp.Matrix, name: str = "L"):
    """An unknown differentiable function of the entries of w."""
    return sp.Function(name)(*w)


@box(r"w_{t+1} = (1 - \eta\lambda)\, w_t - \eta\, \nabla L(w_t)")
def weight_decay():
    """One gradient step on L(w) + (lambda/2)||w||^2."""
    pairs = []
    for n in SIZES:
        w = vector("w", n)
        penalised = loss_of(w) + lam / 2 * (w.T * w)[0]
        pairs.append((w - eta * gradient(penalised, w), (1 - eta * lam) * w - eta * gradient(loss_of(w), w)))
    return pairs


@box(
    r"""\begin{aligned}
\nabla L_{\text{sum}} &= B\, \nabla L_{\text{mean}}, \\
\nabla^2 L_{\text{sum}} &= B\, \nabla^2 L_{\text{mean}}
\end{aligned}"""
)
def mean_against_sum():
    """B unknown per-example losses of two parameters, summed or averaged."""
    pairs = []
    w = vector("w", 2)
    for B in SIZES:
        losses = [loss_of(w, f"ell{i}") for i in range(1, B + 1)]
        total, mean = sum(losses), sum(losses) / B
        pairs += [
            (gradient(total, w), B * gradient(mean, w)),
            (sp.hessian(total, list(w)), B * sp.hessian(mean, list(w))),
        ]
    return pairs


alpha = sp.Symbol("alpha", positive=True)


def smoothed(K: int, c: int = 0) -> sp.Matrix:
    """(1 - alpha) y + alpha / K for the one-hot y of class c."""
    return (1 - alpha) * one_hot([c], K).T + sp.ones(K, 1) * alpha / K


def cross_entropy_of(targets: sp.Matrix, logits: sp.Matrix):
    s = softmax_rows(logits.T).T
    return -sum(targets[k] * sp.expand_log(sp.log(s[k]), force=True) for k in range(logits.rows)), s


@box(r"\frac{\partial \operatorname{CE}(\tilde y, z)}{\partial z} = s - \tilde y")
def label_smoothing_gradient():
    pairs = []
    for K in (2, 3, 4):
        logits, targets = vector("z", K), smoothed(K)
        loss, s = cross_entropy_of(targets, logits)
        pairs.append((gradient(loss, logits), s - targets))
    return pairs


@box(r"z_c - z_j = \log \frac{1 - \alpha + \alpha / K}{\alpha / K}")
def label_smoothing_optimum():
    """The logits (t, 0, ..., 0) where the smoothed loss is stationary in t (the others are equal
    at the optimum by symmetry), solved by SymPy."""
    pairs = []
    t = sp.Symbol("t", real=True)
    for K in (2, 3, 4):
        loss, _ = cross_entropy_of(smoothed(K), sp.Matrix([t] + [0] * (K - 1)))
        (solution,) = sp.solve(sp.diff(loss, t), t)
        claimed = sp.log((1 - alpha + alpha / K) / (alpha / K))
        # Compared through exp, which is one to one: SymPy cannot always merge the logarithms of
        # the expanded difference without knowing that alpha < 1.
        pairs.append((sp.exp(solution), sp.exp(claimed)))
    return pairs


@box(
    r"""\begin{aligned}
\frac{\partial \ell}{\partial z_{j \ne c}} &= \mathbf{1}\bigl[z_j - z_c + \Delta > 0\bigr], \\
\frac{\partial \ell}{\partial z_c} &= -\sum_{j \ne c} \mathbf{1}\bigl[z_j - z_c + \Delta > 0\bigr]
\end{aligned}"""
)
def multiclass_hinge_gradient():
    """sum_{j != c} Max(0, z_j - z_c + Delta), differentiated by SymPy, read in every region (each
    margin violated or met), where the derivative of Max(0, m) is 1 or 0. Class c = 0."""
    margin = sp.Symbol("Delta", positive=True)
    pairs = []
    for K in (2, 3, 4):
        logits = vector("z", K)
        margins = [logits[j] - logits[0] + margin for j in range(1, K)]
        loss = sum(sp.Max(0, m) for m in margins)
        regions = sorted(itertools.product((1, 0), repeat=K - 1), key=lambda r: -sum(r))  # all violated first
        for violated in regions:
            derived = gradient(loss, logits).xreplace({sp.Heaviside(m): v for m, v in zip(margins, violated)})
            claimed = sp.Matrix([-sum(violated), *violated])
            pairs.append((derived, claimed))
    return pairs


# --- Reverse-mode automatic differentiation ------------------------------------------------------


@box(r"\bar v = \sum_{u \in \operatorname{uses}(v)} \bar u\, \frac{\partial u}{\partial v}")
def adjoint():
    """A node v used by k operations u_i = g_i(v), and f = ell(u_1, ..., u_k): df/dv by SymPy's
    chain rule, against the sum of the adjoints of the uses times the local derivatives."""
    v = sp.Symbol("v", real=True)
    pairs = []
    for k in SIZES:
        u = vector("u", k)
        uses = [sp.Function(f"g{i}")(v) for i in range(1, k + 1)]
        ell = sp.Function("ell")(*u)
        at_v = dict(zip(u, uses, strict=True))
        adjoints = [sp.diff(ell, ui).subs(at_v) for ui in u]  # u-bar_i = df/du_i
        claimed = sum(a * sp.diff(g, v) for a, g in zip(adjoints, uses, strict=True))
        pairs.append((sp.diff(ell.subs(at_v), v).doit(), claimed.doit()))
    return pairs
