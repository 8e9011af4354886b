r"""SymPy checks of the boxed results of the Loss functions chapter.

Each check builds the loss from its definition, with the reduction of the notation page (a mean
over the $n$ elements for regression and binary losses, over the $B$ rows for multi-class losses
and the KL divergence), differentiates it, and compares with the claim transcribed from the box.
Smooth losses keep $n$ symbolic (a sum over an index); piecewise ones use $n = 1..4$ and check
each region separately, placing a point inside the region with positive symbols so that SymPy
can decide every condition.
"""

from __future__ import annotations

import itertools

import sympy as sp
from sympy.core.relational import Relational

from symbolic.registry import box

SIZES = (1, 2, 3, 4)
n = sp.Symbol("n", integer=True, positive=True)
k = sp.Symbol("k", integer=True, positive=True)
i = sp.Symbol("i", integer=True)
B = sp.Symbol("B", integer=True, positive=True)
a = sp.Symbol("a", positive=True)  # a distance that places a point inside a region
delta = sp.Symbol("delta", positive=True)
y, y_hat, z = (sp.IndexedBase(name, real=True) for name in ("y", "yhat", "z"))


def symbols(name: str, count: int, **assumptions) -> tuple[sp.Symbol, ...]:
    return sp.symbols(f"{name}1:{count + 1}", **assumptions)


def resolve(expression):
    """Decide the conditions of Piecewise and Heaviside terms from the signs SymPy knows."""
    expression = expression.replace(
        lambda e: isinstance(e, Relational), lambda e: e.func(sp.factor(sp.together(e.lhs - e.rhs)), 0)
    )
    return expression.replace(
        lambda e: isinstance(e, sp.Heaviside), lambda e: sp.Heaviside(sp.factor(sp.together(e.args[0])))
    )


def mean_gradient(per_element) -> sp.Expr:
    r"""$\partial / \partial \hat y_k$ of $\frac1n \sum_{i=1}^n \ell(y_i, \hat y_i)$, with $1 \le k \le n$ symbolic."""
    loss = sp.Sum(per_element(y[i], y_hat[i]), (i, 1, n)) / n
    derived = sp.diff(loss, y_hat[k]).doit()
    m = sp.Symbol("m", integer=True, nonnegative=True)
    # The sum picks term k only if 1 <= k <= n: write n = k + m with m >= 0, then back.
    return sp.simplify(derived.subs(n, k + m)).subs(m, n - k)


def element_gradients(per_element, regions):
    """For n = 1..4 and every k: the derivative of the mean of `per_element` in each region.

    `regions` is [(place, claim)]: `place(target, symbol)` is a value of the prediction inside the
    region, `claim(target, prediction, n)` the box's formula there. Returns [(derived, claimed)].
    """
    pairs = []
    for size in SIZES:
        targets = symbols("y", size, real=True)
        predictions = symbols("p", size, real=True)
        loss = sum(per_element(t, p) for t, p in zip(targets, predictions)) / size
        for index in range(size):
            derived = sp.diff(loss, predictions[index])
            for place, claim in regions:
                point = place(targets[index], predictions[index])
                at = {predictions[index]: point}
                pairs.append((sp.cancel(resolve(derived.subs(at))), claim(targets[index], point, size)))
    return pairs


# --- Mean squared error ---------------------------------------------------------------------


@box(
    r"""\begin{aligned}
\frac{\partial \operatorname{MSE}}{\partial \hat y_k} &= \frac{2}{n} (\hat y_k - y_k),\\
\nabla_{\hat y} \operatorname{MSE} &= \frac{2}{n} (\hat y - y)
\end{aligned}"""
)
def mse_gradient():
    pairs = [(mean_gradient(lambda t, p: (t - p) ** 2), sp.Rational(2) / n * (y_hat[k] - y[k]))]
    for size in SIZES:
        targets, predictions = sp.Matrix(symbols("y", size, real=True)), sp.Matrix(symbols("p", size, real=True))
        loss = sum((t - p) ** 2 for t, p in zip(targets, predictions)) / size
        gradient = sp.Matrix([sp.diff(loss, p) for p in predictions])
        pairs.append((gradient, sp.Rational(2, size) * (predictions - targets)))
    return pairs


# --- Regression losses ----------------------------------------------------------------------


@box(r"\frac{\partial \operatorname{MAE}}{\partial \hat y_i} = \frac{\operatorname{sign}(\hat y_i - y_i)}{n}")
def mae_gradient():
    def claim(t, p, size):
        return sp.sign(p - t) / size

    return element_gradients(lambda t, p: sp.Abs(p - t), [(lambda t, p: t + a, claim), (lambda t, p: t - a, claim)])


