"""The cost of one gradient: reverse-mode autodiff against central differences, in one run.

    python benchmarks/autodiff.py                # the tables, the targets, benchmarks/results/autodiff.json
    python benchmarks/autodiff.py --rounds 5 --central-rounds 1    # a quicker look

Problem: l2-regularised softmax regression, the mean cross-entropy of the logits X @ W + b with
integer labels plus (l2/2) ||W||^2, with B = 1000 examples, K = 10 classes and d = 9, 99, 999
features: n = dK + K = 100, 1000, 10000 parameters, in one vector theta. The loss is written once,
`loss(theta, m)`, and run with m = numpy (plain, the unit of cost) and m = gradient_docs.autodiff.

Contenders at each n:
- one evaluation of the loss in plain numpy;
- reverse mode: `autodiff.value_and_grad(loss, theta)`, the value and the gradient;
- central differences: `gradient_docs.gradient(loss, theta)`, its defaults: method "central",
  one point at a time. A side table times vectorized=True (the loss of a batch of parameter
  vectors at once) against it at n = 100 and 1000: neither wins everywhere, and the gap is well
  under 2x, since the product with X dominates either way. At n = 10^4, where the target is, the
  chunk limit of 2^14 numbers allows one point per call, so vectorizing cannot help.

Timing: interleaved rounds, each running every contender of every size once, in a random order;
the median over rounds. A sample repeats a fast contender until it lasts at least 20 ms and
reports the time per call. Central differences at n = 10^4 take about a minute per gradient, so
they run in the first `--central-rounds` rounds only (default 3). BLAS is pinned to one thread.

Counts, independent of the machine: the evaluations of the loss central differences make (2n),
against reverse mode's one evaluation (the forward pass, which records the graph) and one
backward pass (one vector-Jacobian product per edge of the graph).

A second table, not a target, repeats reverse mode against one evaluation at B = 100, where the
fixed Python cost of each node of the graph weighs more.
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"  # before numpy is imported

import argparse
import json
import platform
import random
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import numpy as np

import gradient_docs as gd
from gradient_docs import autodiff as ad

RESULTS = Path(__file__).resolve().parent / "results" / "autodiff.json"
SIZES = {100: 9, 1000: 99, 10000: 999}  # n: d, with K = 10
B, K, L2 = 1000, 10, 0.01
SMALL_B = 100
VECTORIZED_ROUNDS = 5  # the side table: loop against vectorized central differences
MIN_SAMPLE = 0.02  # seconds: a sample repeats a fast contender until it lasts this long
TARGET_REVERSE_OVER_EVALUATION = 5.0  # at most, at every n
TARGET_CENTRAL_OVER_REVERSE = 100.0  # at least, at n = 10^4


def _logsumexp(z, axis):
    peak = z.max(axis=axis, keepdims=True)
    return np.squeeze(peak + np.log(np.exp(z - peak).sum(axis=axis, keepdims=True)), axis=axis)


#: The plain numpy versions of the autodiff functions the loss uses.
NUMPY = SimpleNamespace(mean=np.mean, sum=np.sum, logsumexp=_logsumexp)


@dataclass
class Problem:
    X: np.ndarray  # (B, d)
    labels: np.ndarray  # (B,) integers in [0, K)
    theta: np.ndarray  # (dK + K,): W row by row, then b

    @classmethod
    def make(cls, batch: int, d: int, seed: int = 0) -> Problem:
        rng = np.random.default_rng(seed)
        return cls(rng.normal(size=(batch, d)), rng.integers(0, K, size=batch), 0.1 * rng.normal(size=d * K + K))

    def unpack(self, theta):
        d = self.X.shape[1]
        return theta[: d * K].reshape(d, K), theta[d * K :]

    def loss(self, theta, m):
        """Mean cross-entropy of X @ W + b with integer labels, plus (l2/2) ||W||^2, written with m's functions."""
        W, b = self.unpack(theta)
        Z = self.X @ W + b
        return m.mean(m.logsumexp(Z, axis=1) - Z[np.arange(len(self.labels)), self.labels]) + L2 / 2 * m.sum(W * W)

    def batched_loss(self, thetas: np.ndarray) -> np.ndarray:
        """The loss at each row of `thetas`, shape (m, n) -> (m,): f for `gradient(..., vectorized=True)`."""
        d, rows = self.X.shape[1], np.arange(len(self.labels))
        W, b = thetas[:, : d * K].reshape(-1, d, K), thetas[:, None, d * K :]
        Z = self.X @ W + b  # (m, B, K)
        cross_entropy = _logsumexp(Z, 2).mean(axis=1) - Z[:, rows, self.labels].mean(axis=1)
        return cross_entropy + L2 / 2 * (W * W).sum(axis=(1, 2))

    def hand_gradient(self) -> np.ndarray:
        """X^T (S - Y) / B + l2 W and the column sums of (S - Y) / B, for the correctness check."""
        W, b = self.unpack(self.theta)
        G = (gd.softmax(self.X @ W + b, axis=1) - np.eye(K)[self.labels]) / len(self.labels)
        return np.concatenate([(self.X.T @ G + L2 * W).ravel(), G.sum(axis=0)])


