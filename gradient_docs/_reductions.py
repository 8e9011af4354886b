r"""Means that cannot overflow before the result does.

A sum of $n$ terms can exceed the float range although their mean fits (two squared residuals
of $10^{154}$ sum to $2 \cdot 10^{308}$, their mean is $10^{308}$). These helpers scale the
terms by a power of two so that the largest is below 1, average, and scale back. Scaling by a
power of two is exact for normal numbers, so wherever the plain sum does not overflow the result
is bit for bit the plain mean. A mean that is itself beyond the float range raises
OverflowError, never returns infinity.
"""

from __future__ import annotations

import math

import numpy as np


def binary_exponent(values: np.ndarray) -> int:
    """The exponent e with max|values| < 2**e (0 when every value is 0)."""
    peak = float(np.max(np.abs(values)))
    return int(np.frexp(peak)[1]) if peak > 0 else 0


def scale_back(value: float, exponent: int, what: str, cause: str) -> float:
    """`value * 2**exponent` as a float, or OverflowError naming `what` and its `cause`."""
    try:
        return math.ldexp(value, exponent)
    except OverflowError:
        raise OverflowError(f"{what} is beyond the float range (> {np.finfo(np.float64).max:.4g}): {cause}.") from None


def mean(terms: np.ndarray, *, what: str, cause: str, exponent: int = 0) -> float:
    """The mean of float64 `terms`, times `2**exponent`, without overflow in the sum."""
    e = binary_exponent(terms)
    return scale_back(float(np.mean(np.ldexp(terms, -e))), e + exponent, what, cause)


def mean_of_squares(values: np.ndarray, *, what: str, cause: str) -> float:
    """The mean of `values**2`, without overflow in the squares or their sum."""
    e = binary_exponent(values)
    scaled = np.ldexp(values, -e)
    return scale_back(float(np.mean(scaled * scaled)), 2 * e, what, cause)