def huber_element(t, p):
    r = p - t
    return sp.Piecewise((r**2 / 2, sp.Abs(r) <= delta), (delta * (sp.Abs(r) - delta / 2), True))


@box(
    r"\frac{\partial \operatorname{Huber}_\delta}{\partial \hat y_i} "
    r"= \frac{\operatorname{clip}(\hat y_i - y_i, -\delta, \delta)}{n}"
)
def huber_gradient():
    def claim(t, p, size):
        return sp.Min(sp.Max(p - t, -delta), delta) / size

    inside = delta * a / (1 + a)  # 0 < inside < delta
    regions = [
        (lambda t, p: t + inside, claim),
        (lambda t, p: t - inside, claim),
        (lambda t, p: t + delta + a, claim),
        (lambda t, p: t - delta - a, claim),
    ]
    return element_gradients(huber_element, regions)


@box(r"\frac{\partial \operatorname{LogCosh}}{\partial \hat y_i} = \frac{\tanh(\hat y_i - y_i)}{n}")
def log_cosh_gradient():
    derived = mean_gradient(lambda t, p: sp.log(sp.cosh(p - t)))
    return [(derived.rewrite(sp.exp), (sp.tanh(y_hat[k] - y[k]) / n).rewrite(sp.exp))]


# --- Binary classification ------------------------------------------------------------------


def bce_element(t, p):
    return -(t * sp.log(p) + (1 - t) * sp.log(1 - p))


@box(
    r"""\begin{aligned}
\frac{\partial \operatorname{BCE}}{\partial \hat y_i}
&= \frac1n\left(-\frac{y_i}{\hat y_i} + \frac{1 - y_i}{1 - \hat y_i}\right)\\
&= \frac{\hat y_i - y_i}{n\,\hat y_i(1 - \hat y_i)}
\end{aligned}"""
)
def bce_gradient():
    derived = mean_gradient(bce_element)
    yk, pk = y[k], y_hat[k]
    return [
        (derived, (-yk / pk + (1 - yk) / (1 - pk)) / n),
        (derived, (pk - yk) / (n * pk * (1 - pk))),
    ]


@box(
    r"""\begin{aligned}
&\frac{\partial \operatorname{BCE}_\kappa}{\partial \hat y_i} \\
&= \begin{cases}
\dfrac{\hat y_i - y_i}{n\,\hat y_i(1 - \hat y_i)} & \kappa < \hat y_i < 1 - \kappa,\\[1ex]
0 & \hat y_i \notin [\kappa, 1 - \kappa].
\end{cases}
\end{aligned}"""
)
def clipped_bce_gradient():
    # The loss on the clipped prediction clip(p, kappa, 1 - kappa), differentiated as a Piecewise.
    # In each region the derivative is the branch whose condition holds at a point of the region,
    # placed with positive symbols: S = 2u + v + w, kappa = u/S, and (u + v)/S lies inside.
    kappa = sp.Symbol("kappa", positive=True)
    u, v, w = sp.symbols("u v w", positive=True)
    total = 2 * u + v + w
    points = (  # (prediction in the region, inside?)
        ((u + v) / total, True),
        (u / total * v / (v + w), False),  # below kappa
        (1 - u / total * v / (v + w), False),  # above 1 - kappa
    )
    pairs = []
    for size in SIZES:
        targets = symbols("y", size, real=True)
        predictions = symbols("p", size, real=True)

        def clipped(p):
            return sp.Piecewise((kappa, p < kappa), (1 - kappa, p > 1 - kappa), (p, True))

        loss = sum(bce_element(t, clipped(p)) for t, p in zip(targets, predictions)) / size
        for t, p in zip(targets, predictions):
            derived = sp.piecewise_fold(sp.diff(loss, p))
            for point, inside in points:
                at = {kappa: u / total, p: point}
                branch = next(e for e, condition in derived.args if resolve(condition.subs(at)) == sp.true)
                claimed = (p - t) / (size * p * (1 - p)) if inside else sp.Integer(0)
                pairs.append((branch, claimed))
    return pairs


def sigmoid(t):
    return 1 / (1 + sp.exp(-t))


@box(r"\frac{\partial \operatorname{BCE}(y, \sigma(z))}{\partial z_i} = \frac{\sigma(z_i) - y_i}{n}")
def bce_logits_gradient():
    derived = mean_gradient(lambda t, logit: bce_element(t, sigmoid(logit)))
    return [(sp.simplify(derived), (sigmoid(y_hat[k]) - y[k]) / n)]


