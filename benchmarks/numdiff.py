"""Accuracy, cost and speed of numerical gradients: gradient_docs against its peers, in one run.

    python benchmarks/numdiff.py              # 15 interleaved timing rounds, the targets, results files
    python benchmarks/numdiff.py --rounds 25  # more rounds

For every (method, problem): the relative error of the gradient against a 40-digit reference
(2-norm, ||g - g_ref|| / ||g_ref||), the number of points at which f was evaluated, and the
median time of one gradient over interleaved rounds (each round runs every method once on each
problem, in random order), with its ratio to numdifftools' time on the same problem in the same
run. BLAS threads are pinned to 1 before numpy is imported. Then every target with the measured
value; the exit status is 1 if any is missed.

Writes `benchmarks/results/numdiff.md` (the tables, dated, with the machine: the benchmark page
includes it) and `benchmarks/results/numdiff.json` (the same numbers, for a chart).

Peers (the `bench` extra): scipy.optimize.approx_fprime, scipy.differentiate.jacobian and
numdifftools.Gradient, each with its defaults.
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_variable] = "1"  # before numpy is imported

import argparse
import json
import random
import statistics
import time
from pathlib import Path

import machine
import numpy as np
import problems as P

import gradient_docs as gd

RESULTS = Path(__file__).resolve().parent / "results"
PEER = "numdifftools Gradient"


class Counted:
    """Wraps f and counts the points it is evaluated at (a batch of m points counts m)."""

    def __init__(self, f, batch_axis: str | None = None):
        self.f, self.batch_axis, self.points = f, batch_axis, 0

    def __call__(self, x):
        x = np.asarray(x)
        if self.batch_axis == "first":  # gradient_docs vectorized: (m, n)
            self.points += x.shape[0]
            return self.f(x)
        if self.batch_axis == "scipy":  # scipy.differentiate: (n, ...)
            moved = np.moveaxis(x, 0, -1)
            self.points += int(np.prod(moved.shape[:-1]))
            return self.f(moved)
        self.points += 1
        return self.f(x)


def ours(method: str, vectorized: bool = False):
    def run(problem: P.Problem, f, full_output=False):
        return gd.gradient(
            f, problem.x, method=method, step_scale=problem.step_scale, vectorized=vectorized, full_output=full_output
        )

    return run


def approx_fprime(problem: P.Problem, f, full_output=False):
    from scipy.optimize import approx_fprime as scipy_approx_fprime

    return scipy_approx_fprime(problem.x, f)


def scipy_jacobian(problem: P.Problem, f, full_output=False):
    from scipy.differentiate import jacobian

    return jacobian(f, problem.x).df


def numdifftools_gradient(problem: P.Problem, f, full_output=False):
    import numdifftools as nd

    return nd.Gradient(f)(problem.x)


METHODS = {
    "forward": (ours("forward"), None),
    "central": (ours("central"), None),
    "complex": (ours("complex"), None),
    "richardson": (ours("richardson"), None),
    "richardson, vectorized": (ours("richardson", vectorized=True), "first"),
    "scipy approx_fprime": (approx_fprime, None),
    "scipy differentiate.jacobian": (scipy_jacobian, "scipy"),
    PEER: (numdifftools_gradient, None),
}


def relative_error(g: np.ndarray, reference: np.ndarray) -> float:
    return float(np.linalg.norm(np.asarray(g, dtype=float) - reference) / np.linalg.norm(reference))


def accuracy(name: str, problem: P.Problem) -> dict:
    """Error, evaluations and (for gradient_docs) how often the error estimate bounds the error."""
    run, batch_axis = METHODS[name]
    counted = Counted(problem.f, batch_axis)
    ours_ = name in ("forward", "central", "complex", "richardson", "richardson, vectorized")
    result = run(problem, counted, full_output=True) if ours_ else run(problem, counted)
    g = result.value if ours_ else result
    row = {"method": name, "problem": problem.name, "n": problem.x.size, "nfev": counted.points}
    row["error"] = relative_error(g, problem.reference)
    if ours_:
        true = np.abs(np.asarray(g) - problem.reference)
        row["bounded"], row["components"] = int(np.sum(true <= result.error)), int(true.size)
    return row


def timer(name: str, problem: P.Problem):
    """A callable running one gradient, repeated enough times to last >= 2 ms; returns seconds per call."""
    run, batch_axis = METHODS[name]

    def once():
        f = Counted(problem.f, "scipy") if batch_axis == "scipy" else problem.f
        run(problem, f)

    start = time.perf_counter()
    once()
    number = max(1, int(0.002 / max(time.perf_counter() - start, 1e-9)))

    def sample() -> float:
        start = time.perf_counter()
        for _ in range(number):
            once()
        return (time.perf_counter() - start) / number

    return sample


def interleaved_times(suite: list[P.Problem], rounds: int, seed: int = 0) -> dict[tuple[str, str], float]:
    """Median seconds per gradient over `rounds`; each round runs every method once per problem, shuffled."""
    timers = {(m, p.name): timer(m, p) for p in suite for m in METHODS}
    samples: dict[tuple[str, str], list[float]] = {key: [] for key in timers}
    order = random.Random(seed)
    for _ in range(rounds):
        for problem in suite:
            names = list(METHODS)
            order.shuffle(names)
            for name in names:
                samples[name, problem.name].append(timers[name, problem.name]())
    return {key: statistics.median(values) for key, values in samples.items()}


def vectorized_rows(rounds: int) -> list[dict]:
    """Central differences on Rosenbrock, one point at a time against batches, interleaved."""
    rows = []
    for n in (10, 100, 1000):
        problem = P.rosenbrock_problem(n)
        runs = {
            "loop": lambda problem=problem: gd.gradient(problem.f, problem.x),
            "vectorized": lambda problem=problem: gd.gradient(problem.f, problem.x, vectorized=True),
        }
        samples = {key: [] for key in runs}
        for round_ in range(rounds):
            for key in sorted(runs, reverse=round_ % 2 == 1):
                start = time.perf_counter()
                runs[key]()
                samples[key].append(time.perf_counter() - start)
        loop, batch = (statistics.median(samples[key]) for key in ("loop", "vectorized"))
        error = relative_error(runs["vectorized"](), problem.reference)
        rows.append({"n": n, "loop": loop, "vectorized": batch, "speed-up": loop / batch, "error": error})
    return rows


def targets(rows: list[dict]) -> list[tuple[str, bool, str]]:
    """Every target, met or not, with the measured value."""
    by: dict[str, list[dict]] = {}
    for r in rows:
        by.setdefault(r["method"], []).append(r)
    peer = {r["problem"]: r for r in by[PEER]}
    out = []

    def errors(method, well_scaled_only=False):
        return [r["error"] for r in by[method] if not well_scaled_only or r["well_scaled"]]

    fwd, cen, cpx = errors("forward"), errors("central", True), errors("complex")
    out.append(
        ("forward: median relative error <= 5e-8", statistics.median(fwd) <= 5e-8, f"{statistics.median(fwd):.1e}")
    )
    out.append(("forward: n + 1 evaluations", all(r["nfev"] == r["n"] + 1 for r in by["forward"]), ""))
    out.append(
        ("central: median <= 1e-10 (well-scaled)", statistics.median(cen) <= 1e-10, f"{statistics.median(cen):.1e}")
    )
    out.append(("central: worst <= 2e-9 (well-scaled)", max(cen) <= 2e-9, f"{max(cen):.1e}"))
    out.append(("central: exactly 2n evaluations", all(r["nfev"] == 2 * r["n"] for r in by["central"]), ""))
    out.append(("complex: <= 3.2e-16 on every problem", max(cpx) <= 3.2e-16, f"worst {max(cpx):.1e}"))
    out.append(("complex: n evaluations", all(r["nfev"] == r["n"] for r in by["complex"]), ""))
    out.extend(richardson_targets(by["richardson"], peer))
    return out


def richardson_targets(ric: list[dict], peer: dict[str, dict]) -> list[tuple[str, bool, str]]:
    """The targets of issue 9 for adaptive Richardson, against numdifftools' default Gradient."""
    errors = [r["error"] for r in ric]
    ratios = {r["problem"]: r["error"] / max(peer[r["problem"]]["error"], 1e-300) for r in ric}
    better = [p for p, ratio in ratios.items() if ratio < 1]
    worst_ratio = max(ratios.values())
    evaluations = sum(r["nfev"] for r in ric) / sum(p["nfev"] for p in peer.values())
    bounded = sum(r["bounded"] for r in ric) / sum(r["components"] for r in ric)
    narrow = [r for r in ric if "no hint" in r["problem"]]
    return [
        (
            "richardson: median relative error over the suite <= 1e-14",
            statistics.median(errors) <= 1e-14,
            f"{statistics.median(errors):.1e}",
        ),
        ("richardson: worst relative error <= 1e-12", max(errors) <= 1e-12, f"{max(errors):.1e}"),
        (
            "richardson: on no problem more than 1.5x numdifftools' error",
            worst_ratio <= 1.5,
            f"largest ratio {worst_ratio:.2f} ({max(ratios, key=ratios.get)})",
        ),
        (
            "richardson: strictly more accurate than numdifftools on most problems",
            len(better) > len(ratios) / 2,
            f"{len(better)} of {len(ratios)}",
        ),
        ("richardson: at most 0.6x numdifftools' total evaluations", evaluations <= 0.6, f"{evaluations:.2f}x"),
        (
            "richardson: narrow features solved with no hint (error <= 1e-12)",
            bool(narrow) and all(r["error"] <= 1e-12 for r in narrow),
            ", ".join(f"{r['problem']}: {r['error']:.1e}" for r in narrow),
        ),
        ("richardson: error estimate >= true error for >= 99% of components", bounded >= 0.99, f"{100 * bounded:.2f}%"),
    ]


