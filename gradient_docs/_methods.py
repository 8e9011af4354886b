r"""The table of numerical-differentiation methods: everything a method is, in one entry.

A real-step method is a stencil: the points $x + o_j h e_k$ at which $f$ is evaluated (the
offsets $o_j$, multiples of the step) and the order $p$ of its truncation error. Everything else
follows from those two by formulas, so a method is declared in one line of `TABLE`:

- **weights** $w_j$, the exact rational solution of $\sum_j w_j o_j^m = [m = 1]$ for
  $m = 0, \dots, k - 1$, so that $\sum_j w_j f(x + o_j h) / h = f'(x) + O(h^p)$;
- **error model**: the leading Taylor remainder and the rounding of the values,
  $$
  E(h) = \tau \frac{h^p}{s^p} |f'| + \rho \frac{\sigma}{h},
  \qquad
  \tau = \frac{|\sum_j w_j o_j^{p+1}|}{(p+1)!},
  \quad
  \rho = \sum_j |w_j|,
  $$
  where $s$ is the scale on which $f$ varies and $\sigma$ the rounding noise of one value;
- **step rule**: minimising $E$ gives $h \propto \epsilon^{1/(p+1)} s$;
- **check stencil**: the offsets $o_j$, $2 o_j$ and $0$ together, which give the quotient at $h$
  and at $2h$, and the weights of the highest divided difference over those points, which
  vanishes on polynomials and so measures the noise of $f$;
- **one-sided variants**: the offsets $0, 1, \dots, p$ (or their negatives), of the same order,
  used where the stencil would leave the bounds of $x$.

The complex step and adaptive Richardson extrapolation are entries of the same table with their
own error model: `"rounding"` (nothing cancels) and `"table"` (estimated from the
extrapolation table, see `gradient_docs/richardson.py`).

Adding a method means adding a line to `TABLE` (and its row to the docs).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

__all__ = ["SECOND_DIFFERENCE", "TABLE", "Extrapolation", "Method", "get"]


@dataclass(frozen=True)
class Extrapolation:
    r"""Parameters of adaptive Richardson extrapolation (see `gradient_docs/richardson.py`).

    Attributes
    ----------
    start : float
        The first step, as a fraction of the scale $s$ of $x$.
    ratio : float
        Each step is the previous one divided by `ratio`. Not an integer, so that a periodic
        $f$ cannot alias: with ratio 2, $\sin(a x)$ sampled where $a h = 2\pi k$ looks exactly like
        a slow function at every later step.
    depth : int
        Columns of the extrapolation table beyond the central differences.
    levels : int
        Largest number of steps tried.
    growth : float
        The table's error has "grown" when a level's best entry is `growth` times worse than the
        best so far (Ridders' SAFE).
    settled : float
        A relative error estimate below this counts as converged when the table's error grows;
        above it the table restarts below the last step.
    """

    start: float = 0.5
    ratio: float = 1.6
    depth: int = 6
    levels: int = 60
    growth: float = 2.0
    settled: float = 1e-12


@dataclass(frozen=True)
class Method:
    r"""One numerical-differentiation method: its stencil, order, step rule and error model.

    Attributes
    ----------
    name : str
    offsets : tuple of int, or (1j,)
        Where $f$ is evaluated, as multiples of the step; `(1j,)` is the complex step.
    order : int
        $p$: the truncation error is $O(h^p)$ (checked against the offsets when declared).
    error_model : {"taylor", "rounding", "table"}
        How the error is estimated: Taylor remainder plus rounding, rounding alone (complex
        step), or the extrapolation table (Richardson).
    fixed_step : float or None
        A step factor that does not depend on the precision (the complex step's $10^{-20}$);
        None for the balanced step $\epsilon^{1/(p+1)}$.
    extrapolation : Extrapolation or None
        For adaptive Richardson extrapolation.
    summary : str
        One line for the method table of the docs: evaluations per coordinate and typical error.
    """

    name: str
    offsets: tuple
    order: int
    error_model: str = "taylor"
    fixed_step: float | None = None
    extrapolation: Extrapolation | None = None
    summary: str = ""
    derivative: int = 1

    def __post_init__(self) -> None:
        if self.error_model == "taylor" and _exactness(self.offsets, self.derivative) != self.order:
            found = _exactness(self.offsets, self.derivative)
            raise ValueError(f"method {self.name!r}: offsets {self.offsets} have order {found}, not {self.order}")

    @property
    def weights(self) -> np.ndarray:
        r"""$w_j$: the derivative is $\sum_j w_j f(x + o_j h) / h^d$."""
        return np.array([float(w) for w in _weights(self.offsets, self.derivative)])

    @property
    def truncation(self) -> float:
        r"""$\tau = |\sum_j w_j o_j^{p+d}| / (p+d)!$, the leading Taylor coefficient of the error."""
        if self.error_model == "rounding":
            return 1 / 6  # Im f(x + ih) / h = f' - h^2 f''' / 6 + ...
        power = self.order + self.derivative
        return float(abs(_moment(self.offsets, power, self.derivative)) / math.factorial(power))

    @property
    def rounding(self) -> float:
        r"""$\rho = \sum_j |w_j|$: the rounding noise of one value, divided by $h^d$, times this."""
        return float(sum(abs(w) for w in _weights(self.offsets, self.derivative)))

    def step_factor(self, dtype: np.dtype) -> float:
        r"""$c$ in $h = c\,s$: the balanced $\epsilon^{1/(p+d)}$, or the fixed or initial step."""
        if self.extrapolation is not None:
            return self.extrapolation.start
        if self.fixed_step is not None:
            return self.fixed_step
        return float(np.finfo(dtype).eps) ** (1 / (self.order + self.derivative))

    def predicted_error(self, h, scale, slope, noise) -> np.ndarray:
        r"""$E(h) = \tau (h/s)^p |f^{(d)}| + \rho \sigma / h^d$, assuming $f$ varies on the scale $s$."""
        truncation = self.truncation * (h / scale) ** self.order * np.abs(slope)
        return truncation + self.rounding * noise / h**self.derivative

    def one_sided(self, direction: int) -> Method:
        """The stencil of the same order on one side of x: offsets 0, 1, ... (or their negatives)."""
        offsets = tuple(direction * j for j in range(self.order + self.derivative))
        if direction < 0:
            offsets = offsets[::-1]
        return Method(f"{self.name}, one-sided", offsets, self.order, derivative=self.derivative)

    @property
    def check_offsets(self) -> tuple:
        """The check's stencil: the offsets, twice the offsets, and 0, sorted."""
        return tuple(sorted({0, *self.offsets, *(2 * o for o in self.offsets)}))

    @property
    def noise_weights(self) -> np.ndarray:
        """Unit-norm weights of the highest divided difference over `check_offsets`."""
        return _noise_weights(self.check_offsets)


@functools.cache
def _weights(offsets: tuple, derivative: int = 1) -> tuple[Fraction, ...]:
    """Exact weights of the d-th derivative: solve sum_j w_j o_j^m = d! [m = d], m < k (Vandermonde)."""
    if any(isinstance(o, complex) for o in offsets):
        return (Fraction(1),)  # Im f(x + i h) / h
    k = len(offsets)
    rows = [[Fraction(o) ** m for o in offsets] + [Fraction(math.factorial(m) * (m == derivative))] for m in range(k)]
    for col in range(k):  # Gauss-Jordan elimination in exact rationals
        pivot = next(r for r in range(col, k) if rows[r][col] != 0)
        rows[col], rows[pivot] = rows[pivot], rows[col]
        rows[col] = [v / rows[col][col] for v in rows[col]]
        for r in range(k):
            if r != col and rows[r][col] != 0:
                rows[r] = [a - rows[r][col] * b for a, b in zip(rows[r], rows[col])]
    return tuple(row[-1] for row in rows)


def _moment(offsets: tuple, power: int, derivative: int) -> Fraction:
    return sum((w * Fraction(o) ** power for w, o in zip(_weights(offsets, derivative), offsets)), Fraction(0))


def _exactness(offsets: tuple, derivative: int) -> int:
    """The order p of a real stencil: the first power whose moment does not vanish, minus d."""
    power = len(offsets)
    while _moment(offsets, power, derivative) == 0:
        power += 1
    return power - derivative


@functools.cache
def _noise_weights(points: tuple) -> np.ndarray:
    """Weights of the divided difference of order len(points) - 1, scaled to unit 2-norm.

    They sum f over the points to zero for every polynomial of lower degree, so applied to values
    of a smooth f they leave (almost) only its rounding noise, with the noise's own variance.
    """
    raw = [1 / math.prod(Fraction(t) - Fraction(u) for u in points if u != t) for t in points]
    weights = np.array([float(w) for w in raw])
    weights /= np.linalg.norm(weights)
    weights.flags.writeable = False
    return weights


#: Every method, by name. The first is the default.
TABLE: dict[str, Method] = {
    method.name: method
    for method in (
        Method("central", (-1, 1), 2, summary="2 evaluations, about 1e-10"),
        Method("forward", (0, 1), 1, summary="1 evaluation (plus f(x)), about 1e-8"),
        Method("backward", (-1, 0), 1, summary="1 evaluation (plus f(x)), about 1e-8"),
        Method("complex", (1j,), 2, "rounding", fixed_step=1e-20, summary="1 complex evaluation, about 1e-16"),
        Method(
            "richardson",
            (-1, 1),
            2,
            "table",
            extrapolation=Extrapolation(),
            summary="adaptive, 6 to 20 evaluations, about 1e-14, with an error estimate",
        ),
        Method("central4", (-2, -1, 1, 2), 4, summary="4 evaluations, about 1e-13"),
    )
}


#: The Hessian's diagonal: second differences (f(x + h) - 2 f(x) + f(x - h)) / h^2, order 2.
SECOND_DIFFERENCE = Method("second difference", (-1, 0, 1), 2, derivative=2)


def get(name: str) -> Method:
    """The table's entry for `name` (validated by the caller)."""
    return TABLE[name]
