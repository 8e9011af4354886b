"""Constants and helpers shared by the test modules."""

from decimal import Decimal, localcontext

import numpy as np
from hypothesis import strategies as st

#: Every float dtype a function must answer right in, or refuse clearly.
FLOAT_DTYPES = (np.float16, np.float32, np.float64)

#: float64's machine epsilon.
EPS = float(np.finfo(np.float64).eps)


def finite_floats(bound: float = 1e300, *, width: int = 64) -> st.SearchStrategy[float]:
    """Finite floats in [-bound, bound], of every magnitude (hypothesis spreads the exponents)."""
    return st.floats(-bound, bound, allow_nan=False, allow_infinity=False, width=width)


def reference_digits(z) -> int:
    """Decimal digits that keep 50 significant ones in softmax(z) and 1 - softmax(z).

    A probability as small as e^{-gap} next to 1 needs gap / ln 10 digits more.
    """
    gap = float(np.max(z)) - float(np.min(z))
    return 60 + int(min(gap, 1e4) / 2.3)


def decimal_softmax(z) -> list[Decimal]:
    """Softmax of the floats `z` in decimal arithmetic with enough digits: a reference, not a float computation."""
    with localcontext() as context:
        context.prec = reference_digits(z)
        values = [Decimal(float(v)) for v in z]
        peak = max(values)
        e = [(v - peak).exp() for v in values]
        total = sum(e)
        return [t / total for t in e]


# --- numerical differentiation (finite_diff, richardson, the engine, check) ---------------------

#: The notes' point, where f = x^3 - 2xy + y^2 has the gradient (10, -2) and f = 5.
P = np.array([2.0, 1.0])

#: f'(1.5) of exp(t)/sqrt(sin^3 t + cos^3 t), from the closed form evaluated with mpmath at 40 digits.
SQUEEZE_PRIME = 4.053427893898621


def squeeze(t):
    """exp(t) / sqrt(sin(t)^3 + cos(t)^3), a classic test of numerical differentiation."""
    return np.exp(t) / np.sqrt(np.sin(t) ** 3 + np.cos(t) ** 3)


def eps_of(dtype) -> float:
    """Machine epsilon of a float dtype."""
    return float(np.finfo(dtype).eps)