@box(
    r"""\frac{\partial \operatorname{hinge}}{\partial z_i}
= \begin{cases}
-y_i / n & y_i z_i < 1,\\
0 & y_i z_i > 1.
\end{cases}"""
)
def hinge_gradient():
    pairs = []
    for label in (1, -1):

        def per_element(t, logit, label=label):
            return sp.Max(0, 1 - label * logit)

        regions = [
            (lambda t, p, label=label: (1 - a) / label, lambda t, p, size, label=label: sp.Integer(-label) / size),
            (lambda t, p, label=label: (1 + a) / label, lambda t, p, size: sp.Integer(0)),
        ]
        pairs += element_gradients(per_element, regions)
    return pairs


# --- Softmax --------------------------------------------------------------------------------


def softmax(logits):
    total = sum(sp.exp(t) for t in logits)
    return sp.Matrix([sp.exp(t) / total for t in logits])


def softmax_jacobians():
    """(logits, s, the Jacobian differentiated from the definition) for K = 2..4."""
    for classes in (2, 3, 4):
        logits = symbols("z", classes, real=True)
        s = softmax(logits)
        yield logits, s, s.jacobian(sp.Matrix(logits))


@box(
    r"""\begin{aligned}
\frac{\partial s_i}{\partial z_j} &= s_i\,(\delta_{ij} - s_j),\\
J &= \operatorname{diag}(s) - s\,s^\top
\end{aligned}"""
)
def softmax_jacobian():
    pairs = []
    for logits, s, jacobian in softmax_jacobians():
        size = len(logits)
        entries = sp.Matrix([[s[r] * (sp.KroneckerDelta(r, c) - s[c]) for c in range(size)] for r in range(size)])
        pairs += [(jacobian, entries), (jacobian, sp.diag(*s) - s * s.T)]
    return pairs


@box(r"(Jv)_i = \sum_j s_i(\delta_{ij} - s_j)\,v_j = s_i\left(v_i - s^\top v\right)")
def softmax_jvp():
    pairs = []
    for logits, s, jacobian in softmax_jacobians():
        size = len(logits)
        v = sp.Matrix(symbols("v", size, real=True))
        summed = sp.Matrix(
            [sum(s[r] * (sp.KroneckerDelta(r, c) - s[c]) * v[c] for c in range(size)) for r in range(size)]
        )
        product = sp.Matrix([s[r] * (v[r] - (s.T * v)[0]) for r in range(size)])
        pairs += [(jacobian * v, summed), (jacobian * v, product)]
    return pairs


# --- Multi-class losses and the KL divergence -------------------------------------------------


def rows_of_distributions(rows: int, classes: int, name: str):
    """`rows` x `classes` symbols whose rows sum to 1 (the last entry of a row is 1 minus the others)."""
    free = [symbols(f"{name}{r}_", classes - 1, real=True) for r in range(rows)]
    return [list(f) + [1 - sum(f)] for f in free]


def in_exponentials(expression, logits):
    """`expression` with every e^{z_k} written as a positive symbol E_k: a rational function, which
    SymPy simplifies far faster than sums of exponentials (the substitution is one to one)."""
    names = {sp.exp(t): sp.Symbol(f"E_{t}", positive=True) for t in logits}
    return sp.cancel(sp.expand_log(expression, force=True).subs(names))


def batches():
    """(B, K, logits) for one row of K = 2..4 classes, and batches of B = 2 and 3 rows."""
    for rows, classes in ((1, 2), (1, 3), (1, 4), (2, 2), (2, 3), (3, 2)):
        yield rows, classes, [symbols(f"z{r}_", classes, real=True) for r in range(rows)]


@box(r"\frac{\partial \operatorname{CE}}{\partial z_{bk}} = \frac{s_{bk} - y_{bk}}{B}")
def cross_entropy_gradient():
    return residual_through_softmax("y", lambda t, s: -sum(ti * sp.log(si) for ti, si in zip(t, s)))


