r"""Adaptive Richardson extrapolation (Ridders' method), with an error estimate.

A central difference $D(h) = \frac{f(x + h) - f(x - h)}{2h}$ has the error expansion
$D(h) = f'(x) + c_1 h^2 + c_2 h^4 + \dots$ (a one-sided difference $D(h) = \frac{f(x + h) - f(x)}{h}$
has every power of $h$). At steps $h_0 > h_1 > \dots$ with $h_i = h_0 / r^i$, Neville's scheme in
$t = h^2$ (or $t = h$ one-sided) removes one term per column:

$$
T_{i,0} = D(h_i),
\qquad
T_{i,j} = T_{i,j-1} + \frac{T_{i,j-1} - T_{i-1,j-1}}{t_{i-j} / t_i - 1},
$$

and every entry carries an error estimate (Ridders 1982; *Numerical Recipes* section 5.7,
`dfridr`): the distance to the two entries it was built from, plus a bound on its rounding,

$$
E_{i,j} = \max\left(|T_{i,j} - T_{i,j-1}|,\ |T_{i,j} - T_{i-1,j-1}|\right) + R_{i,j},
\qquad
R_{i,0} = \frac{\rho\,\sigma}{h_i},
\quad
R_{i,j} = \frac{q R_{i,j-1} + R_{i-1,j-1}}{q - 1},
$$

where $q = t_{i-j}/t_i$, $\sigma = \epsilon\,(\max|f| + \sum_k |x_k \partial_k f|)$ is the rounding
noise of one value of $f$ and $\rho = 1$ (central) or $2$ (one-sided). The plain central
differences compete too, with $E_{i,0} = |D(h_i) - D(h_{i-1})| + R_{i,0}$. The result is the entry
with the smallest $E$, and $E$ is its error estimate.

The steps start at `start` times the scale of $x$, $\max(|x_k|, 1)$ or `step_scale`, and shrink
by `ratio` per level. Per coordinate, the ladder stops when

- the best entry's table differences are within its rounding bound (converged: smaller steps
  can only add rounding), or
- the rounding bound of the next central difference alone exceeds the best error (the noise
  floor), or
- the table's error grows (Ridders' stop: a level's best entry is `growth` times worse than the
  best) and the best relative error is below `settled`.

If the error grows before that, the estimate has not converged (the steps are still larger than
the scale on which $f$ varies, as for $\tanh((x - 1)/10^{-6})$ seen from $h = 0.5$): the table
restarts below the last step, keeping the best entry so far. A step at which $f$ is not finite
is skipped, and the table restarts after it.

**Bounds.** Where $x_k \pm h$ would leave `[lower, upper]`, the first step is cut to half the
room on both sides (so that no step lands on a bound, where $f$ is often singular); where that
room is below the central difference's default step, the ladder uses one-sided differences
towards the larger room, with their own expansion (every power of $h$) and rounding constant.
No point outside the bounds is evaluated.

References
----------
- C. J. F. Ridders, "Accurate computation of F'(x) and F'(x) F''(x)", *Advances in Engineering
  Software* 4(2) (1982) 75-76.
- W. H. Press et al., *Numerical Recipes*, 3rd ed., section 5.7, routine `dfridr`.
- P. A. Brodtkorb, numdifftools, `step_generators.py` and `extrapolation.py` (geometric step
  sequences scaled to x; Richardson with an error estimate from the table).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gradient_docs._engine import Estimate, Function, Stencil, fitted
from gradient_docs._methods import Extrapolation

__all__ = ["extrapolate"]


@dataclass
class _Ladder:
    """The state of every coordinate's ladder: its table's last row and its best entry so far."""

    step: np.ndarray  # (n,) the next nominal step
    side: np.ndarray  # (n,) 0 central, +1 / -1 one-sided
    row: np.ndarray  # (n, depth + 1, m) the table's last row T[i - 1, :]
    bound: np.ndarray  # (n, depth + 1, m) its rounding bounds R[i - 1, :]
    t: np.ndarray  # (n, depth + 1) t = h^p of the last levels, newest first
    filled: np.ndarray  # (n,) levels in the current table (0 after a restart)
    value: np.ndarray  # (n, m) best entry
    table_error: np.ndarray  # (n, m) its table difference
    rounding: np.ndarray  # (n, m) its rounding bound
    seen: np.ndarray  # (n, m) the largest |f| met along the coordinate
    latest: np.ndarray  # (n, m) the smallest error estimate of the last level
    active: np.ndarray  # (n,) bool

    @property
    def error(self) -> np.ndarray:
        return self.table_error + self.rounding


def extrapolate(fn: Function, spec: Extrapolation, start: np.ndarray) -> Estimate:
    """Adaptive Richardson extrapolation along every coordinate (see the module docstring).

    Parameters
    ----------
    fn : Function
        f, with `finite=False` so that non-finite values come back to be skipped.
    spec : Extrapolation
        The ladder's settings: first step, ratio, table depth, number of levels and stopping
        thresholds.
    start : ndarray of shape (n,)
        The first step per coordinate, before the bounds cut it.
    """
    ladder = _start(fn, spec, start)
    slope = np.zeros((fn.flat.size, fn.outputs))
    for _ in range(spec.levels):
        k = np.flatnonzero(ladder.active)
        if k.size == 0:
            break
        quotient, h = _level(fn, ladder, k)
        with np.errstate(invalid="ignore", over="ignore"):  # levels with non-finite values are skipped
            slope[k] = np.where(np.isfinite(ladder.value[k]), ladder.value[k], quotient)
            _add_row(fn, spec, ladder, k, quotient, h, np.nan_to_num(slope))
        ladder.step[k] /= spec.ratio
        _stop(fn, spec, ladder, k)
    unresolved = ~np.isfinite(ladder.value).all(axis=1)
    if unresolved.any():
        k = int(np.flatnonzero(unresolved)[0])
        where = ", ".join(str(int(i)) for i in np.unravel_index(k, fn.x.shape))
        raise ValueError(f"`f` returned non-finite values at every step around x[{where}] = {fn.flat[k]}.")
    return Estimate(ladder.value, ladder.error, start, fn.nfev)


def _start(fn: Function, spec: Extrapolation, start: np.ndarray) -> _Ladder:
    n, m = fn.flat.size, fn.center().size
    step, side = start.astype(np.float64).copy(), np.zeros(n, dtype=int)
    if fn.lower is not None:
        x = fn.flat.astype(np.float64)
        above, below = fn.upper - x, x - fn.lower
        room = np.minimum(above, below)
        central = room >= float(np.finfo(fn.x.dtype).eps) ** (1 / 3) * np.maximum(np.abs(x), 1.0)
        side = np.where(central, 0, np.where(above >= below, 1, -1))
        step = np.minimum(step, np.where(central, room, np.maximum(above, below)) / 2)  # never on the bound
        for side_k, offsets in ((0, (-1, 1)), (1, (0, 1)), (-1, (-1, 0))):
            k = np.flatnonzero(side == side_k)
            step[k] = fitted(fn, k, step[k], offsets)
    empty = np.full((n, spec.depth + 1, m), np.nan)
    return _Ladder(
        step=step,
        side=side,
        row=empty,
        bound=empty.copy(),
        t=np.full((n, spec.depth + 1), np.nan),
        filled=np.zeros(n, dtype=int),
        value=np.full((n, m), np.nan),
        table_error=np.full((n, m), np.inf),
        rounding=np.zeros((n, m)),
        seen=np.broadcast_to(np.abs(fn.center()), (n, m)).copy(),
        latest=np.full((n, m), np.inf),
        active=np.ones(n, dtype=bool),
    )


def _level(fn: Function, ladder: _Ladder, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The difference quotients at the current step for coordinates k, and the steps really taken."""
    quotient, h = np.empty((k.size, fn.outputs)), np.empty(k.size)
    groups = [(side, offsets) for side, offsets in ((0, (-1, 1)), (1, (0, 1)), (-1, (-1, 0)))]
    stencils, members = [], []
    for side, offsets in groups:
        chosen = ladder.side[k] == side
        if chosen.any():
            stencils.append(Stencil(k[chosen], offsets, ladder.step[k[chosen]]))
            members.append(chosen)
    for chosen, sampled in zip(members, fn.sample(stencils)):
        offsets = sampled.stencil.offsets
        with np.errstate(invalid="ignore", over="ignore"):  # non-finite values are skipped below
            quotient[chosen] = sampled.quotient(offsets, (-0.5, 0.5) if offsets == (-1, 1) else (-1.0, 1.0))
        h[chosen] = (sampled.moved[:, 1] - sampled.moved[:, 0]) / (2 if offsets == (-1, 1) else 1)
        size = np.abs(sampled.values).max(axis=1)
        ladder.seen[k[chosen]] = np.fmax(ladder.seen[k[chosen]], np.where(np.isfinite(size), size, np.nan))
    return quotient, h


