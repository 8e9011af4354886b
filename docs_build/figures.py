"""Figures drawn from the package when the site is built, in a light and a dark version.

Each figure is an SVG produced by matplotlib from numbers that `gradient_docs` computes, so a
figure can never drift from the code. The pre-build step (`python -m docs_build.assets`) writes
them into the git-ignored folder `docs/figures/`; pages show them with Material's `#only-light`
/ `#only-dark` suffixes:

    ![Error against step size](figures/error-vs-step-light.svg#only-light)
    ![Error against step size](figures/error-vs-step-dark.svg#only-dark)

The SVGs are reproducible byte for byte (fixed `svg.hashsalt`, no date in the metadata) and
keep text as paths, so they need no font from anywhere. To add a figure, write a drawing
function and register it in `FIGURES`.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import gradient_docs as gd  # noqa: E402
from gradient_docs import examples  # noqa: E402

THEMES = {
    # Material's default and slate backgrounds, text colours and a palette readable on each.
    "light": {"bg": "#ffffff", "fg": "#1f2328", "grid": "#d0d7de", "lines": ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"]},
    "dark": {"bg": "#1e2129", "fg": "#e2e4e9", "grid": "#3b404d", "lines": ["#6cb4ee", "#ff7b72", "#7ee787", "#d2a8ff"]},
}


def _style(theme: dict) -> dict:
    return {
        "svg.hashsalt": "gradient-docs",
        "svg.fonttype": "path",
        "figure.facecolor": theme["bg"],
        "axes.facecolor": theme["bg"],
        "savefig.facecolor": theme["bg"],
        "axes.edgecolor": theme["fg"],
        "axes.labelcolor": theme["fg"],
        "text.color": theme["fg"],
        "xtick.color": theme["fg"],
        "ytick.color": theme["fg"],
        "grid.color": theme["grid"],
        "legend.facecolor": theme["bg"],
        "legend.edgecolor": theme["grid"],
        "font.size": 11,
    }


def error_vs_step(ax, colors) -> None:
    """|error| of forward, central and complex-step derivatives of the notes' f along x.

    At (2.1, 1.3) rather than the notes' (2, 1): at a power of two, x + h and the products in f
    are exact in binary, and the forward difference comes out exactly 10 for every h < 1e-8
    (numerical-gradients.md shows it), which hides the rounding error this figure is about.
    """
    p = np.array([2.1, 1.3])
    exact = float(examples.f_gradient(p)[0])  # 3x^2 - 2y = 10.63
    steps = np.logspace(-15, -1, 141)  # below ~4e-16, 2 + h rounds back to 2
    eps, f_abs = np.finfo(float).eps, abs(examples.f(p))
    floor = 1e-17  # results that are exactly 10 in floating point are drawn on this line
    series = (("central", colors[1], "s", 3.5), ("forward", colors[0], "o", 2.5), ("complex", colors[2], "^", 3.0))
    for method, color, marker, size in series:
        errors = np.array([abs(gd.gradient(examples.f, p, method=method, step=h)[0] - exact) for h in steps])
        ax.loglog(steps, np.maximum(errors, floor), marker=marker, markersize=size, linestyle="none", color=color,
                  markerfacecolor="none" if method == "central" else color, label=f"{method}, measured")
    # The error terms predicted for this f: truncation 3xh + h^2 (forward) and h^2 (central and
    # complex step); rounding about eps |f| / h for the real steps, none for the complex step.
    ax.loglog(steps, 3 * p[0] * steps + steps**2, color=colors[0], linewidth=1.2, label="forward truncation $3xh + h^2$")
    ax.loglog(steps, steps**2, color=colors[1], linewidth=1.2, linestyle="--", label="central / complex truncation $h^2$")
    ax.loglog(steps, eps * f_abs / steps, color=colors[3], linewidth=1.2, linestyle=":", label=r"rounding $\epsilon|f|/h$")
    ax.axvline(1e-6, color=colors[3], linewidth=1, alpha=0.6)
    ax.text(1.4e-6, 2.0, "the notes' $h = 10^{-6}$", fontsize=9, va="top")
    ax.text(1.3e-15, 1.6e-17, "exact", fontsize=8, va="bottom")
    ax.set_ylim(floor / 2, 10)
    ax.set_xlim(1e-15, 1e-1)
    ax.set_xlabel("step $h$")
    ax.set_ylabel(r"error of $\partial f/\partial x$ at $(2.1, 1.3)$")
    ax.grid(True, which="major", linewidth=0.5)
    ax.figure.legend(fontsize=8.5, loc="outside lower center", ncol=3, frameon=False)


def _two_panels(axes, colors, x, curves, xlabel, titles) -> None:
    """Loss (left) and derivative (right) against ``x``; ``curves`` is [(label, loss, grad)]."""
    styles = ("-", "--", "-.", ":")
    for (label, loss, grad), color, style in zip(curves, colors, styles):
        axes[0].plot(x, loss, color=color, linestyle=style, linewidth=1.8, label=label)
        axes[1].plot(x, grad, color=color, linestyle=style, linewidth=1.8, label=label)
    for ax, title in zip(axes, titles):
        ax.set_xlabel(xlabel)
        ax.set_title(title, fontsize=11)
        ax.grid(True, linewidth=0.5)
        ax.axhline(0, linewidth=0.8, color=ax.xaxis.label.get_color(), alpha=0.5)
    axes[0].legend(fontsize=9)


def regression_losses(axes, colors) -> None:
    """MSE, MAE, Huber and log-cosh of one residual r = y_hat - y, and their derivatives."""
    r = np.linspace(-3, 3, 601)

    def per_element(loss, grad):  # one element: the mean is the per-element loss
        return np.array([loss([0.0], [v]) for v in r]), np.array([grad([0.0], [v])[0] for v in r])

    curves = [
        ("MSE  $r^2$", *per_element(gd.mse, gd.mse_grad)),
        (r"MAE  $|r|$", *per_element(gd.mae, gd.mae_grad)),
        (r"Huber, $\delta = 1$", *per_element(gd.huber, gd.huber_grad)),
        (r"log-cosh", *per_element(gd.log_cosh, gd.log_cosh_grad)),
    ]
    _two_panels(axes, colors, r, curves, r"residual $r = \hat y - y$", ("loss", r"derivative $\partial / \partial \hat y$"))
    axes[0].set_ylim(-0.2, 4.5)


def binary_losses(axes, colors) -> None:
    """Binary cross-entropy of a logit z for y = 1 and y = 0, and the hinge loss for y = +1."""
    z = np.linspace(-6, 6, 601)
    curves = []
    for label, y in (("BCE, $y = 1$", 1.0), ("BCE, $y = 0$", 0.0)):
        loss = np.array([gd.binary_cross_entropy_with_logits([y], [v]) for v in z])
        grad = np.array([gd.binary_cross_entropy_with_logits_grad([y], [v])[0] for v in z])
        curves.append((label, loss, grad))
    hinge = np.array([gd.hinge([1.0], [v]) for v in z])
    hinge_grad = np.array([gd.hinge_grad([1.0], [v])[0] for v in z])
    curves.append(("hinge, $y = +1$", hinge, hinge_grad))
    _two_panels(axes, colors, z, curves, "logit or score $z$", ("loss", r"derivative $\partial / \partial z$"))


def cross_entropy_curve(axes, colors) -> None:
    """Cross-entropy of three classes against the logit of the true class (others at 0)."""
    z1 = np.linspace(-6, 6, 601)
    y = np.array([1.0, 0.0, 0.0])
    curves = []
    for label, others in (("other logits 0, 0", (0.0, 0.0)), ("other logits 2, -1", (2.0, -1.0))):
        logits = [np.array([v, *others]) for v in z1]
        curves.append(
            (
                label,
                np.array([gd.cross_entropy(y, l) for l in logits]),
                np.array([gd.cross_entropy_grad(y, l)[0] for l in logits]),
            )
        )
    _two_panels(
        axes, colors, z1, curves, "logit of the true class $z_1$",
        ("cross-entropy", r"$\partial\,\mathrm{CE} / \partial z_1 = s_1 - 1$"),
    )


def kl_curve(axes, colors) -> None:
    """KL(p || q) for two-outcome distributions, against q_1 (with q_2 = 1 - q_1)."""
    q1 = np.linspace(0.01, 0.99, 491)
    curves = []
    for p1 in (0.3, 0.7):
        p = np.array([p1, 1 - p1])
        qs = [np.array([v, 1 - v]) for v in q1]
        loss = np.array([gd.kl_divergence(p, q) for q in qs])
        # along the simplex: d/dq1 KL(p || (q1, 1 - q1)) = dKL/dq_1 - dKL/dq_2
        grad = np.array([gd.kl_divergence_grad(p, q) @ np.array([1.0, -1.0]) for q in qs])
        curves.append((f"$p = ({p1:g}, {1 - p1:g})$", loss, grad))
    _two_panels(axes, colors, q1, curves, "$q_1$  (and $q_2 = 1 - q_1$)", (r"$\mathrm{KL}(p \,\|\, q)$", r"derivative along $q_1$"))
    axes[1].set_ylim(-10, 10)


FIGURES = {
    "error-vs-step": (error_vs_step, (7.5, 5.2), 1),
    "regression-losses": (regression_losses, (9.0, 3.8), 2),
    "binary-losses": (binary_losses, (9.0, 3.8), 2),
    "cross-entropy": (cross_entropy_curve, (9.0, 3.8), 2),
    "kl-divergence": (kl_curve, (9.0, 3.8), 2),
}


#: Figures fit a phone: at most this wide, text at least this large, so that on a 390 px screen
#: (350 px of column) the smallest text is still 10 pt * 4/3 * 350 / 480 = 9.7 px tall.
MAX_WIDTH_IN = 5.0
MIN_TEXT_PT = 10.0


def _smallest_text(fig) -> float:
    """The size in points of the smallest visible text of a drawn figure."""
    sizes = [t.get_fontsize() for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text().strip()]
    return min(sizes)


def draw(name: str, theme_name: str):
    """The figure `name` drawn in `theme_name`'s colours: (svg text, smallest text in points)."""
    draw_panels, size, panels = FIGURES[name]
    theme = THEMES[theme_name]
    with plt.rc_context(_style(theme)):
        fig, axes = plt.subplots(panels, 1, figsize=size, layout="constrained")
        draw_panels(axes, theme["lines"])
        smallest = _smallest_text(fig)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
        plt.close(fig)
    return buffer.getvalue(), smallest


def render(name: str, theme_name: str) -> str:
    return draw(name, theme_name)[0]


def render_all():
    """(name, theme, svg, smallest text in points) for every figure in both themes."""
    for name in FIGURES:
        for theme in THEMES:
            yield name, theme, *draw(name, theme)
