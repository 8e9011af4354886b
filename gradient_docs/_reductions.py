r"""Means that cannot overflow before the result does.

A sum of $n$ terms can exceed the float range although their mean fits (two squared residuals
of $10^{154}$ sum to $2 \cdot 10^{308}$, their mean is $10^{308}$), and a term can exceed it
although the mean fits ($(3 \cdot 10^{154})^2$ and 0). These helpers take each term as a product
$u_i v_i$ of finite factors, split each factor into a mantissa and a power of two (exactly,
`frexp`), multiply the mantissas, shift every product by the largest exponent, average, and
shift back. Shifting by powers of two is exact for normal numbers, so wherever the plain
computation does not overflow the result is bit for bit the plain mean. A mean that is itself
beyond the float range raises OverflowError, never returns infinity.
"""

from __future__ import annotations

import math

import numpy as np


def scale_back(value: float, exponent: int, what: str, cause: str) -> float:
    """`value * 2**exponent` as a float, or OverflowError naming `what` and its `cause`."""
    try:
        return math.ldexp(value, exponent)
    except OverflowError:
        raise OverflowError(f"{what} is beyond the float range (> {np.finfo(np.float64).max:.4g}): {cause}.") from None


def mean_of_products(u: np.ndarray, v: np.ndarray | float, *, what: str, cause: str, exponent: int = 0) -> float:
    """The mean of `u * v` (finite float64 factors), times `2**exponent`, without overflow."""
    mu, eu = np.frexp(u)
    mv, ev = np.frexp(v)
    e = eu + ev
    top = int(np.max(e))
    return scale_back(float(np.mean(np.ldexp(mu * mv, e - top))), top + exponent, what, cause)


def mean(terms: np.ndarray, *, what: str, cause: str, exponent: int = 0) -> float:
    """The mean of finite float64 `terms`, times `2**exponent`, without overflow in the sum."""
    return mean_of_products(terms, 1.0, what=what, cause=cause, exponent=exponent)