def _add_row(fn: Function, spec: Extrapolation, ladder: _Ladder, k, quotient, h, slope) -> None:
    """Extend the table of coordinates k by one level, and keep each coordinate's best entry."""
    finite = np.isfinite(quotient).all(axis=1)
    power = np.where(ladder.side[k] == 0, 2.0, 1.0)
    rho = np.where(ladder.side[k] == 0, 1.0, 2.0)
    sigma = _sigma(fn, ladder, k, slope)
    t_new = np.abs(h) ** power
    new, new_bound = np.full_like(ladder.row[k], np.nan), np.full_like(ladder.row[k], np.nan)
    new[:, 0], new_bound[:, 0] = quotient, rho[:, None] * sigma / np.abs(h)[:, None]
    error = np.full_like(new, np.inf)
    filled = np.where(finite, ladder.filled[k], 0)  # a non-finite level restarts the table
    error[:, 0] = np.where(filled[:, None] >= 1, np.abs(quotient - ladder.row[k, 0]), np.inf)
    for j in range(1, spec.depth + 1):
        q = (ladder.t[k, j - 1] / t_new)[:, None]
        usable = (filled >= j)[:, None]
        new[:, j] = np.where(usable, new[:, j - 1] + (new[:, j - 1] - ladder.row[k, j - 1]) / (q - 1), np.nan)
        new_bound[:, j] = (q * new_bound[:, j - 1] + ladder.bound[k, j - 1]) / (q - 1)
        difference = np.maximum(np.abs(new[:, j] - new[:, j - 1]), np.abs(new[:, j] - ladder.row[k, j - 1]))
        error[:, j] = np.where(usable, difference, np.inf)
    total = np.where(np.isfinite(error), error + new_bound, np.inf)
    pick = np.argmin(total, axis=1)[:, None]
    candidate = np.take_along_axis(total, pick, axis=1)[:, 0]
    better = finite[:, None] & (candidate < ladder.error[k])
    ladder.value[k] = np.where(better, np.take_along_axis(new, pick, axis=1)[:, 0], ladder.value[k])
    ladder.table_error[k] = np.where(better, np.take_along_axis(error, pick, axis=1)[:, 0], ladder.table_error[k])
    ladder.rounding[k] = np.where(better, np.take_along_axis(new_bound, pick, axis=1)[:, 0], ladder.rounding[k])
    ladder.row[k], ladder.bound[k] = new, new_bound
    ladder.t[k] = np.concatenate([t_new[:, None], ladder.t[k, :-1]], axis=1)
    ladder.filled[k] = np.where(finite, np.minimum(filled + 1, spec.depth), 0)
    ladder.latest[k] = np.where(finite[:, None], candidate, np.inf)


