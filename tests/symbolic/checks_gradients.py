"""SymPy checks of the boxed results of the Gradients chapter."""

from __future__ import annotations

import sympy as sp

from symbolic.registry import box

x, y, h = sp.symbols("x y h", real=True)
eps, F0, F2, F3 = sp.symbols("epsilon F0 F2 F3", positive=True)  # epsilon, |f|, |f''|, |f'''|
f = sp.Function("f")


def notes_f():
    return x**3 - 2 * x * y + y**2


@box(r"\nabla f(2, 1) = \begin{pmatrix} 10 \\ -2 \end{pmatrix}")
def gradient_at_2_1():
    g = sp.Matrix([sp.diff(notes_f(), v) for v in (x, y)])
    return [(g.subs({x: 2, y: 1}), sp.Matrix([10, -2]))]


def taylor(expression, order: int):
    """The series of `expression` in h to `order` (exclusive), derivatives written plainly."""
    return sp.series(expression, h, 0, order).removeO().doit()


def d(k: int):
    return sp.Derivative(f(x), (x, k))


@box(
    r"""\begin{aligned}
\frac{f(x + h) - f(x)}{h} &= f'(x) + \frac{h}{2} f''(x) + O(h^2),\\
\frac{f(x + h) - f(x - h)}{2h} &= f'(x) + \frac{h^2}{6} f'''(x) + O(h^4)
\end{aligned}"""
)
def truncation_errors():
    forward = taylor((f(x + h) - f(x)) / h, 2)
    central = taylor((f(x + h) - f(x - h)) / (2 * h), 4)
    return [(forward, d(1) + h / 2 * d(2)), (central, d(1) + h**2 / 6 * d(3))]


def leading_error(quotient, order: int, magnitude):
    """|leading truncation term| of `quotient`, with the derivative's size as a positive symbol."""
    term = taylor(quotient, order + 1) - taylor(quotient, order)
    return sp.Abs(term.subs(magnitude)).subs(sp.Abs(h), h)


def total_errors():
    """Truncation from the Taylor series plus rounding: 2 eps |f| in the numerator, over its divisor."""
    forward = leading_error((f(x + h) - f(x)) / h, 1, {d(2): F2}) + 2 * eps * F0 / h
    central = leading_error((f(x + h) - f(x - h)) / (2 * h), 2, {d(3): F3}) + 2 * eps * F0 / (2 * h)
    return forward.subs(sp.Abs(F2), F2), central.subs(sp.Abs(F3), F3)


@box(
    r"""\begin{aligned}
E_{\text{forward}}(h) &\approx \frac{h}{2}|f''| + \frac{2\epsilon |f|}{h},\\
E_{\text{central}}(h) &\approx \frac{h^2}{6}|f'''| + \frac{\epsilon |f|}{h}
\end{aligned}"""
)
def error_model():
    forward, central = (e.subs(h, sp.Symbol("h", positive=True)) for e in total_errors())
    hp = sp.Symbol("h", positive=True)
    return [(forward, hp / 2 * F2 + 2 * eps * F0 / hp), (central, hp**2 / 6 * F3 + eps * F0 / hp)]


def best_steps():
    hp = sp.Symbol("h", positive=True)
    forward, central = (e.subs(h, hp) for e in total_errors())
    (h_forward,) = sp.solve(sp.diff(forward, hp), hp)
    (h_central,) = sp.solve(sp.diff(central, hp), hp)
    return hp, forward, central, h_forward, h_central


@box(
    r"h^\ast_{\text{forward}} = 2\sqrt{\frac{\epsilon|f|}{|f''|}}, \qquad "
    r"h^\ast_{\text{central}} = \left(\frac{3\epsilon|f|}{|f'''|}\right)^{1/3}"
)
def optimal_steps():
    _, _, _, h_forward, h_central = best_steps()
    return [(h_forward, 2 * sp.sqrt(eps * F0 / F2)), (h_central, (3 * eps * F0 / F3) ** sp.Rational(1, 3))]
