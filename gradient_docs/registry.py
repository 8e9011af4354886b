r"""Every loss in the package, with its gradient, its formulas and a sampler of valid inputs.

One [LossSpec][gradient_docs.registry.LossSpec] per loss drives:

- the tests: one parametrized property test checks every analytic gradient against a numerical
  one, in float64 and float32, and another fails when a loss is exported without an entry here
  (or registered without being exported, or without a `*_grad` beside it);
- the two overview tables of the loss pages (formulas, behaviour), rendered from the entries by
  [overview_table][gradient_docs.registry.overview_table].
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from gradient_docs import _validation as iv
from gradient_docs import classification, divergences, losses

__all__ = ["LOSSES", "LOSS_MODULES", "LossSpec", "overview_table"]

#: The modules whose public functions are losses (and their gradients).
LOSS_MODULES = (losses, classification, divergences)

#: The float dtypes a sampler can return.
SAMPLE_DTYPES = (np.float16, np.float32, np.float64)


@dataclass(frozen=True)
class LossSpec:
    r"""A loss, its gradient with respect to the second argument, what the docs show, and valid inputs.

    Attributes
    ----------
    name : str
        The loss function's name, as exported.
    family : str
        `"regression"`, `"binary"`, `"multi-class"` or `"divergence"`.
    loss : callable
        `loss(target, prediction, **kwargs) -> float`.
    grad : callable
        `grad(target, prediction, **kwargs) -> ndarray`, the gradient with respect to the
        prediction.
    sampler : callable
        `sampler(rng, shape, scale, gap) -> (target, prediction)` in float64; call
        [sample][gradient_docs.registry.LossSpec.sample], which validates its arguments.
    title : str
        The name shown in tables.
    formula : str
        LaTeX of the loss of one example (regression losses in the residual $r = \hat y - y$).
    gradient_formula : str
        LaTeX of the gradient of `formula` with respect to `variable`.
    variable : str
        LaTeX of the prediction the gradient is taken with respect to: $\hat y$, $p$, $z$, $q$.
    page : str
        The page of the site that derives the loss, relative to `docs/` (with an anchor).
    outliers : str
        How hard one bad example can pull.
    use : str
        Where the loss is typically used.
    kwargs : dict
        Options the loss and gradient are called with in the tests.
    bounds : tuple of float
        The domain of the prediction, `(lower, upper)`: a numerical derivative must not evaluate
        the loss outside it.
    min_ndim : int
        Inputs need at least this many dimensions (1 for a class or distribution axis).

    See Also
    --------
    - [Loss functions][loss-functions]: shows the overview table built from these entries and how
      the registry checks every gradient.
    """

    name: str
    family: str
    loss: Callable[..., float]
    grad: Callable[..., np.ndarray]
    sampler: Callable[..., tuple[np.ndarray, np.ndarray]]
    title: str
    formula: str
    gradient_formula: str
    variable: str
    page: str
    outliers: str
    use: str
    kwargs: dict = field(default_factory=dict)
    bounds: tuple[float, float] = (-np.inf, np.inf)
    min_ndim: int = 0

    def sample(
        self, rng: np.random.Generator, shape: int | tuple[int, ...], scale: float = 1.0, *, dtype=np.float64
    ) -> tuple[np.ndarray, np.ndarray]:
        r"""Valid inputs `(target, prediction)` of `shape`, away from the loss's kinks.

        Near a kink the gradient is a subgradient and a numerical check is meaningless, so every
        sampled point keeps a distance of at least `gap` from it: 1% of `scale`, or
        $64\,\epsilon^{1/3}$ times `scale` if that is more, with $\epsilon$ the machine epsilon
        of `dtype`. Central differences step by about $\epsilon^{1/3} |x|$, and twice that for
        their error estimate, so for entries up to $30$ times `scale` no step reaches a kink
        (in float32 the gap is $0.31$ times `scale`).

        Parameters
        ----------
        rng : numpy.random.Generator
            The source of randomness, `np.random.default_rng(seed)`.
        shape : int or tuple of int
            The shape of both arrays: every dimension at least 1, and at least one dimension
            (the class axis, last) for multi-class losses and divergences.
        scale : float > 0
            Stretches the unbounded inputs (residuals, logits).
        dtype : dtype
            The dtype of both arrays: float16, float32 or float64.

        Returns
        -------
        tuple of ndarray
            `(target, prediction)`, both of `shape` and `dtype`.
        """
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"`rng` must be a numpy Generator (np.random.default_rng(seed)); got {iv.describe(rng)}.")
        shape = iv.sample_shape("shape", shape, min_ndim=self.min_ndim)
        scale = iv.positive_scalar("scale", scale)
        if np.dtype(dtype) not in [np.dtype(d) for d in SAMPLE_DTYPES]:
            raise ValueError(f"`dtype` must be float16, float32 or float64; got {np.dtype(dtype)}.")
        gap = max(1e-2, 64 * float(np.finfo(dtype).eps) ** (1 / 3)) * scale
        target, prediction = self.sampler(rng, shape, scale, gap)
        return target.astype(dtype), prediction.astype(dtype)


def _away_from(values: np.ndarray, kinks: tuple[float, ...], gap: float) -> np.ndarray:
    """Move entries within `gap` of a kink to `gap` beyond it."""
    out = values.copy()
    for kink in kinks:
        near = np.abs(out - kink) < gap
        out[near] = kink + np.where(out[near] >= kink, gap, -gap)
    return out


def _regression(kinks: tuple[float, ...] = ()):
    def sample(rng, shape, scale, gap):
        y = rng.normal(scale=3.0 * scale, size=shape)
        r = _away_from(rng.normal(scale=3.0 * scale, size=shape), kinks, gap)
        return y, y + r

    return sample


def _probabilities_pair(rng, shape, scale, gap):
    y = rng.uniform(size=shape)
    p = rng.uniform(0.02, 0.98, size=shape)
    return y, p


def _logits_pair(rng, shape, scale, gap):
    return rng.uniform(size=shape), rng.normal(scale=5.0 * scale, size=shape)


def _one_hot_or_soft(rng, shape, scale, gap):
    k = shape[-1]
    if rng.uniform() < 0.5:
        y = np.eye(k)[rng.integers(k, size=shape[:-1])]
    else:
        y = rng.dirichlet(np.ones(k), size=shape[:-1])
    return y, rng.normal(scale=3.0 * scale, size=shape)


def _hinge_pair(rng, shape, scale, gap):
    y = rng.choice([-1.0, 1.0], size=shape)
    margin = _away_from(rng.normal(scale=2.0 * scale, size=shape), (1.0,), gap)
    return y, margin * y  # y * z = margin, kept away from the kink at 1


def _multiclass_hinge_pair(margin: float):
    def sample(rng, shape, scale, gap):
        k = shape[-1]
        classes = rng.integers(k, size=shape[:-1])
        y = np.eye(k)[classes]
        z = rng.normal(scale=3.0 * scale, size=shape)
        right = np.take_along_axis(z, classes[..., None], axis=-1)
        # Each other class's margin z_j - z_c + margin, kept away from the kink at 0.
        margins = _away_from(z - right + margin, (0.0,), gap)
        return y, np.where(y == 1, z, right - margin + margins)

    return sample


def _kl_pair(rng, shape, scale, gap):
    k = shape[-1]
    p = rng.dirichlet(np.ones(k), size=shape[:-1])
    if k > 1:
        p[..., 0] = 0.0  # exercise 0 log 0 = 0
        p /= p.sum(axis=-1, keepdims=True)
    q = rng.dirichlet(np.ones(k), size=shape[:-1]) * 0.9 + 0.1 / k
    return p, q


# fmt: off
LOSSES = (
    LossSpec(
        "mse", "regression", losses.mse, losses.mse_grad, _regression(),
        title="MSE", formula=r"r^2", gradient_formula=r"2r", variable=r"\hat y", page="losses/mse.md",
        outliers="very sensitive: pull grows with $r$", use="regression, Gaussian noise",
    ),
    LossSpec(
        "mae", "regression", losses.mae, losses.mae_grad, _regression((0.0,)),
        title="MAE", formula=r"\lvert r \rvert", gradient_formula=r"\operatorname{sign} r", variable=r"\hat y",
        page="losses/regression.md#mean-absolute-error",
        outliers="robust: pull capped at 1", use="regression to the median",
    ),
    LossSpec(
        "huber", "regression", losses.huber, losses.huber_grad, _regression((-1.5, 1.5)),
        title="Huber",
        formula=r"\tfrac12 r^2 \text{ or } \delta(\lvert r \rvert - \tfrac12\delta)",
        gradient_formula=r"\operatorname{clip}(r, -\delta, \delta)", variable=r"\hat y",
        page="losses/regression.md#huber",
        outliers=r"robust beyond $\delta$", use="regression with outliers", kwargs={"delta": 1.5},
    ),
    LossSpec(
        "log_cosh", "regression", losses.log_cosh, losses.log_cosh_grad, _regression(),
        title="log-cosh", formula=r"\log\cosh r", gradient_formula=r"\tanh r", variable=r"\hat y",
        page="losses/regression.md#log-cosh",
        outliers="robust, smooth", use="regression with outliers",
    ),
    LossSpec(
        "binary_cross_entropy", "binary",
        classification.binary_cross_entropy, classification.binary_cross_entropy_grad, _probabilities_pair,
        title="BCE (probabilities)", formula=r"-y\log\hat y - (1-y)\log(1-\hat y)",
        gradient_formula=r"\dfrac{\hat y - y}{\hat y(1-\hat y)}", variable=r"\hat y",
        page="losses/binary.md#binary-cross-entropy-on-probabilities",
        outliers=r"unbounded as $\hat y \to 0, 1$", use="binary classification", bounds=(0.0, 1.0),
    ),
    LossSpec(
        "binary_cross_entropy_with_logits", "binary",
        classification.binary_cross_entropy_with_logits, classification.binary_cross_entropy_with_logits_grad,
        _logits_pair,
        title="BCE (logits)", formula=r"\log(1 + e^z) - yz", gradient_formula=r"\sigma(z) - y", variable="z",
        page="losses/binary.md#binary-cross-entropy-on-logits",
        outliers="pull capped at 1", use="binary classification",
    ),
    LossSpec(
        "hinge", "binary", classification.hinge, classification.hinge_grad, _hinge_pair,
        title="hinge", formula=r"\max(0, 1 - yz)", gradient_formula=r"-y \text{ if } yz < 1 \text{, else } 0",
        variable="z", page="losses/binary.md#hinge",
        outliers="pull capped at 1", use="support vector machines",
    ),
    LossSpec(
        "cross_entropy", "multi-class", classification.cross_entropy, classification.cross_entropy_grad,
        _one_hot_or_soft,
        title="cross-entropy", formula=r"\log\sum_k e^{z_k} - \sum_k y_k z_k",
        gradient_formula=r"\operatorname{softmax}(z) - y", variable="z", page="losses/multiclass.md",
        outliers="pull capped at 1 per class", use="multi-class classification", min_ndim=1,
    ),
    LossSpec(
        "multiclass_hinge", "multi-class", classification.multiclass_hinge, classification.multiclass_hinge_grad,
        _multiclass_hinge_pair(1.0),
        title="multi-class hinge", formula=r"\sum_{j \ne c} \max(0, z_j - z_c + \Delta)",
        gradient_formula=r"\begin{cases} \mathbb{1}[z_j - z_c + \Delta > 0] & j \ne c \\ -\text{their sum} & j = c \end{cases}",
        variable="z", page="losses/multiclass.md#multiclass-hinge",
        outliers=r"pull capped at 1 per rival class, $K - 1$ on the true class", use="multi-class SVMs (CS231n)", kwargs={"margin": 1.0}, min_ndim=1,
    ),
    LossSpec(
        "kl_divergence", "divergence", divergences.kl_divergence, divergences.kl_divergence_grad, _kl_pair,
        title="KL divergence", formula=r"\sum_k p_k \log(p_k / q_k)", gradient_formula=r"-p_k / q_k", variable="q",
        page="losses/divergences.md",
        outliers=r"unbounded as $q_k \to 0$", use="distillation, variational inference",
        bounds=(0.0, np.inf), min_ndim=1,
    ),
)
# fmt: on
"""Every loss of the package, in the order of the overview table.

