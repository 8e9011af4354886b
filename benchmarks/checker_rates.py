"""How often does check_gradient raise a false alarm, miss a wrong gradient, or give up?

    python benchmarks/checker_rates.py               # 500 points per loss and scale
    python benchmarks/checker_rates.py --points 50   # a quick look (not a measurement)

On the registry's sample points (`spec.sample(rng, shape, scale)`, at scales 1 and 30, away from
kinks), for every method and both directions:

- **false alarm**: a correct gradient (the package's, confirmed against a long-double reference)
  fails conclusively;
- **miss**: the gradient scaled by (1 + 1e-4) passes (where the gradient is not all zeros, so
  that scaling it plants an error);
- **inconclusive**: the check of the correct gradient says it cannot decide.

The package's losses take real input only, so `method="complex"` differentiates a twin of each
loss written for complex input (`COMPLEX_TWINS`), the same formula on each smooth piece.

A point whose analytic gradient differs from the long-double reference by more than 1e-10 of its
largest component is a *gradient* error, not a checker error: it is counted apart and left out of
the false alarms. A loss without a reference here is reported as such.

Prints the table and the targets (false alarms < 0.1% everywhere; misses < 0.1% for central and
complex; inconclusive < 1%), writes `benchmarks/results/checker_rates.json` (date, machine,
numbers: the gradient-checking page shows them) and exits 1 if a measurable target is missed.
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"  # before numpy is imported

import argparse
import json
from pathlib import Path

import machine
import numpy as np

from gradient_docs import LOSSES, check_gradient, logsumexp
from gradient_docs.finite_diff import METHODS

RESULTS = Path(__file__).resolve().parent / "results"
PLANTED = 1e-4
SCALES = (1.0, 30.0)
DIRECTIONS = ("all", "random")
GRADIENT_TOLERANCE = 1e-10  # of the largest component: beyond it the analytic gradient is wrong

L = np.longdouble


def _rows(a: np.ndarray) -> int:
    return a.size // a.shape[-1]


def _mean_of(values: np.ndarray) -> np.ndarray:
    return values / L(values.size)


def _huber(y, p, delta=1.0):
    r = p - y
    return _mean_of(np.clip(r, -L(delta), L(delta)))


def _cross_entropy(y, z):
    """(sum(y) e_k - y_k sum(e)) / sum(e), summed over j != k: no 1 - s_k cancels for confident z."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    others_y = y.sum(axis=-1, keepdims=True) - y
    others_e = np.stack([np.delete(e, k, axis=-1).sum(axis=-1) for k in range(e.shape[-1])], axis=-1)
    return (e * others_y - y * others_e) / e.sum(axis=-1, keepdims=True) / L(_rows(z))


def _multiclass_hinge_grad(y, z, margin=1.0):
    """+1 for each class over the margin, minus their count for the right class, per row."""
    active = ((z - np.sum(y * z, axis=-1, keepdims=True) + L(margin)) > 0) & (y == 0)
    return (active - y * active.sum(axis=-1, keepdims=True)) / L(_rows(z))


def _kl(p, q):
    return np.where(p > 0, -p / np.where(p > 0, q, 1), 0) / L(_rows(p))


#: Gradients with respect to the prediction, written from the math in long double (64-bit
#: mantissa on x86-64), independent of the package's code. Keyed by the registry's loss name.
REFERENCES = {
    "mse": lambda y, p: _mean_of(2 * (p - y)),
    "mae": lambda y, p: _mean_of(np.sign(p - y)),
    "huber": _huber,
    "log_cosh": lambda y, p: _mean_of(np.tanh(p - y)),
    "binary_cross_entropy": lambda y, p: _mean_of((p - y) / (p * (1 - p))),
    "binary_cross_entropy_with_logits": lambda y, z: _mean_of(1 / (1 + np.exp(-z)) - y),
    "hinge": lambda y, s: _mean_of(np.where(y * s < 1, -y, L(0))),
    "cross_entropy": _cross_entropy,
    "multiclass_hinge": _multiclass_hinge_grad,
    "kl_divergence": _kl,
}


def _piecewise(active, value):
    """`value` where `active` holds, else 0: an analytic function on each piece (for the complex step)."""
    return np.where(active, value, 0)


