"""Accuracy, cost and speed of numerical gradients: gradient_docs against its peers, in one run.

    python benchmarks/numdiff.py            # the full table and the targets
    python benchmarks/numdiff.py --quick    # fewer timing repeats

Prints one row per (method, problem): the relative error of the gradient against a 40-digit
reference (2-norm, ||g - g_ref|| / ||g_ref||), the number of points at which f was evaluated,
and the median wall time of one gradient. Then every target of the issue with the measured value.
Times are medians over repeats on a shared machine: compare ratios measured in the same run,
never absolute times across runs.

Peers (the ``bench`` extra): scipy.optimize.approx_fprime, scipy.differentiate.jacobian and
numdifftools.Gradient, each with its defaults.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import problems as P  # noqa: E402

import gradient_docs as gd  # noqa: E402


class Counted:
    """Wraps f and counts the points it is evaluated at (a batch of m points counts m)."""

    def __init__(self, f, n: int, batch_axis: str | None = None):
        self.f, self.n, self.batch_axis, self.points = f, n, batch_axis, 0

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


def relative_error(g: np.ndarray, reference: np.ndarray) -> float:
    return float(np.linalg.norm(np.asarray(g, dtype=float) - reference) / np.linalg.norm(reference))


def timed(run, repeats: int) -> float:
    """Median seconds per call; each sample runs long enough (>= 20 ms) to be measured."""
    start = time.perf_counter()
    run()
    once = time.perf_counter() - start
    number = max(1, int(0.02 / max(once, 1e-9)))
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            run()
        samples.append((time.perf_counter() - start) / number)
    return statistics.median(samples)


def ours(method: str, vectorized: bool = False):
    def run(problem: P.Problem, f):
        return gd.gradient(f, problem.x, method=method, step_scale=problem.step_scale, vectorized=vectorized)

    return run


def approx_fprime(problem: P.Problem, f):
    from scipy.optimize import approx_fprime as scipy_approx_fprime

    return scipy_approx_fprime(problem.x, f)


def scipy_jacobian(problem: P.Problem, f):
    from scipy.differentiate import jacobian

    return jacobian(f, problem.x).df


def numdifftools_gradient(problem: P.Problem, f):
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
    "numdifftools Gradient": (numdifftools_gradient, None),
}


def measure(name: str, problem: P.Problem, repeats: int) -> dict:
    run, batch_axis = METHODS[name]
    counted = Counted(problem.f, problem.x.size, batch_axis)
    g = run(problem, counted)
    seconds = timed(lambda: run(problem, problem.f if batch_axis != "scipy" else Counted(problem.f, 0, "scipy")), repeats)
    return {
        "method": name,
        "problem": problem.name,
        "n": problem.x.size,
        "error": relative_error(g, problem.reference),
        "nfev": counted.points,
        "seconds": seconds,
        "problem_obj": problem,
    }


def vectorized_rows(repeats: int) -> list[dict]:
    rows = []
    for n in (10, 100, 1000):
        problem = P.rosenbrock_problem(n)
        loop = timed(lambda: gd.gradient(problem.f, problem.x), repeats)
        batch = timed(lambda: gd.gradient(problem.f, problem.x, vectorized=True), repeats)
        error = relative_error(gd.gradient(problem.f, problem.x, vectorized=True), problem.reference)
        rows.append({"n": n, "loop": loop, "vectorized": batch, "speed-up": loop / batch, "error": error})
    return rows


def table(rows: list[dict]) -> str:
    lines = [f"{'method':30s} {'problem':38s} {'rel. error':>10s} {'evals':>7s} {'median time':>12s}"]
    for r in rows:
        lines.append(
            f"{r['method']:30s} {r['problem']:38s} {r['error']:10.1e} {r['nfev']:7d} {r['seconds'] * 1e3:9.3f} ms"
        )
    return "\n".join(lines)


def targets(rows: list[dict], vectorized: list[dict]) -> list[tuple[str, bool, str]]:
    by = {}
    for r in rows:
        by.setdefault(r["method"], []).append(r)
    out = []

    def errors(method, only=None):
        return [r["error"] for r in by[method] if only is None or only(r["problem_obj"])]

    fwd = errors("forward")
    out.append(("forward: median relative error <= 5e-8", statistics.median(fwd) <= 5e-8, f"median {statistics.median(fwd):.1e}"))
    out.append(
        ("forward: n + 1 evaluations", all(r["nfev"] == r["n"] + 1 for r in by["forward"]), "")
    )
    cen = errors("central", lambda p: p.well_scaled)
    out.append(("central: median <= 1e-10 (well-scaled)", statistics.median(cen) <= 1e-10, f"median {statistics.median(cen):.1e}"))
    out.append(("central: worst <= 2e-9 (well-scaled)", max(cen) <= 2e-9, f"worst {max(cen):.1e}"))
    out.append(("central: exactly 2n evaluations", all(r["nfev"] == 2 * r["n"] for r in by["central"]), ""))
    cpx = errors("complex")
    out.append(("complex: <= 3.2e-16 on every problem", max(cpx) <= 3.2e-16, f"worst {max(cpx):.1e}"))
    out.append(("complex: n evaluations", all(r["nfev"] == r["n"] for r in by["complex"]), ""))
    ric = errors("richardson")
    out.append(("richardson: median <= 1e-13", statistics.median(ric) <= 1e-13, f"median {statistics.median(ric):.1e}"))
    big = [r["error"] for r in by["richardson"] if "1e8" in r["problem"]][0]
    out.append(("richardson: <= 1e-10 at the x/1e8 problem", big <= 1e-10, f"{big:.1e}"))
    out.append(("richardson: at most 11n evaluations", all(r["nfev"] <= 11 * r["n"] for r in by["richardson"]), ""))
    nd_rows = {r["problem"]: r for r in by["numdifftools Gradient"]}
    for variant in ("richardson", "richardson, vectorized"):
        ratios = [nd_rows[r["problem"]]["seconds"] / r["seconds"] for r in by[variant]]
        out.append(
            (
                f"{variant}: >= 10x faster than numdifftools Gradient on every problem",
                min(ratios) >= 10,
                f"speed-up min {min(ratios):.1f}x, median {statistics.median(ratios):.1f}x",
            )
        )
    worse = [r["problem"] for r in by["richardson"] if r["error"] > max(nd_rows[r["problem"]]["error"], 1e-15)]
    ric_median, nd_median = statistics.median(ric), statistics.median(errors("numdifftools Gradient"))
    out.append(
        (
            "richardson: equal or better accuracy than numdifftools on every problem",
            not worse,
            f"median {ric_median:.1e} vs {nd_median:.1e}" + (f"; less accurate on: {', '.join(worse)}" if worse else ""),
        )
    )
    need = {10: 6, 100: 25, 1000: 4}
    for v in vectorized:
        out.append(
            (f"vectorized central, Rosenbrock n={v['n']}: >= {need[v['n']]}x faster than the loop", v["speed-up"] >= need[v["n"]], f"{v['speed-up']:.1f}x")
        )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 timing repeats instead of 7")
    args = parser.parse_args()
    repeats = 3 if args.quick else 7
    rows = [measure(name, problem, repeats) for name in METHODS for problem in P.suite()]
    print(table(rows))
    vectorized = vectorized_rows(repeats)
    print()
    print(f"{'Rosenbrock, central':20s} {'loop':>10s} {'vectorized':>11s} {'speed-up':>9s} {'rel. error':>10s}")
    for v in vectorized:
        print(f"n = {v['n']:<16d} {v['loop'] * 1e3:7.3f} ms {v['vectorized'] * 1e3:8.3f} ms {v['speed-up']:8.1f}x {v['error']:10.1e}")
    print()
    results = targets(rows, vectorized)
    for label, ok, detail in results:
        print(f"[{'met' if ok else 'NOT MET'}] {label}" + (f": {detail}" if detail else ""))
    print(f"\n{sum(ok for _, ok, _ in results)} of {len(results)} targets met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