def residual_through_softmax(name: str, row_loss) -> list:
    """(derived, claimed) pairs for "the mean of row_loss(target, softmax(z)) over the rows has the
    gradient (s - target) / B with respect to the logits", over every batch shape of `batches`."""
    pairs = []
    for rows, classes, logits in batches():
        targets = rows_of_distributions(rows, classes, name)
        probabilities = [softmax(row) for row in logits]
        loss = sum(row_loss(t, s) for t, s in zip(targets, probabilities)) / rows
        every = [t for row in logits for t in row]
        for b, c in itertools.product(range(rows), range(classes)):
            derived = in_exponentials(sp.diff(loss, logits[b][c]), every)
            claimed = in_exponentials((probabilities[b][c] - targets[b][c]) / rows, every)
            pairs.append((derived, claimed))
    return pairs


def indicator(condition) -> sp.Expr:
    return sp.Piecewise((1, condition), (0, True))


@box(
    r"""\begin{aligned}
\frac{\partial \operatorname{hinge}_\Delta}{\partial z_{bj}}
&= \frac{\mathbb{1}[a_{bj} > 0]}{B}, \quad j \ne c_b,\\
\frac{\partial \operatorname{hinge}_\Delta}{\partial z_{bc_b}}
&= -\frac1B \sum_{k \ne c_b} \mathbb{1}[a_{bk} > 0]
\end{aligned}"""
)
def multiclass_hinge_gradient():
    margin = sp.Symbol("Delta", positive=True)
    pairs = []
    for rows, classes in itertools.product((1, 2), (2, 3, 4)):
        logits = [symbols(f"z{r}_", classes, real=True) for r in range(rows)]
        right = [r % classes for r in range(rows)]  # the class c_b of row b
        # the excesses a_bj = z_bj - z_bc + Delta; class j violates the margin where a_bj > 0
        excesses = [[logits[r][j] - logits[r][right[r]] + margin for j in range(classes)] for r in range(rows)]
        loss = sum(sp.Max(0, e) for r, row in enumerate(excesses) for j, e in enumerate(row) if j != right[r]) / rows
        others = [[j for j in range(classes) if j != right[r]] for r in range(rows)]
        # Every pattern of active (violating) and inactive excesses, the all-active pattern first.
        patterns = itertools.product(*(itertools.product((1, -1), repeat=len(o)) for o in others))
        for pattern in patterns:
            place = {}
            for r, signs in enumerate(pattern):
                for j, sign in zip(others[r], signs):
                    # z_bj = z_bc - margin + sign * t_bj: the excess a_bj is +t_bj or -t_bj
                    place[logits[r][j]] = logits[r][right[r]] - margin + sign * sp.Symbol(f"t{r}_{j}", positive=True)
            excess_at = [[resolve(e.subs(place)) for e in row] for row in excesses]
            for r, j in itertools.product(range(rows), range(classes)):
                derived = resolve(sp.diff(loss, logits[r][j]).subs(place))
                if j != right[r]:
                    claimed = indicator(excess_at[r][j] > 0) / rows
                else:
                    claimed = -sum(indicator(excess_at[r][q] > 0) for q in others[r]) / sp.Integer(rows)
                pairs.append((derived, claimed))
    return pairs


def kl_terms(p_row, q_row):
    """$\\sum_k p_k \\log(p_k / q_k)$ with $0 \\log(0 / q) = 0$: zero entries of p leave no term."""
    return sum(p * (sp.log(p) - sp.log(q)) for p, q in zip(p_row, q_row) if p != 0)


@box(
    r"\frac{\partial \operatorname{KL}}{\partial q_{bk}} = -\frac{p_{bk}}{B\,q_{bk}} "
    r"\quad (0 \text{ where } p_{bk} = 0)"
)
def kl_gradient():
    pairs = []
    for rows, classes in itertools.product((1, 2, 3), (2, 3)):
        p = [list(symbols(f"p{r}_", classes, positive=True)) for r in range(rows)]
        q = [symbols(f"q{r}_", classes, positive=True) for r in range(rows)]
        for zero in (None, (0, 0)):  # every p_bk > 0; or p_00 = 0
            if zero is not None:
                p[zero[0]][zero[1]] = sp.Integer(0)
            divergence = sum(kl_terms(pr, qr) for pr, qr in zip(p, q)) / rows
            for b, c in itertools.product(range(rows), range(classes)):
                derived = sp.diff(divergence, q[b][c])
                claimed = sp.Integer(0) if p[b][c] == 0 else -p[b][c] / (rows * q[b][c])
                pairs.append((derived, claimed))
    return pairs


@box(
    r"\frac{\partial \operatorname{KL}(p \,\Vert\, \operatorname{softmax}(z))}{\partial z_{bk}} "
    r"= \frac{s_{bk} - p_{bk}}{B}"
)
def kl_through_softmax():
    return residual_through_softmax("p", kl_terms)