class Counted:
    """The plain loss, counting its evaluations."""

    def __init__(self, problem: Problem):
        self.problem, self.calls = problem, 0

    def __call__(self, theta):
        self.calls += 1
        return self.problem.loss(theta, NUMPY)


def contenders(problem: Problem, counted: Counted) -> dict[str, callable]:
    theta = problem.theta
    return {
        "evaluation": lambda: problem.loss(theta, NUMPY),
        "reverse": lambda: ad.value_and_grad(lambda t: problem.loss(t, ad), theta),
        "central": lambda: gd.gradient(counted, theta),
    }


def sample(run, number: int) -> tuple[float, object]:
    start = time.perf_counter()
    for _ in range(number):
        result = run()
    return (time.perf_counter() - start) / number, result


def repeats_for(run) -> int:
    once, _ = sample(run, 1)  # also a warm-up
    return max(1, int(np.ceil(MIN_SAMPLE / max(once, 1e-9))))


def measure(problems: dict[int, Problem], rounds: int, central_rounds: int, with_central: bool, seed: int):
    """Median seconds per call of every (n, contender), interleaved; the last result of each; loss counts."""
    counters = {n: Counted(p) for n, p in problems.items()}
    runs = {(n, name): run for n, p in problems.items() for name, run in contenders(p, counters[n]).items()}
    if not with_central:
        runs = {key: run for key, run in runs.items() if key[1] != "central"}
    number = {key: 1 if key[1] == "central" else repeats_for(run) for key, run in runs.items()}
    times = {key: [] for key in runs}
    results = {}
    shuffle = random.Random(seed)
    for round_ in range(rounds):
        order = [key for key in runs if key[1] != "central" or round_ < (central_rounds if key[0] == 10000 else rounds)]
        shuffle.shuffle(order)
        for key in order:
            seconds, results[key] = sample(runs[key], number[key])
            times[key].append(seconds)
        print(f"  round {round_ + 1}/{rounds} done", flush=True)
    central_calls = {n: c.calls // max(1, len(times.get((n, "central"), []))) for n, c in counters.items()}
    return (
        {key: statistics.median(t) for key, t in times.items()},
        {k: len(t) for k, t in times.items()},
        results,
        central_calls,
    )


def vectorized_check(problems: dict[int, Problem], rounds: int, seed: int) -> list[dict]:
    """Central differences one point at a time against vectorized, at n = 100 and 1000, interleaved."""
    runs = {}
    for n in (100, 1000):
        p = problems[n]
        runs[(n, False)] = lambda p=p: gd.gradient(lambda t: p.loss(t, NUMPY), p.theta)
        runs[(n, True)] = lambda p=p: gd.gradient(p.batched_loss, p.theta, vectorized=True)
    times, results, shuffle = {key: [] for key in runs}, {}, random.Random(seed)
    for _ in range(rounds):
        order = list(runs)
        shuffle.shuffle(order)
        for key in order:
            seconds, results[key] = sample(runs[key], 1)
            times[key].append(seconds)
    return [
        {
            "n": n,
            "loop_s": statistics.median(times[(n, False)]),
            "vectorized_s": statistics.median(times[(n, True)]),
            "max_difference": float(np.abs(results[(n, True)] - results[(n, False)]).max()),
        }
        for n in (100, 1000)
    ]


def graph_size(problem: Problem) -> tuple[int, int]:
    """Nodes recorded by the forward pass and vector-Jacobian products applied by the backward pass."""
    out = problem.loss(ad.Node(problem.theta, needs_grad=True), ad)
    nodes = ad._topological_order(out)  # the order the backward pass walks
    return len(nodes), sum(len(node.edges) for node in nodes)


def relative_error(g: np.ndarray, reference: np.ndarray) -> float:
    return float(np.linalg.norm(g - reference) / np.linalg.norm(reference))


def machine() -> dict:
    model = ""
    if Path("/proc/cpuinfo").exists():
        lines = [line for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")]
        model = lines[0].split(":", 1)[1].strip() if lines else ""
    return {
        "cpu": model or platform.processor() or platform.machine(),
        "logical_cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas_threads": 1,
    }


def print_tables(rows: list[dict], vectorized: list[dict], rounds: int) -> None:
    """The timing table, the counts, the accuracy, and the two side tables."""
    print()
    print(
        f"{'n':>6} {'d':>4} {'one evaluation':>15} {'reverse mode':>13} {'central diff.':>14} {'reverse/eval':>13} {'central/reverse':>16}"
    )
    for r in rows:
        print(
            f"{r['n']:>6} {r['d']:>4} {r['evaluation_s'] * 1e3:>12.3f} ms {r['reverse_s'] * 1e3:>10.3f} ms"
            f" {r['central_s'] * 1e3:>11.1f} ms {r['reverse_over_evaluation']:>13.2f} {r['central_over_reverse']:>16.0f}"
        )
    print(f"(medians over {rounds} rounds; central differences at n = 10000 over {rows[-1]['rounds']['central']})")
    print()
    print(
        f"{'n':>6} {'central: evaluations of f':>26} {'reverse: evaluations of f + backward passes':>44} {'nodes':>6} {'VJPs':>5}"
    )
    for r in rows:
        print(
            f"{r['n']:>6} {r['central_evaluations_of_f']:>26} {'1 + 1':>44} {r['reverse_graph_nodes']:>6} {r['reverse_vjps']:>5}"
        )
    print()
    print(f"{'n':>6} {'reverse vs hand gradient':>25} {'central vs hand gradient':>25}   (relative error, 2-norm)")
    for r in rows:
        print(f"{r['n']:>6} {r['reverse_error_vs_hand']:>25.1e} {r['central_error_vs_hand']:>25.1e}")
    print()
    print(
        f"B = {SMALL_B}, not a target: reverse/eval = "
        + ", ".join(f"{r['small_batch_reverse_over_evaluation']:.2f} (n = {r['n']})" for r in rows)
    )
    print()

    print("central differences, default method: one point at a time against vectorized=True")
    for v in vectorized:
        print(
            f"  n = {v['n']:>5}: {v['loop_s'] * 1e3:8.1f} ms against {v['vectorized_s'] * 1e3:8.1f} ms vectorized"
            f" (median of {VECTORIZED_ROUNDS}; gradients differ by {v['max_difference']:.1e})"
        )
    print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21, help="interleaved rounds (default 21)")
    parser.add_argument("--central-rounds", type=int, default=3, help="rounds for central differences at n = 10^4")
    parser.add_argument("--seed", type=int, default=0, help="seed of the data and of the round order")
    args = parser.parse_args()
    if not 1 <= args.central_rounds <= args.rounds:
        parser.error(f"--central-rounds must be in [1, --rounds = {args.rounds}]; got {args.central_rounds}")

    problems = {n: Problem.make(B, d, args.seed) for n, d in SIZES.items()}
    print(f"softmax regression: B = {B}, K = {K}, l2 = {L2}; {args.rounds} interleaved rounds", flush=True)
    median, samples, results, central_calls = measure(problems, args.rounds, args.central_rounds, True, args.seed)
    small = {n: Problem.make(SMALL_B, d, args.seed) for n, d in SIZES.items()}
    print(f"B = {SMALL_B} (informational): {args.rounds} rounds", flush=True)
    small_median, _, _, _ = measure(small, args.rounds, 0, False, args.seed)
    print(f"central differences, one point at a time against vectorized: {VECTORIZED_ROUNDS} rounds", flush=True)
    vectorized = vectorized_check(problems, VECTORIZED_ROUNDS, args.seed)

    rows = []
    for n, problem in problems.items():
        evaluation, reverse, central = (median[(n, name)] for name in ("evaluation", "reverse", "central"))
        nodes, vjps = graph_size(problem)
        hand = problem.hand_gradient()
        rows.append(
            {
                "n": n,
                "d": problem.X.shape[1],
                "evaluation_s": evaluation,
                "reverse_s": reverse,
                "central_s": central,
                "reverse_over_evaluation": reverse / evaluation,
                "central_over_reverse": central / reverse,
                "rounds": {name: samples[(n, name)] for name in ("evaluation", "reverse", "central")},
                "central_evaluations_of_f": central_calls[n],
                "reverse_evaluations_of_f": 1,
                "reverse_backward_passes": 1,
                "reverse_graph_nodes": nodes,
                "reverse_vjps": vjps,
                "reverse_error_vs_hand": relative_error(results[(n, "reverse")][1], hand),
                "central_error_vs_hand": relative_error(results[(n, "central")], hand),
                "small_batch_reverse_over_evaluation": small_median[(n, "reverse")] / small_median[(n, "evaluation")],
            }
        )

    print_tables(rows, vectorized, args.rounds)
    worst = max(r["reverse_over_evaluation"] for r in rows)
    largest = rows[-1]["central_over_reverse"]
    correct = max(r["reverse_error_vs_hand"] for r in rows)
    targets = [
        (
            f"reverse mode <= {TARGET_REVERSE_OVER_EVALUATION:g}x one evaluation at every n",
            worst <= TARGET_REVERSE_OVER_EVALUATION,
            f"worst {worst:.2f}x",
        ),
        (
            f"reverse mode >= {TARGET_CENTRAL_OVER_REVERSE:g}x faster than central differences at n = 10000",
            largest >= TARGET_CENTRAL_OVER_REVERSE,
            f"{largest:.0f}x",
        ),
        ("reverse mode equals the hand gradient to 1e-12 (2-norm, relative)", correct <= 1e-12, f"worst {correct:.1e}"),
    ]
    for label, ok, detail in targets:
        print(f"[{'met' if ok else 'MISSED'}] {label}: {detail}")

    RESULTS.parent.mkdir(exist_ok=True)
    report = {
        "benchmark": "benchmarks/autodiff.py",
        "command": "python benchmarks/autodiff.py"
        + (f" --rounds {args.rounds}" if args.rounds != 21 else "")
        + (f" --central-rounds {args.central_rounds}" if args.central_rounds != 3 else ""),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "problem": {
            "loss": "mean softmax cross-entropy of X @ W + b, integer labels, + (l2/2)||W||^2",
            "B": B,
            "K": K,
            "l2": L2,
            "small_batch_B": SMALL_B,
        },
        "central_differences": {"method": "central", "vectorized": False, "vectorized_check": vectorized},
        "rounds": args.rounds,
        "central_rounds_at_10000": args.central_rounds,
        "rows": rows,
        "targets": [{"target": label, "met": ok, "measured": detail} for label, ok, detail in targets],
    }
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwrote {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}")
    return 0 if all(ok for _, ok, _ in targets) else 1


if __name__ == "__main__":
    raise SystemExit(main())
