"""How large should a batch of displaced points be? Times vectorized central gradients.

    python benchmarks/chunks.py

For Rosenbrock in 10, 100 and 1000 dimensions, times ``gradient(..., vectorized=True)`` with
`_engine.CHUNK_ELEMENTS` set to each power of two from 2**10 to 2**22 (the number of
floats in one batch of points), and prints the median time per gradient. The fastest size is
what `CHUNK_ELEMENTS` is set to. Times are medians on a shared machine: compare within a row.
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"  # before numpy is imported

import statistics
import time

import problems as P

import gradient_docs as gd
from gradient_docs import _engine as finite_diff

SIZES = [2**k for k in range(10, 23, 2)] + [2**13, 2**15]


def median_time(run, repeats: int = 7) -> float:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    sizes = sorted(set(SIZES))
    print("n     " + " ".join(f"{'2^' + str(s.bit_length() - 1):>8s}" for s in sizes) + "   (ms per gradient)")
    default = finite_diff.CHUNK_ELEMENTS
    try:
        for n in (10, 100, 1000):
            problem = P.rosenbrock_problem(n)
            row = []
            for size in sizes:
                finite_diff.CHUNK_ELEMENTS = size
                row.append(median_time(lambda problem=problem: gd.gradient(problem.f, problem.x, vectorized=True)))
            best = sizes[row.index(min(row))]
            print(f"{n:<5d} " + " ".join(f"{t * 1e3:8.3f}" for t in row) + f"   fastest: 2^{best.bit_length() - 1}")
    finally:
        finite_diff.CHUNK_ELEMENTS = default
    print(f"\nCHUNK_ELEMENTS is 2^{default.bit_length() - 1}")


if __name__ == "__main__":
    main()