#: The losses written for complex input, for `method="complex"`: the package's losses take real
#: input only (a loss is no place for complex numbers), so the complex step checks the package's
#: analytic gradient against the derivative of this twin, the same formula on each smooth piece
#: (pieces are chosen by the real part, which the complex step does not move).
COMPLEX_TWINS = {
    "mse": lambda y, p: np.mean((p - y) ** 2),
    "mae": lambda y, p: np.mean(np.where((p - y).real >= 0, p - y, y - p)),
    "huber": lambda y, p, delta=1.0: np.mean(
        np.where(
            abs((p - y).real) <= delta, 0.5 * (p - y) ** 2, delta * (np.sign((p - y).real) * (p - y) - 0.5 * delta)
        )
    ),
    "log_cosh": lambda y, p: np.mean(np.log(np.cosh(p - y))),
    "binary_cross_entropy": lambda y, p: -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)),
    "binary_cross_entropy_with_logits": lambda y, z: np.mean(np.log1p(np.exp(z)) - y * z),
    "hinge": lambda y, z: np.mean(_piecewise((1 - y * z).real > 0, 1 - y * z)),
    "cross_entropy": lambda y, z: _cross_entropy(y, z),
    "multiclass_hinge": lambda y, z, margin=1.0: _multiclass_hinge(y, z, margin),
    "kl_divergence": lambda p, q: (
        np.sum(np.where(p > 0, p * (np.log(np.where(p > 0, p, 1)) - np.log(q)), 0)) / _rows(p)
    ),
}


def _cross_entropy(y, z):
    """sum_j y_j (lse(z) - z_j), written as sum_j y_j lse(z - z_j): no cancellation in the step.

    The plain lse(z) - z_j subtracts two imaginary parts of nearly equal size where s_j is close
    to 1, and its complex-step derivative keeps only the absolute accuracy eps, not the relative
    accuracy of the package's gradient (finding 4): a checker error the twin, not the checker,
    would cause. In lse(z - z_j) the j-th term is exactly 1 and the derivative in z_j comes out as
    minus the sum of the other probabilities, as the package computes it.
    """
    shifted = z[..., None, :] - z[..., :, None]  # [..., j, k] = z_k - z_j
    return np.sum(y * logsumexp(shifted)) / _rows(z)


def _multiclass_hinge(y, z, margin):
    right = np.sum(y * z, axis=-1, keepdims=True)
    excess = z - right + margin
    return np.sum(_piecewise((excess.real > 0) & (y == 0), excess)) / _rows(z)


def _shape(spec) -> tuple[int, ...]:
    return (2, 4) if spec.family in ("multi-class", "divergence") else (5,)


def _outcome(result) -> str:
    if not result.reliable:
        return "inconclusive"
    return "passed" if result.passed else "failed"


def measure(points: int) -> tuple[dict, dict]:
    """Counts per (method, direction) and per (loss, method, direction)."""
    totals: dict = {}
    per_loss: dict = {}
    for index, spec in enumerate(LOSSES):
        reference = REFERENCES.get(spec.name)
        for scale in SCALES:
            rng = np.random.default_rng([index, int(scale)])
            for _ in range(points):
                target, prediction = spec.sample(rng, _shape(spec), scale=scale)
                _check_point(spec, reference, target, prediction, totals, per_loss)
    return totals, per_loss


def _check_point(spec, reference, target, prediction, totals, per_loss) -> None:
    def f(p):
        return spec.loss(target, p, **spec.kwargs)

    def twin(p):
        return COMPLEX_TWINS[spec.name](target, p, **spec.kwargs)

    def grad(p):
        return spec.grad(target, p, **spec.kwargs)

    analytic = np.asarray(grad(prediction), dtype=np.float64)
    plantable = bool(np.any(analytic != 0))  # (1 + 1e-4) * 0 is no error to find
    if reference is None:
        verdict = "no reference"
    else:
        exact = np.asarray(reference(target.astype(L), prediction.astype(L), **spec.kwargs), dtype=np.float64)
        wrong = np.abs(analytic - exact).max() > GRADIENT_TOLERANCE * np.abs(exact).max()
        verdict = "gradient error" if wrong else "correct"
    for method in METHODS:
        for direction in DIRECTIONS:
            counts = totals.setdefault((method, direction), _empty())
            loss_counts = per_loss.setdefault((spec.name, method, direction), _empty())
            for tally in (counts, loss_counts):
                tally["points"] += 1
            loss = twin if method == "complex" and spec.name in COMPLEX_TWINS else f
            try:
                right = check_gradient(
                    loss, grad, prediction, method=method, direction=direction, seed=1, bounds=spec.bounds
                )
                planted = check_gradient(
                    loss,
                    lambda p: (1 + PLANTED) * grad(p),
                    prediction,
                    method=method,
                    direction=direction,
                    seed=1,
                    bounds=spec.bounds,
                )
            except TypeError as exc:  # the losses take real input only: the complex step cannot apply
                for tally in (counts, loss_counts):
                    tally["not applicable"] += 1
                    tally["reason"] = str(exc).split(";")[0]
                continue
            for tally in (counts, loss_counts):
                _tally(tally, verdict, _outcome(right), _outcome(planted) if plantable else None)


