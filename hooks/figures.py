"""Figures drawn from the package when the site is built, in a light and a dark version.

Each figure is an SVG produced by matplotlib from numbers that ``gradient_docs`` computes at
build time, so a figure can never drift from the code. The files are added to the build in
memory (``on_files``); nothing is written into ``docs/``, which would make ``mkdocs serve``
rebuild in a loop. Pages show them with Material's ``#only-light`` / ``#only-dark`` suffixes:

    ![Error against step size](figures/error-vs-step-light.svg#only-light)
    ![Error against step size](figures/error-vs-step-dark.svg#only-dark)

The SVGs are reproducible byte for byte (fixed ``svg.hashsalt``, no date in the metadata) and
keep text as paths, so they need no font from anywhere.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from mkdocs.structure.files import File, Files  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
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


FIGURES = {
    "error-vs-step": (error_vs_step, (7.5, 5.2)),
}


def render(name: str, theme_name: str) -> str:
    draw, size = FIGURES[name]
    theme = THEMES[theme_name]
    with plt.rc_context(_style(theme)):
        fig, ax = plt.subplots(figsize=size, layout="constrained")
        draw(ax, theme["lines"])
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
        plt.close(fig)
    return buffer.getvalue()


def on_files(files: Files, config) -> Files:
    for name in FIGURES:
        for theme in THEMES:
            files.append(File.generated(config, f"figures/{name}-{theme}.svg", content=render(name, theme)))
    return files
