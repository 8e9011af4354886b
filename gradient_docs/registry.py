"""Every loss in the package, with its gradient and a sampler of valid inputs.

One entry per loss drives the tests (a single parametrized property test checks every analytic
gradient against a numerical one) and the overview table of the docs. A loss added to a loss
module without an entry here, or without a ``*_grad`` beside it, fails the test suite.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from gradient_docs import classification, divergences, losses

__all__ = ["LOSSES", "LossSpec", "LOSS_MODULES"]

#: The modules whose public functions are losses (and their gradients).
LOSS_MODULES = (losses, classification, divergences)


@dataclass(frozen=True)
class LossSpec:
    """A loss, its gradient with respect to the second argument, and valid sample inputs.

    ``sample(rng, shape, scale=1.0)`` returns ``(target, prediction)`` of that shape, drawn away
    from the loss's kinks (where the gradient is a subgradient and a numerical check is
    meaningless); ``scale`` stretches the unbounded inputs (residuals, logits). ``bounds`` is
    the domain of the prediction, ``(lower, upper)``: a numerical derivative must not evaluate
    the loss outside it.
    """

    name: str
    family: str
    loss: Callable[..., float]
    grad: Callable[..., np.ndarray]
    sample: Callable[..., tuple[np.ndarray, np.ndarray]]
    kwargs: dict = field(default_factory=dict)
    bounds: tuple[float, float] = (-np.inf, np.inf)


def _away_from(values: np.ndarray, kinks: tuple[float, ...], gap: float) -> np.ndarray:
    """Move entries within ``gap`` of a kink to ``gap`` beyond it."""
    out = values.copy()
    for kink in kinks:
        near = np.abs(out - kink) < gap
        out[near] = kink + np.where(out[near] >= kink, gap, -gap)
    return out


def _regression(kinks: tuple[float, ...] = ()):
    def sample(rng, shape, scale=1.0):
        y = rng.normal(scale=3.0 * scale, size=shape)
        r = _away_from(rng.normal(scale=3.0 * scale, size=shape), kinks, 1e-2)
        return y, y + r

    return sample


def _probabilities_pair(rng, shape, scale=1.0):
    y = rng.uniform(size=shape)
    p = rng.uniform(0.02, 0.98, size=shape)
    return y, p


def _logits_pair(rng, shape, scale=1.0):
    return rng.uniform(size=shape), rng.normal(scale=5.0 * scale, size=shape)


def _one_hot_or_soft(rng, shape, scale=1.0):
    k = shape[-1]
    if rng.uniform() < 0.5:
        y = np.eye(k)[rng.integers(k, size=shape[:-1])]
    else:
        y = rng.dirichlet(np.ones(k), size=shape[:-1])
    return y, rng.normal(scale=3.0 * scale, size=shape)


def _hinge_pair(rng, shape, scale=1.0):
    y = rng.choice([-1.0, 1.0], size=shape)
    margin = _away_from(rng.normal(scale=2.0 * scale, size=shape), (1.0,), 1e-2)
    return y, margin * y  # y * s = margin, kept away from the kink at 1


def _kl_pair(rng, shape, scale=1.0):
    k = shape[-1]
    p = rng.dirichlet(np.ones(k), size=shape[:-1])
    p[..., 0] = 0.0  # exercise 0 log 0 = 0
    p /= p.sum(axis=-1, keepdims=True)
    q = rng.dirichlet(np.ones(k), size=shape[:-1]) * 0.9 + 0.1 / k
    return p, q


LOSSES = (
    LossSpec("mse", "regression", losses.mse, losses.mse_grad, _regression()),
    LossSpec("mae", "regression", losses.mae, losses.mae_grad, _regression((0.0,))),
    LossSpec("huber", "regression", losses.huber, losses.huber_grad, _regression((-1.5, 1.5)), {"delta": 1.5}),
    LossSpec("log_cosh", "regression", losses.log_cosh, losses.log_cosh_grad, _regression()),
    LossSpec(
        "binary_cross_entropy",
        "binary",
        classification.binary_cross_entropy,
        classification.binary_cross_entropy_grad,
        _probabilities_pair,
        bounds=(0.0, 1.0),
    ),
    LossSpec(
        "binary_cross_entropy_with_logits",
        "binary",
        classification.binary_cross_entropy_with_logits,
        classification.binary_cross_entropy_with_logits_grad,
        _logits_pair,
    ),
    LossSpec("hinge", "binary", classification.hinge, classification.hinge_grad, _hinge_pair),
    LossSpec(
        "cross_entropy", "multi-class", classification.cross_entropy, classification.cross_entropy_grad, _one_hot_or_soft
    ),
    LossSpec(
        "kl_divergence",
        "divergence",
        divergences.kl_divergence,
        divergences.kl_divergence_grad,
        _kl_pair,
        bounds=(0.0, np.inf),
    ),
)
"""Every loss of the package: name, family, loss, gradient, sampler of valid inputs, options.

Examples
--------
>>> from gradient_docs import LOSSES
>>> [spec.name for spec in LOSSES if spec.family == "regression"]
['mse', 'mae', 'huber', 'log_cosh']
"""