def text_table(rows: list[dict], times: dict) -> list[str]:
    lines = [
        f"{'method':30s} {'problem':38s} {'rel. error':>10s} {'evals':>7s} {'median time':>12s} {'/ numdifftools':>15s}"
    ]
    for r in rows:
        t = times[r["method"], r["problem"]]
        ratio = t / times[PEER, r["problem"]]
        lines.append(
            f"{r['method']:30s} {r['problem']:38s} {r['error']:10.1e} {r['nfev']:7d} {t * 1e3:9.3f} ms {ratio:14.2f}x"
        )
    return lines


def markdown(record: dict) -> str:
    """The results file the benchmark page includes, from the JSON record (one source for both).

    Its tables sit between pymdownx.snippets section markers (`table`, `vectorized`, `targets`),
    so the page can include each on its own.
    """
    header = (
        f"Measured on {record['date']} on {record['machine']}, Python {record['python']}, numpy {record['numpy']},"
        f" scipy {record['scipy']}, numdifftools {record['numdifftools']}; times are medians of {record['rounds']}"
        " interleaved rounds with BLAS pinned to one thread, and their ratio to numdifftools on the same problem in"
        " the same run."
    )
    peer = {r["problem"]: r["seconds"] for r in record["rows"] if r["method"] == PEER}
    out = [
        "--8<-- [start:table]",
        header,
        "",
        "| method | problem | relative error | evaluations | median time | time / numdifftools |",
        "|---|---|---|---|---|---|",
    ]
    for r in record["rows"]:
        t = r["seconds"]
        out.append(
            f"| {r['method']} | {r['problem']} | {r['error']:.1e} | {r['nfev']} | {t * 1e3:.3f} ms"
            f" | {t / peer[r['problem']]:.2f} |"
        )
    out += [
        "--8<-- [end:table]",
        "",
        "--8<-- [start:vectorized]",
        "| Rosenbrock, central | one point at a time | vectorized | speed-up | relative error |",
        "|---|---|---|---|---|",
    ]
    for v in record["vectorized"]:
        out.append(
            f"| n = {v['n']} | {v['loop'] * 1e3:.3f} ms | {v['vectorized'] * 1e3:.3f} ms | {v['speed-up']:.1f}x"
            f" | {v['error']:.1e} |"
        )
    out += ["--8<-- [end:vectorized]", "", "--8<-- [start:targets]", "| target | met | measured |", "|---|---|---|"]
    out += [f"| {t['target']} | {'yes' if t['met'] else '**no**'} | {t['measured']} |" for t in record["targets"]]
    out += ["--8<-- [end:targets]"]
    return "\n".join(out) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="interleaved timing rounds (at least 15)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave benchmarks/results/ alone")
    parser.add_argument(
        "--markdown-only", action="store_true", help="rewrite numdiff.md from numdiff.json, run nothing"
    )
    args = parser.parse_args()
    if args.markdown_only:
        record = json.loads((RESULTS / "numdiff.json").read_text())
        (RESULTS / "numdiff.md").write_text(markdown(record))
        return 0
    if args.rounds < 15:
        parser.error("--rounds must be at least 15: a median of fewer rounds is not a measurement")
    suite = P.suite()
    rows = [dict(accuracy(name, problem), well_scaled=problem.well_scaled) for name in METHODS for problem in suite]
    times = interleaved_times(suite, args.rounds)
    vectorized = vectorized_rows(args.rounds)
    print("\n".join(text_table(rows, times)))
    print(f"\n{'Rosenbrock, central':20s} {'loop':>10s} {'vectorized':>11s} {'speed-up':>9s} {'rel. error':>10s}")
    for v in vectorized:
        print(
            f"n = {v['n']:<16d} {v['loop'] * 1e3:7.3f} ms {v['vectorized'] * 1e3:8.3f} ms {v['speed-up']:8.1f}x {v['error']:10.1e}"
        )
    results = targets(rows)
    print()
    for label, ok, detail in results:
        print(f"[{'met' if ok else 'NOT MET'}] {label}" + (f": {detail}" if detail else ""))
    met = sum(ok for _, ok, _ in results)
    print(f"\n{met} of {len(results)} targets met")
    if not args.no_write:
        RESULTS.mkdir(exist_ok=True)
        record = {
            **machine.description(),
            "rounds": args.rounds,
            "rows": [{**r, "seconds": times[r["method"], r["problem"]]} for r in rows],
            "vectorized": vectorized,
            "targets": [{"target": label, "met": ok, "measured": detail} for label, ok, detail in results],
        }
        (RESULTS / "numdiff.json").write_text(json.dumps(record, indent=1) + "\n")
        (RESULTS / "numdiff.md").write_text(markdown(record))
        print(f"wrote {RESULTS / 'numdiff.md'} and {RESULTS / 'numdiff.json'}")
    return 0 if met == len(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
