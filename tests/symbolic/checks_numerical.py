"""SymPy checks of the boxed results of the Numerical differentiation chapter."""

from __future__ import annotations

import sympy as sp

from symbolic.checks_gradients import F0, F2, F3, best_steps, eps
from symbolic.registry import box

F4 = sp.Symbol("F4", positive=True)  # |f''''|


@box(
    r"""\begin{aligned}
E^\ast_{\text{forward}} &= 2\sqrt{\epsilon\,|f|\,|f''|},\\
E^\ast_{\text{central}} &= \tfrac12\,|f'''|^{1/3}\,(3\epsilon|f|)^{2/3}
\end{aligned}"""
)
def best_errors():
    hp, forward, central, h_forward, h_central = best_steps()
    return [
        (forward.subs(hp, h_forward), 2 * sp.sqrt(eps * F0 * F2)),
        (
            central.subs(hp, h_central),
            sp.Rational(1, 2) * F3 ** sp.Rational(1, 3) * (3 * eps * F0) ** sp.Rational(2, 3),
        ),
    ]


@box(r"f'(x) = \frac{\operatorname{Im} f(x + ih)}{h} + \frac{h^2}{6} f'''(x) + O(h^4)")
def complex_step():
    # A real-analytic f: its Taylor series at x with real coefficients a_k = f^(k)(x).
    h = sp.Symbol("h", positive=True)
    a = sp.symbols("a0:8", real=True)
    taylor = sum(a[k] * (sp.I * h) ** k / sp.factorial(k) for k in range(8))
    quotient = sp.im(sp.expand(taylor)) / h
    error = sp.series(a[1] - quotient, h, 0, 4).removeO()  # f'(x) - Im f(x + ih)/h, to O(h^4)
    return [(error, h**2 / 6 * a[3])]


@box(r"T_{i,j} = T_{i,j-1} + \frac{T_{i,j-1} - T_{i-1,j-1}}{r^{2j} - 1}")
def richardson_recurrence():
    # The weight a that cancels the h^(2j) term of a T(h/r) + (1 - a) T(h), whose errors in that
    # term are c (h/r)^(2j) and c h^(2j): a / r^(2j) + (1 - a) = 0.
    r, j, a = sp.symbols("r j a", positive=True)
    newer, older = sp.symbols("T_new T_old")  # T_{i,j-1} and T_{i-1,j-1}
    (weight,) = sp.solve(sp.Eq(a * r ** (-2 * j) + (1 - a), 0), a)
    derived = weight * newer + (1 - weight) * older
    claimed = newer + (newer - older) / (r ** (2 * j) - 1)
    # And on a concrete series: two columns with r = 2 leave no h^2 or h^4 term.
    h, d, c1, c2, c3 = sp.symbols("h d c1 c2 c3")

    def central(step):
        return d + c1 * step**2 + c2 * step**4 + c3 * step**6

    def column(k, steps):
        if k == 0:
            return [central(s) for s in steps]
        previous = column(k - 1, steps)
        return [previous[i] + (previous[i] - previous[i - 1]) / (4**k - 1) for i in range(1, len(previous))]

    (t22,) = column(2, [h, h / 2, h / 4])
    remainder = sp.expand(t22 - d)
    return [(derived, claimed), (remainder.coeff(h, 2) + remainder.coeff(h, 4), sp.Integer(0))]


@box(
    r"h^\ast = \left(\frac{48\,\epsilon|f|}{|f''''|}\right)^{1/4}, \qquad "
    r"E^\ast = \frac{2}{\sqrt{3}}\sqrt{\epsilon\,|f|\,|f''''|}"
)
def hessian_step():
    # The second difference's truncation, from the Taylor series, plus its rounding: weights
    # 1, -2, 1 on values off by up to eps |f| each, divided by h^2.
    h = sp.Symbol("h", positive=True)
    x = sp.Symbol("x", real=True)
    f = sp.Function("f")
    second = (f(x + h) - 2 * f(x) + f(x - h)) / h**2
    leading = (sp.series(second, h, 0, 4).removeO().doit() - sp.Derivative(f(x), (x, 2))).subs(
        sp.Derivative(f(x), (x, 4)), F4
    )
    error = sp.Abs(leading) + 4 * eps * F0 / h**2
    (h_star,) = sp.solve(sp.diff(error, h), h)
    return [
        (h_star, (48 * eps * F0 / F4) ** sp.Rational(1, 4)),
        (error.subs(h, h_star), 2 / sp.sqrt(3) * sp.sqrt(eps * F0 * F4)),
    ]