Examples
--------
>>> from gradient_docs import LOSSES
>>> [spec.name for spec in LOSSES if spec.family == "regression"]
['mse', 'mae', 'huber', 'log_cosh']
"""


#: The two halves of the overview: each fits a desktop column; together they would not.
OVERVIEW_COLUMNS = {
    "formulas": ("loss", "per example", "gradient", "with respect to"),
    "behaviour": ("loss", "outliers", "typical use", "functions"),
}


def overview_table(page: str = "losses/index.md", *, columns: str = "formulas") -> str:
    r"""One half of the loss overview table, as Markdown, rendered from [LOSSES][gradient_docs.registry.LOSSES].

    One row per loss, named and linked to the page that derives it. `columns="formulas"` gives
    the loss of one example, its gradient and the variable it is taken with respect to, followed
    by a note on the notation; `columns="behaviour"` gives how the loss treats outliers, its
    typical use, and its functions (linked to the API reference).

    Parameters
    ----------
    page : str
        The page the table is shown on, relative to `docs/`: links are made relative to it.
    columns : str
        `"formulas"` (the default) or `"behaviour"`.

    Returns
    -------
    str
        A Markdown table, one line per loss after the two header lines (for the formulas, then a
        blank line and a closing note).

    Raises
    ------
    ValueError
        If `columns` is neither `"formulas"` nor `"behaviour"`.

    See Also
    --------
    - [Loss functions][loss-functions]: shows both tables in its overview.

    Examples
    --------
    >>> print(overview_table().splitlines()[2])
    | [MSE](mse.md) | $r^2$ | $2r$ | $\hat y$ |
    >>> print(overview_table(columns="behaviour").splitlines()[2])
    | [MSE](mse.md) | very sensitive: pull grows with $r$ | regression, Gaussian noise | [`mse`][gradient_docs.losses.mse], [`mse_grad`][gradient_docs.losses.mse_grad] |
    """
    if columns not in OVERVIEW_COLUMNS:
        raise ValueError(f"`columns` must be one of {sorted(OVERVIEW_COLUMNS)}; got {columns!r}")
    folder = posixpath.dirname(page)
    header = OVERVIEW_COLUMNS[columns]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for spec in LOSSES:
        link = posixpath.relpath(spec.page.split("#")[0], folder or ".") + (
            "#" + spec.page.split("#")[1] if "#" in spec.page else ""
        )
        if columns == "formulas":
            cells = [f"${spec.formula}$", f"${spec.gradient_formula}$", f"${spec.variable}$"]
        else:
            functions = ", ".join(f"[`{f.__name__}`][{f.__module__}.{f.__name__}]" for f in (spec.loss, spec.grad))
            cells = [spec.outliers, spec.use, functions]
        lines.append("| " + " | ".join([f"[{spec.title}]({link})", *cells]) + " |")
    if columns == "formulas":
        lines.append("")
        lines.append(
            r"Regression losses are written in the residual $r = \hat y - y$. The formulas are per element "
            r"(regression) or per example (classification); the functions average them: over all $n$ elements "
            r"for regression and binary losses, over the $B$ rows for multi-class losses and KL."
        )
    return "\n".join(lines)