def _sigma(fn: Function, ladder: _Ladder, k: np.ndarray, slope: np.ndarray) -> np.ndarray:
    """Rounding noise of one value of f near coordinate k, per output: eps (|f| + sum |x_j df/dx_j|)."""
    seen = ladder.seen[k]
    sensitivity = np.abs(fn.eps * np.abs(fn.flat.astype(np.float64))[:, None] * slope).sum(axis=0)
    return fn.eps * seen + sensitivity[None]


def _stop(fn: Function, spec: Extrapolation, ladder: _Ladder, k: np.ndarray) -> None:
    """Retire converged coordinates; restart the table of those whose error grew unconverged."""
    best = ladder.error[k]
    converged = (ladder.filled[k] >= 3) & (ladder.table_error[k] <= ladder.rounding[k]).all(axis=1)
    rho = np.where(ladder.side[k] == 0, 1.0, 2.0)[:, None]
    next_rounding = rho * fn.eps * np.abs(fn.center())[None] / ladder.step[k, None]
    floor = (next_rounding > best).all(axis=1)
    grew = (ladder.latest[k] > spec.growth * best).all(axis=1) & (ladder.filled[k] >= 2)
    settled = (best <= spec.settled * np.abs(ladder.value[k])).all(axis=1)
    x = fn.flat[k]
    too_small = (x + ladder.step[k]).astype(fn.x.dtype) == x
    done = converged | floor | (grew & settled) | too_small
    ladder.active[k] = ~done
    restart = grew & ~settled & ~done
    ladder.filled[k] = np.where(restart, 0, ladder.filled[k])
