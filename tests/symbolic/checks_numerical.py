"""SymPy checks of the boxed results of the Numerical differentiation chapter."""

from __future__ import annotations

import sympy as sp

from symbolic.checks_gradients import F0, F2, F3, best_steps, eps
from symbolic.registry import box


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
