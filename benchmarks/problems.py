"""The benchmark suite: test functions with reference gradients computed in 40-digit arithmetic.

Every function works on the last axis, so the same code serves one point (shape ``(n,)``), a
batch of points (shape ``(m, n)``, the vectorized path) and complex input (the complex step).
Reference gradients are evaluated with mpmath at 40 significant digits, then rounded to float64,
so that an error of 1e-16 is measured against a truth accurate to far more than that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import mpmath as mp
import numpy as np

mp.mp.dps = 40


@dataclass(frozen=True)
class Problem:
    name: str
    f: Callable[[np.ndarray], np.ndarray]
    x: np.ndarray
    reference: np.ndarray  # the exact gradient, rounded to float64
    step_scale: float | None = None  # the scale to tell gradient_docs, if |x| is a poor guide
    well_scaled: bool = True  # counts towards the "well-scaled" central-difference target
    tags: tuple[str, ...] = field(default_factory=tuple)


def _to_float(values) -> np.ndarray:
    return np.array([float(v) for v in values])


# f(x, y) = x^3 - 2xy + y^2, the notes' function ----------------------------------------------


def notes_f(p):
    x, y = p[..., 0], p[..., 1]
    return x * x * x - 2 * x * y + y * y


# Rosenbrock ------------------------------------------------------------------------------------


def rosenbrock(x):
    a, b = x[..., :-1], x[..., 1:]
    return np.sum(100.0 * (b - a * a) ** 2 + (1.0 - a) ** 2, axis=-1)


def rosenbrock_reference(x) -> np.ndarray:
    v = [mp.mpf(float(t)) for t in x]
    n = len(v)
    g = [mp.mpf(0)] * n
    for i in range(n - 1):
        r = v[i + 1] - v[i] ** 2
        g[i] += -400 * v[i] * r - 2 * (1 - v[i])
        g[i + 1] += 200 * r
    return _to_float(g)


# Softmax cross-entropy of logits z against a probability vector y --------------------------------


def make_cross_entropy(y: np.ndarray):
    def cross_entropy(z):
        peak = np.max(z.real, axis=-1, keepdims=True)
        shifted = z - peak
        log_normalizer = np.log(np.sum(np.exp(shifted), axis=-1)) + peak[..., 0]
        return log_normalizer - np.sum(y * z, axis=-1)

    return cross_entropy


def cross_entropy_reference(z, y) -> np.ndarray:
    e = [mp.exp(mp.mpf(float(t))) for t in z]
    total = mp.fsum(e)
    return _to_float([ei / total - mp.mpf(float(yi)) for ei, yi in zip(e, y)])


# MSE of a linear model, as a function of its weights ------------------------------------------


def make_linear_mse(X: np.ndarray, t: np.ndarray):
    def loss(w):
        residual = w @ X.T - t
        return np.mean(residual * residual, axis=-1)

    return loss


def linear_mse_reference(w, X, t) -> np.ndarray:
    m, n = X.shape
    W = [mp.mpf(float(v)) for v in w]
    residual = [mp.fsum(mp.mpf(float(X[i, j])) * W[j] for j in range(n)) - mp.mpf(float(t[i])) for i in range(m)]
    return _to_float([2 * mp.fsum(residual[i] * mp.mpf(float(X[i, j])) for i in range(m)) / m for j in range(n)])


# exp(x) / sqrt(sin(x)^3 + cos(x)^3), a classic test of numerical differentiation ---------------


def squeeze(x):
    t = x[..., 0]
    return np.exp(t) / np.sqrt(np.sin(t) ** 3 + np.cos(t) ** 3)


def squeeze_reference(x) -> np.ndarray:
    return _to_float([mp.diff(lambda t: mp.exp(t) / mp.sqrt(mp.sin(t) ** 3 + mp.cos(t) ** 3), mp.mpf(float(x[0])))])


# A function of x / 1e8: the notes' function at (2e8, 1e8), rescaled ----------------------------

BIG = 1e8


def scaled_up(p):
    return notes_f(p / BIG)


def scaled_up_reference(p) -> np.ndarray:
    x, y = (mp.mpf(float(v)) / BIG for v in p)
    return _to_float([(3 * x * x - 2 * y) / BIG, (2 * y - 2 * x) / BIG])


# A function varying on a 1e-6 scale near x = 1 ------------------------------------------------

SMALL = 1e-6


def narrow(x):
    return np.sum(np.tanh((x - 1.0) / SMALL), axis=-1)


def narrow_reference(x) -> np.ndarray:
    return _to_float([mp.sech((mp.mpf(float(v)) - 1) / SMALL) ** 2 / SMALL for v in x])


# sin(1e6 x) near x = 1e-6: a feature a million times smaller than max(|x|, 1), with no hint -------

FAST = 1e6


def oscillating(x):
    return np.sum(np.sin(FAST * x), axis=-1)


def oscillating_reference(x) -> np.ndarray:
    return _to_float([FAST * mp.cos(FAST * mp.mpf(float(v))) for v in x])


# x log x near 1e8: large x, derivative log x + 1 --------------------------------------------------


def x_log_x(x):
    return np.sum(x * np.log(x), axis=-1)


def x_log_x_reference(x) -> np.ndarray:
    return _to_float([mp.log(mp.mpf(float(v))) + 1 for v in x])


def suite() -> list[Problem]:
    rng = np.random.default_rng(2026)
    problems = [Problem("notes f at (2, 1)", notes_f, np.array([2.0, 1.0]), np.array([10.0, -2.0]))]
    for n in (2, 10, 100):
        x = rng.uniform(-2.0, 2.0, size=n)
        problems.append(Problem(f"Rosenbrock n={n}", rosenbrock, x, rosenbrock_reference(x), tags=("rosenbrock",)))
    for n in (10, 1000):
        z = rng.normal(scale=3.0, size=n)
        y = np.eye(n)[rng.integers(n)]  # a one-hot label, as in classification
        problems.append(
            Problem(f"softmax cross-entropy n={n}", make_cross_entropy(y), z, cross_entropy_reference(z, y))
        )
    X, w = rng.normal(size=(200, 50)), rng.normal(size=50)
    t = X @ rng.normal(size=50) + 0.1 * rng.normal(size=200)
    problems.append(Problem("linear-model MSE, 50 weights", make_linear_mse(X, t), w, linear_mse_reference(w, X, t)))
    problems.append(Problem("exp(x)/sqrt(sin^3+cos^3) at 1.5", squeeze, np.array([1.5]), squeeze_reference([1.5])))
    big = np.array([2.0, 1.0]) * BIG
    problems.append(
        Problem("notes f of x/1e8 at (2e8, 1e8)", scaled_up, big, scaled_up_reference(big), well_scaled=False)
    )
    near = 1.0 + np.array([3e-7, -5e-7])
    problems.append(
        Problem(
            "tanh((x-1)/1e-6), step_scale=1e-6",
            narrow,
            near,
            narrow_reference(near),
            step_scale=SMALL,
            well_scaled=False,
        )
    )
    problems.append(
        Problem("tanh((x-1)/1e-6), no hint", narrow, near, narrow_reference(near), well_scaled=False, tags=("narrow",))
    )
    fast = np.array([1.3e-6, 0.7e-6])
    problems.append(
        Problem(
            "sin(1e6 x) near 1e-6, no hint",
            oscillating,
            fast,
            oscillating_reference(fast),
            well_scaled=False,
            tags=("narrow",),
        )
    )
    large = np.array([1.2e8, 0.9e8])
    problems.append(Problem("x log x near 1e8", x_log_x, large, x_log_x_reference(large), well_scaled=False))
    return problems


def rosenbrock_problem(n: int) -> Problem:
    x = np.random.default_rng(n).uniform(-2.0, 2.0, size=n)
    return Problem(f"Rosenbrock n={n}", rosenbrock, x, rosenbrock_reference(x))