def _empty() -> dict:
    keys = ("points", "not applicable", "correct", "gradient errors", "no reference", "false alarms", "misses")
    return dict.fromkeys(keys + ("inconclusive", "checked plants"), 0)


def _tally(tally: dict, verdict: str, right: str, planted: str | None) -> None:
    if planted is not None:
        tally["checked plants"] += 1
        tally["misses"] += planted == "passed"
    if verdict == "correct":
        tally["correct"] += 1
        tally["false alarms"] += right == "failed"
        tally["inconclusive"] += right == "inconclusive"
    elif verdict == "gradient error":
        tally["gradient errors"] += 1
    else:
        tally["no reference"] += 1


def rates(counts: dict) -> dict:
    correct, plants = counts["correct"], counts["checked plants"]
    return {
        **counts,
        "false alarm rate": counts["false alarms"] / correct if correct else None,
        "miss rate": counts["misses"] / plants if plants else None,
        "inconclusive rate": counts["inconclusive"] / correct if correct else None,
    }


def targets(table: dict) -> list[tuple[str, bool | None, str]]:
    """Each target per (method, direction): met, missed, or None where it cannot be measured."""
    out = []
    for (method, direction), r in table.items():
        where = f"{method}, {direction}"
        if r["false alarm rate"] is None:
            reason = r.get("reason", "no point checked")
            out.append((f"{where}: false alarms < 0.1%", None, f"not measurable: {reason}"))
            continue
        out.append((f"{where}: false alarms < 0.1%", r["false alarm rate"] < 1e-3, _percent(r, "false alarm")))
        out.append((f"{where}: inconclusive < 1%", r["inconclusive rate"] < 1e-2, _percent(r, "inconclusive")))
        if method in ("central", "complex"):
            out.append((f"{where}: misses < 0.1%", r["miss rate"] < 1e-3, _percent(r, "miss")))
    return out


def _percent(r: dict, name: str) -> str:
    count = r["misses" if name == "miss" else ("false alarms" if name == "false alarm" else "inconclusive")]
    base = r["checked plants"] if name == "miss" else r["correct"]
    return f"{100 * r[f'{name} rate']:.3f}% ({count} of {base})"


def print_table(table: dict) -> None:
    print(
        f"{'method':12s} {'direction':9s} {'correct':>8s} {'false alarms':>14s} {'misses':>12s} {'inconclusive':>14s} {'gradient errors':>16s}"
    )
    for (method, direction), r in table.items():
        if r["false alarm rate"] is None:
            print(f"{method:12s} {direction:9s} {'n/a':>8s}  {r.get('reason', '')}")
            continue
        print(
            f"{method:12s} {direction:9s} {r['correct']:8d} {100 * r['false alarm rate']:13.3f}%"
            f" {100 * r['miss rate']:11.3f}% {100 * r['inconclusive rate']:13.3f}% {r['gradient errors']:16d}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=500, help="sample points per loss and scale")
    parser.add_argument("--no-write", action="store_true", help="print only; leave benchmarks/results/ alone")
    args = parser.parse_args()
    totals, per_loss = measure(args.points)
    table = {key: rates(counts) for key, counts in totals.items()}
    print_table(table)
    results = targets(table)
    print()
    for label, ok, detail in results:
        print(f"[{'n/a' if ok is None else 'met' if ok else 'NOT MET'}] {label}: {detail}")
    missed = [label for label, ok, _ in results if ok is False]
    print(
        f"\n{sum(ok is True for _, ok, _ in results)} met, {len(missed)} missed, {sum(ok is None for _, ok, _ in results)} not measurable"
    )
    if not args.no_write and args.points >= 500:
        record = {
            **machine.description(),
            "points per loss and scale": args.points,
            "scales": list(SCALES),
            "planted relative error": PLANTED,
            "rates": [{"method": m, "direction": d, **r} for (m, d), r in table.items()],
            "per loss": [
                {"loss": loss, "method": m, "direction": d, **rates(c)} for (loss, m, d), c in per_loss.items()
            ],
            "targets": [{"target": label, "met": ok, "measured": detail} for label, ok, detail in results],
        }
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "checker_rates.json").write_text(json.dumps(record, indent=1) + "\n")
        print(f"wrote {RESULTS / 'checker_rates.json'}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
