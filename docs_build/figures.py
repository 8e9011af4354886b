"""Figures drawn from the package when the site is built, in a light and a dark version.

Each figure is an SVG produced by matplotlib from numbers that `gradient_docs` computes, so a
figure can never drift from the code. The pre-build step (`python -m docs_build.assets`) writes
them into the git-ignored folder `docs/figures/`; pages show them with the figure markup of
`docs_build.figure_markup`, `![alt text](figure:name "Caption.")`.

Every figure fits a phone: at most `MAX_WIDTH_IN` wide, panels stacked vertically, no text
smaller than `MIN_TEXT_PT`; and it tells its series apart by line style and marker as well as by
colour. The SVGs are reproducible byte for byte (fixed `svg.hashsalt`, no date in the metadata)
and keep text as paths, so they need no font from anywhere.

To add a figure, write a drawing function `draw_panels(axes, theme)` (one `Axes`, or an array of
them stacked top to bottom) and register it in `FIGURES` with its size and number of panels.
"""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Callable
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.lines import Line2D

import gradient_docs as gd
from docs_build import ROOT
from gradient_docs import autodiff as ad
from gradient_docs import examples

#: Figures fit a phone: at most this wide, text at least this large, so that on a 390 px screen
#: (350 px of column) the smallest text is still 10 pt * 4/3 * 350 / 480 = 9.7 px tall.
MAX_WIDTH_IN = 5.0
MIN_TEXT_PT = 10.0

THEMES = {
    # Material's default and slate backgrounds, text colours, a muted colour for secondary lines
    # (contours, guides), a palette of lines readable on each background, and a diverging colour
    # map whose centre (zero) is close to the background.
    "light": {
        "bg": "#ffffff",
        "fg": "#1f2328",
        "muted": "#57606a",
        "grid": "#d0d7de",
        "lines": ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#b35900", "#008080"],
        "diverging": "RdBu_r",
    },
    "dark": {
        "bg": "#1e2129",
        "fg": "#e2e4e9",
        "muted": "#9198a1",
        "grid": "#3b404d",
        "lines": ["#6cb4ee", "#ff7b72", "#7ee787", "#d2a8ff", "#f0c674", "#ffa657", "#56d4dd"],
        "diverging": "berlin",
    },
}

# The k-th series of a figure: the k-th colour of the theme, with this line style and marker, so
# that series differ in more than colour.
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 2)))
MARKERS = ("o", "s", "^", "D", "v", "P", "X")

# Error plots draw an error of exactly 0 (the difference quotient is exact in floating point) on
# this line, whose tick reads "exact", since a log axis has no 0.
EXACT_FLOOR = 1e-18


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
        "grid.linewidth": 0.5,
        "legend.facecolor": theme["bg"],
        "legend.edgecolor": theme["grid"],
        "legend.fontsize": MIN_TEXT_PT,
        "legend.frameon": False,
        "font.size": 11,
        "axes.labelsize": 11,
        "axes.titlesize": 11,
        "xtick.labelsize": MIN_TEXT_PT,
        "ytick.labelsize": MIN_TEXT_PT,
        "lines.linewidth": 1.8,
        "lines.markersize": 5,
    }


# --- shared styling ---------------------------------------------------------------------------


def _series(theme: dict, k: int) -> dict:
    """Colour, line style and marker of the k-th series (keyword arguments of `plot`)."""
    return {"color": theme["lines"][k], "linestyle": LINESTYLES[k], "marker": MARKERS[k]}


def _arrow(ax, start, end, *, color: str, linestyle: str = "-", width: float = 2.0) -> None:
    """An arrow from `start` to `end`, in data coordinates."""
    ax.annotate(
        "",
        xy=tuple(end),
        xytext=tuple(start),
        arrowprops={
            "arrowstyle": "-|>",
            "color": color,
            "linestyle": linestyle,
            "linewidth": width,
            "mutation_scale": 16,
            "shrinkA": 0,
            "shrinkB": 0,
        },
    )


def _legend_below(fig, *, ncol: int = 1) -> None:
    fig.legend(loc="outside lower center", ncol=ncol)


def _decade_ticks(axis, low: int, high: int, every: int, *, extra: dict[float, str] | None = None) -> None:
    """Labelled ticks at 10**low, 10**(low + every), ... (and at `extra`); minor ticks at every
    decade, or every tenth of `every` decades over a long range."""
    exponents = np.arange(low, high + 1, every)
    ticks = {10.0**e: _minus(f"$10^{{{e}}}$") for e in exponents} | (extra or {})
    axis.set_ticks(list(ticks), list(ticks.values()))
    axis.set_ticks(10.0 ** np.arange(low, high + 1, max(1, every // 10)), minor=True)
    axis.set_minor_formatter(matplotlib.ticker.NullFormatter())


def _error_axes(
    ax,
    *,
    xlabel: str,
    ylabel: str,
    x_decades: tuple[int, int, int],
    top: float = 10.0,
    y_decades: tuple[int, int, int] = (-16, 0, 4),
) -> None:
    """Log-log axes for errors plotted against steps: decade ticks on both axes, the x axis over
    `x_decades` = (lowest, highest exponent, labels every), the y axis labelled over `y_decades`
    from a decade below its lowest, and a tick "exact" at the floor where some error was exactly
    0. Call after plotting."""
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, which="major")
    low, high, _ = x_decades
    ax.set_xlim(10.0**low, 10.0**high)
    exact = any(np.any(np.asarray(line.get_ydata()) == EXACT_FLOOR) for line in ax.lines)
    ax.set_ylim(EXACT_FLOOR / 3 if exact else 10.0 ** (y_decades[0] - 1), top)
    _decade_ticks(ax.xaxis, *x_decades)
    _decade_ticks(ax.yaxis, *y_decades, extra={EXACT_FLOOR: "exact"} if exact else None)


def _errors(estimate: Callable[[float], float], steps, exact: float, *, relative: bool = False) -> np.ndarray:
    """|estimate(h) - exact| for every step h (relative to |exact| if asked), floored for a log axis."""
    scale = abs(exact) if relative else 1.0
    errors = np.array([abs(estimate(h) - exact) / scale for h in steps])
    return np.maximum(errors, EXACT_FLOOR)


def _measured(ax, theme: dict, k: int, steps, errors, *, label: str, hollow: bool = False, markersize=5) -> None:
    """Measured errors of the k-th series as markers only (hollow ones show what lies beneath)."""
    style = _series(theme, k)
    face = "none" if hollow else style["color"]
    ax.plot(
        steps,
        errors,
        linestyle="none",
        marker=style["marker"],
        color=style["color"],
        markerfacecolor=face,
        markersize=markersize,
        label=label,
    )


def relative_luminance(color) -> float:
    """WCAG 2 relative luminance of a matplotlib colour."""
    rgb = np.array(to_rgb(color))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ np.array([0.2126, 0.7152, 0.0722]))


def contrast(a, b) -> float:
    """WCAG 2 contrast ratio of two colours, from 1 to 21."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _minus(text: str) -> str:
    """A typographic minus sign in place of the hyphen Python formats."""
    return text.replace("-", "\u2212")


# --- the numerical-differentiation figures ------------------------------------------------------


def error_vs_step(ax, theme) -> None:
    """|error| of forward, central and complex-step derivatives of the notes' f along x.

    At (2.1, 1.3) rather than the notes' (2, 1): at a power of two, x + h and the products in f
    are exact in binary, and the forward difference comes out exactly 10 for every h < 1e-8
    (the finite-differences page shows it), which hides the rounding error this figure is about.
    """
    colors = theme["lines"]
    p = np.array([2.1, 1.3])
    exact = float(examples.f_gradient(p)[0])  # 3x^2 - 2y = 10.63
    steps = np.logspace(-15, -1, 71)  # below ~4e-16, 2 + h rounds back to 2
    eps, f_abs = np.finfo(float).eps, abs(examples.f(p))
    for k, method in enumerate(("forward", "central", "complex")):
        errors = _errors(lambda h, m=method: gd.gradient(examples.f, p, method=m, step=h)[0], steps, exact)
        _measured(ax, theme, k, steps, errors, label=method, hollow=method == "central")
    # The error terms predicted for this f: truncation 3xh + h^2 (forward) and h^2 (central and
    # complex step); rounding about eps |f| / h for the real steps, none for the complex step.
    ax.plot(steps, 3 * p[0] * steps + steps**2, color=colors[0], linewidth=1.2, label="truncation $3xh + h^2$")
    ax.plot(steps, steps**2, color=colors[1], linewidth=1.2, linestyle="--", label="truncation $h^2$")
    ax.plot(
        steps, eps * f_abs / steps, color=colors[3], linewidth=1.2, linestyle=":", label=r"rounding $\epsilon|f|/h$"
    )
    _error_axes(
        ax, xlabel="step $h$", ylabel=r"error of $\partial f/\partial x$ at $(2.1, 1.3)$", x_decades=(-15, -1, 3)
    )
    ax.axvline(1e-6, color=theme["muted"], linewidth=1)
    ax.text(1.4e-6, 2.0, "the notes'\n$h = 10^{-6}$", fontsize=MIN_TEXT_PT, va="top")
    _legend_below(ax.figure, ncol=2)


def hessian_error_vs_step(ax, theme) -> None:
    """|error| of the second differences of f(x, y) = e^x sin y at (1, 0.5) against the step h.

    Not the notes' cubic: its fourth derivative is 0, so it has no truncation error to show. Here
    every fourth derivative equals f, so the page's best step (48 eps |f| / |f''''|)^(1/4) is
    (48 eps)^(1/4) for the diagonal entry.
    """
    colors = theme["lines"]
    p = np.array([1.0, 0.5])

    def f(v):
        return float(np.exp(v[0]) * np.sin(v[1]))

    exact = {(0, 0): f(p), (0, 1): float(np.exp(p[0]) * np.cos(p[1]))}  # f_xx = f, f_xy = e^x cos y
    labels = (r"diagonal $\partial^2 f/\partial x^2$", r"mixed $\partial^2 f/\partial x \partial y$")
    steps = np.logspace(-7, -0.5, 66)
    for k, ((i, j), label) in enumerate(zip(exact, labels, strict=True)):
        errors = _errors(lambda h, i=i, j=j: gd.hessian(f, p, step=h)[i, j], steps, exact[(i, j)])
        _measured(ax, theme, k, steps, errors, label=label, hollow=k == 1)
    eps, f_abs = np.finfo(float).eps, abs(f(p))
    ax.plot(
        steps, steps**2 / 12 * f_abs, color=colors[0], linewidth=1.2, label=r"truncation $h^2|f_{xxxx}|/12$ (diagonal)"
    )
    ax.plot(
        steps,
        4 * eps * f_abs / steps**2,
        color=colors[3],
        linewidth=1.2,
        linestyle=":",
        label=r"rounding $4\epsilon|f|/h^2$",
    )
    _error_axes(
        ax, xlabel="step $h$", ylabel="error of the Hessian entry", x_decades=(-7, 0, 1), top=1.0, y_decades=(-12, 0, 2)
    )
    best = (48 * eps) ** 0.25
    ax.axvline(best, color=theme["muted"], linewidth=1)
    ax.text(best * 1.4, 0.2, r"$h^\ast = (48\epsilon)^{1/4}$", fontsize=MIN_TEXT_PT, va="top")
    _legend_below(ax.figure, ncol=1)


def check_tolerance_results():
    """check_gradient of log-sum-exp at 12 random logits: with its gradient, and with it times 1 + 1e-6."""
    x = np.random.default_rng(0).normal(size=12)

    def lse(v):
        return float(gd.logsumexp(v))

    return gd.check_gradient(lse, gd.softmax, x), gd.check_gradient(lse, lambda v: (1 + 1e-6) * gd.softmax(v), x)


def check_tolerance(ax, theme) -> None:
    """Per component of the gradient of log-sum-exp at 12 random logits: the difference between
    the analytic and the central-difference gradient, for the correct gradient and one off by a
    relative 1e-6, against check_gradient's tolerance."""
    correct, wrong = check_tolerance_results()
    k = np.arange(1, correct.analytic.size + 1)
    ax.step(k, correct.tolerance, where="mid", color=theme["fg"], linewidth=1.6, label="tolerance")
    for j, (result, label) in enumerate(((correct, "correct gradient"), (wrong, "gradient off by $10^{-6}$"))):
        difference = np.maximum(np.abs(result.analytic - result.numerical), EXACT_FLOOR)
        style = _series(theme, j)
        ax.plot(
            k, difference, linestyle="none", marker=style["marker"], color=style["color"], markersize=6, label=label
        )
    ax.set_yscale("log")
    if any(np.any(line.get_ydata() == EXACT_FLOOR) for line in ax.lines):  # a component agreed exactly
        ax.set_ylim(EXACT_FLOOR / 3, 1e-5)
        _decade_ticks(ax.yaxis, -16, -6, 2, extra={EXACT_FLOOR: "equal"})
    else:
        ax.set_ylim(1e-13, 1e-5)
        _decade_ticks(ax.yaxis, -12, -6, 2)
    ax.set_xticks(k)
    ax.set_xlabel("component $k$")
    ax.set_ylabel("$|a_k - g_k|$")
    ax.grid(True, which="major", axis="y")
    _legend_below(ax.figure, ncol=1)


def quadratic_form_gradient(ax, theme) -> None:
    """Contours of x^T A x for a non-symmetric A, with (A + A^T) x (normal to the contours) and
    the wrong 2Ax at points of one contour."""
    colors = theme["lines"]
    A = QUADRATIC_FORM_A
    xs = np.linspace(-1.6, 1.6, 161)
    X, Y = np.meshgrid(xs, xs)
    values = A[0, 0] * X**2 + (A[0, 1] + A[1, 0]) * X * Y + A[1, 1] * Y**2
    ax.contour(xs, xs, values, levels=[0.5, 1, 2, 3, 4], colors=theme["muted"], linewidths=0.9)
    ax.contour(xs, xs, values, levels=[1.0], colors=theme["fg"], linewidths=1.8)
    scale = 0.12  # the arrows' length in the plot, the same for both: their sizes compare
    for angle in np.linspace(0, 2 * np.pi, 6, endpoint=False) + 0.3:
        u = np.array([np.cos(angle), np.sin(angle)])
        point = u / np.sqrt(u @ A @ u)  # on the contour x^T A x = 1
        _arrow(ax, point, point + scale * (A + A.T) @ point, color=colors[0])
        _arrow(ax, point, point + scale * 2 * A @ point, color=colors[1], linestyle="--", width=1.6)
        ax.plot(*point, "o", color=theme["fg"], markersize=4)
    ax.set_aspect("equal")
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(xs[0], xs[-1])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    handles = [
        Line2D([], [], color=theme["fg"], linewidth=1.8, label=r"contour $x^\top A x = 1$"),
        Line2D([], [], color=colors[0], linewidth=2.0, label=r"$(A + A^\top)\,x$, the gradient"),
        Line2D([], [], color=colors[1], linewidth=1.6, linestyle="--", label="$2Ax$, wrong for this $A$"),
    ]
    ax.figure.legend(handles=handles, loc="outside lower center", ncol=1)


#: The non-symmetric matrix of the quadratic-form figure.
QUADRATIC_FORM_A = np.array([[2.0, 1.5], [-0.5, 1.0]])


def richardson_table(f: Callable[[float], float], x: float, steps: np.ndarray, columns: int) -> np.ndarray:
    """The Richardson tableau of central differences of `f` at `x`, shape (len(steps), columns).

    Row l starts from the central difference with step `steps[l]` (each half the one before), and
    T[l, k] = T[l, k-1] + (T[l, k-1] - T[l-1, k-1]) / (4^k - 1) removes the h^(2k) error term;
    entries with l < k do not exist and are NaN.
    """
    table = np.full((len(steps), columns), np.nan)
    table[:, 0] = [gd.derivative(f, x, method="central", step=h) for h in steps]
    for k in range(1, columns):
        table[k:, k] = table[k:, k - 1] + (table[k:, k - 1] - table[k - 1 : -1, k - 1]) / (4**k - 1)
    return table


def richardson_tableau(ax, theme) -> None:
    """Error of each column of the Richardson tableau of central differences of exp at 1."""
    x, exact = 1.0, float(np.exp(1.0))  # (e^x)' = e^x
    columns = 4
    steps = 0.5 / 2.0 ** np.arange(24)  # row l uses h_l = h_0 / 2^l
    table = richardson_table(np.exp, x, steps, columns)
    what = ("central differences", "one extrapolation", "two extrapolations", "three extrapolations")
    for k in range(columns):
        errors = np.maximum(np.abs(table[k:, k] - exact), EXACT_FLOOR)
        ax.plot(
            steps[k:],
            errors,
            markersize=4,
            linewidth=1.4,
            **_series(theme, k),
            label=f"$T_{{l,{k}}}$: {what[k]}, error $\\sim h^{{{2 * k + 2}}}$",
        )
    _error_axes(
        ax,
        xlabel="step $h_l = h_0 / 2^l$ of row $l$",
        ylabel="error of the derivative of $e^x$ at $1$",
        x_decades=(-8, 0, 2),
        top=1.0,
    )
    _legend_below(ax.figure, ncol=1)


def squire_trapp(t):
    """Squire and Trapp's test function e^t / sqrt(sin^3 t + cos^3 t), for real or complex t."""
    return np.exp(t) / np.sqrt(np.sin(t) ** 3 + np.cos(t) ** 3)


def squire_trapp_derivative(t: float) -> float:
    """Its derivative: f'/f = 1 - (3 sin^2 t cos t - 3 cos^2 t sin t) / (2 (sin^3 t + cos^3 t))."""
    s, c = np.sin(t), np.cos(t)
    return float(squire_trapp(t) * (1 - 1.5 * (s * s * c - c * c * s) / (s**3 + c**3)))


def complex_step_error(axes, theme) -> None:
    """Complex step against central differences, Squire and Trapp's example, h down to 1e-300.

    At x = 1.5. Top: h from 1e-16 to 1e-1, where both methods work. Bottom: down to 1e-300; below
    about 1e-16, x + h rounds to x and the central difference cannot be formed, while the complex
    step keeps its accuracy.
    """
    x, f = 1.5, squire_trapp
    exact = squire_trapp_derivative(x)
    panels = ((np.logspace(-16, -1, 61), (-16, -1, 3)), (np.logspace(-300, -1, 61), (-300, 0, 100)))
    for ax, (steps, x_decades) in zip(axes, panels):
        formable = steps[(x + steps != x) & (x - steps != x)]  # the central difference needs x +- h != x
        for k, method, hs in ((1, "central", formable), (2, "complex", steps)):
            errors = _errors(lambda h, m=method: gd.derivative(f, x, method=m, step=h), hs, exact, relative=True)
            _measured(ax, theme, k, hs, errors, label=method, markersize=4)
        _error_axes(ax, xlabel="step $h$", ylabel="relative error", x_decades=x_decades)
    axes[1].axvspan(1e-300, formable.min(), color=theme["grid"], alpha=0.6, linewidth=0)
    axes[1].text(1e-290, 1e-5, "no central difference:\n$x \\pm h$ rounds to $x$", fontsize=MIN_TEXT_PT)
    axes[0].legend(loc="upper center", ncol=2)


# --- the calculus figures ------------------------------------------------------------------------


def gradient_contours(ax, theme) -> None:
    """Contours of the notes' f around (2, 1), the gradient there, the steepest-ascent path, e_x."""
    colors = theme["lines"]
    point = np.array([2.0, 1.0])
    gradient = examples.f_gradient(point)
    direction = gradient / np.linalg.norm(gradient)  # steepest ascent: the unit gradient
    xs, ys = np.linspace(0.7, 3.0, 231), np.linspace(-0.15, 2.15, 231)
    values = _notes_f_on_grid(xs, ys)
    level = examples.f(point)
    lines = ax.contour(xs, ys, values, levels=level + 2.0 * np.arange(-2, 12), colors=theme["muted"], linewidths=0.9)
    # Label every other contour to the right of the point, in a row below the arrows.
    labelled = lines.levels[4:-2:2]
    row = examples.f(np.stack([xs, np.full_like(xs, 0.1)], axis=-1))  # f increases along x here
    places = [(float(np.interp(v, row, xs)), 0.1) for v in labelled]
    ax.clabel(lines, labelled, fontsize=MIN_TEXT_PT, fmt=lambda v: _minus(f"{v:g}"), manual=places)
    ax.contour(xs, ys, values, levels=[level], colors=theme["fg"], linewidths=2.2)
    ax.plot(*_steepest_ascent_path(point, length=1.5), color=colors[2], linestyle=":", linewidth=2.4)
    display = 0.7  # the arrows' length in the plot: the gradient's direction, not its length
    _arrow(ax, point, point + display * direction, color=colors[1])
    _arrow(ax, point, point + display * np.array([1.0, 0.0]), color=colors[0], linestyle="--", width=1.6)
    _right_angle(ax, point, direction, size=0.1, color=theme["fg"])
    ax.plot(*point, "o", color=theme["fg"], markersize=6)
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    ax.set_aspect("equal")
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    handles = [
        Line2D([], [], color=theme["fg"], linewidth=2.2, label=f"contour $f = {level:g}$ through $(2, 1)$"),
        Line2D([], [], color=colors[1], linewidth=2.0, label=r"$\nabla f(2, 1)$, scaled: steepest ascent"),
        Line2D([], [], color=colors[2], linewidth=2.4, linestyle=":", label="path of steepest ascent"),
        Line2D([], [], color=colors[0], linewidth=1.6, linestyle="--", label="$x$-axis direction $e_x$"),
    ]
    ax.figure.legend(handles=handles, loc="outside lower center", ncol=1)


def _notes_f_on_grid(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """The notes' f at every point of the grid xs by ys, shape (len(ys), len(xs)), as `contour` takes it."""
    return examples.f(np.stack(np.meshgrid(xs, ys), axis=-1))


def _steepest_ascent_path(start: np.ndarray, *, length: float, steps: int = 200) -> np.ndarray:
    """The curve through `start` along the unit gradient, `length` each way (midpoint rule): shape (2, m)."""

    def unit_gradient(p):
        g = examples.f_gradient(p)
        return g / np.linalg.norm(g)

    ds = length / steps
    halves = []
    for sign in (1.0, -1.0):
        points = [start]
        for _ in range(steps):
            p = points[-1]
            points.append(p + sign * ds * unit_gradient(p + sign * 0.5 * ds * unit_gradient(p)))
        halves.append(np.array(points))
    return np.concatenate([halves[1][::-1], halves[0][1:]]).T


def _right_angle(ax, corner: np.ndarray, along: np.ndarray, *, size: float, color: str) -> None:
    """The small square marking a right angle at `corner` between `along` and its perpendicular."""
    across = np.array([-along[1], along[0]])
    square = np.array([corner + size * along, corner + size * (along + across), corner + size * across])
    ax.plot(*square.T, color=color, linewidth=1.0)


def secant_tangent(ax, theme) -> None:
    """Forward and central secants against the tangent, for the notes' f along y = 1."""
    x, h = 1.0, 0.5

    def g(t):  # the notes' f(t, 1) = t^3 - 2t + 1
        return examples.f(np.array([t, 1.0]))

    lines = (  # (name, slope, a point the line passes through)
        ("tangent", float(examples.f_gradient([x, 1.0])[0]), x),
        ("forward secant", gd.derivative(g, x, method="forward", step=h), x),
        ("central secant", gd.derivative(g, x, method="central", step=h), x - h),
    )
    ts = np.linspace(x - 1.6 * h, x + 1.6 * h, 201)
    curve = np.array([g(t) for t in ts])
    ax.plot(ts, curve, color=theme["fg"], linewidth=2.6, label="$f(t, 1) = t^3 - 2t + 1$")
    span = np.linspace(x - 1.4 * h, x + 1.4 * h, 2)
    for k, (name, slope, t0) in enumerate(lines):
        style = _series(theme, k)
        ax.plot(
            span,
            g(t0) + slope * (span - t0),
            color=style["color"],
            linestyle=style["linestyle"],
            label=_minus(f"{name}, slope {slope:.2f}"),
        )
    samples = np.array([x - h, x, x + h])
    ax.plot(samples, [g(t) for t in samples], "o", color=theme["fg"], markersize=7)
    bottom = curve.min() - 0.9
    ax.set_ylim(bottom, curve.max() + 0.2)
    _double_arrow(ax, (x, bottom + 0.3), (x + h, bottom + 0.3), color=theme["fg"])
    ax.text(
        x + h / 2,
        bottom + 0.36,
        "$h$",
        ha="center",
        va="bottom",
        fontsize=12,
        bbox={"facecolor": theme["bg"], "edgecolor": "none", "pad": 1},
    )
    for t in samples:
        ax.axvline(t, color=theme["muted"], linewidth=0.8, linestyle=":")
    ax.set_xticks(samples, ["$x - h$", "$x$", "$x + h$"])
    ax.set_yticks([])
    ax.set_xlabel("$t$")
    ax.legend(loc="upper left")


def _double_arrow(ax, start, end, *, color: str) -> None:
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops={"arrowstyle": "<|-|>", "color": color, "linewidth": 1.2, "shrinkA": 0, "shrinkB": 0},
    )


def softmax_jacobian(ax, theme) -> None:
    """The softmax Jacobian at z = (1, 2, 3), the page's example, cell by cell, on a diverging scale at 0."""
    z = np.array([1.0, 2.0, 3.0])
    jacobian = gd.softmax_jacobian(z)
    n = len(z)
    limit = float(np.abs(jacobian).max())
    cmap = matplotlib.colormaps[theme["diverging"]]
    norm = matplotlib.colors.Normalize(-limit, limit)
    edges = np.arange(n + 1) + 0.5
    cells = ax.pcolormesh(edges, edges, jacobian, cmap=cmap, norm=norm, edgecolors=theme["muted"], linewidth=0.8)
    for (i, j), value in np.ndenumerate(jacobian):
        ax.text(
            j + 1,
            i + 1,
            _minus(f"{value:+.3f}"),
            ha="center",
            va="center",
            fontsize=MIN_TEXT_PT,
            color=_readable_on(cmap(norm(value)), theme),
            fontweight="bold" if i == j else "normal",
        )
    ax.set_xlim(0.5, n + 0.5)
    ax.set_ylim(n + 0.5, 0.5)  # row 1 at the top, as a matrix is written
    ax.set_aspect("equal")
    ticks = np.arange(1, n + 1)
    ax.set_xticks(ticks, [_minus(f"{j}\n$z = {v:g}$") for j, v in zip(ticks, z)])
    ax.set_yticks(ticks, [_minus(f"{i}  $s = {v:.2f}$") for i, v in zip(ticks, gd.softmax(z))])
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    ax.set_xlabel(r"column $j$: input $z_j$")
    ax.set_ylabel(r"row $i$: output $s_i$")
    ax.tick_params(length=0)
    bar = ax.figure.colorbar(cells, ax=ax, shrink=0.8)
    bar.set_label(r"$\partial s_i / \partial z_j$")
    bar.ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: _minus(f"{v:.1f}")))
    bar.outline.set_edgecolor(theme["muted"])


def _readable_on(fill, theme: dict) -> str:
    """The text colour, of the theme's or black or white, with the most contrast on `fill`."""
    return max((theme["fg"], theme["bg"], "#000000", "#ffffff"), key=lambda c: contrast(c, fill))


def mse_residuals(ax, theme) -> None:
    """Targets, predictions and minus the MSE gradient: where one gradient step moves each prediction."""
    colors = theme["lines"]
    targets = np.array([1.0, 2.6, 1.8, 3.2, 2.2, 0.6])
    predictions = np.array([2.1, 1.7, 2.5, 2.0, 2.65, 1.6])
    moves = -gd.mse_grad(targets, predictions)  # a gradient-descent step with learning rate 1: (2/n)(y - y_hat)
    index = np.arange(1, len(targets) + 1)
    for i, y, y_hat, move in zip(index, targets, predictions, moves):
        ax.plot([i, i], [y_hat, y], color=theme["muted"], linewidth=1.0, linestyle=":")
        _arrow(ax, (i, y_hat), (i, y_hat + move), color=colors[2], width=2.2)
    ax.plot(
        index,
        targets,
        linestyle="none",
        marker="o",
        markersize=9,
        markerfacecolor="none",
        markeredgewidth=2,
        color=colors[0],
        label="target $y_i$",
    )
    ax.plot(
        index, predictions, linestyle="none", marker="s", markersize=7, color=colors[1], label=r"prediction $\hat y_i$"
    )
    ax.plot(
        [],
        [],
        color=colors[2],
        linewidth=2.2,
        marker=">",
        markersize=7,
        label=r"$-\partial\,\mathrm{MSE} / \partial \hat y_i = (2/n)(y_i - \hat y_i)$",
    )
    ax.set_xticks(index)
    ax.set_xlabel("example $i$")
    ax.set_ylabel("value")
    ax.set_xlim(0.4, len(index) + 0.6)
    ax.grid(True, axis="y")
    _legend_below(ax.figure, ncol=1)


# --- the loss figures: the loss above, its derivative below ----------------------------------------


def _stacked_curves(
    axes, theme, x, curves, *, xlabel: str, ylabels: tuple[str, str], markevery=None, zero_line=True
) -> None:
    """Two panels sharing the x axis: `curves` is [(label, top values, bottom values)], each drawn in
    the same style in both panels, with markers placed as `plot`'s `markevery` places them (a
    float: that fraction of the panel's diagonal apart) or none, and a line at y = 0 if
    `zero_line`. One legend above both panels."""
    for k, (label, top, bottom) in enumerate(curves):
        style = _series(theme, k)
        if markevery is None:
            style["marker"] = None
        else:
            style["markevery"] = markevery
        axes[0].plot(x, top, label=label, **style)
        axes[1].plot(x, bottom, **style)
    axes[1].sharex(axes[0])
    axes[0].tick_params(labelbottom=False)
    axes[1].set_xlabel(xlabel)
    for ax, ylabel in zip(axes, ylabels):
        ax.set_ylabel(ylabel)
        ax.grid(True)
        if zero_line:
            ax.axhline(0, linewidth=0.8, color=theme["muted"])
    axes[0].figure.legend(loc="outside upper center", ncol=2)


def _per_element(loss, grad, y: float, predictions) -> tuple[np.ndarray, np.ndarray]:
    """The loss and its derivative for one example (target `y`) at each prediction."""
    return (np.array([loss([y], [v]) for v in predictions]), np.array([grad([y], [v])[0] for v in predictions]))


def regression_losses(axes, theme) -> None:
    """MSE, MAE, Huber and log-cosh of one residual r = y_hat - y, and their derivatives."""
    r = np.linspace(-3, 3, 601)
    curves = [
        ("MSE  $r^2$", *_per_element(gd.mse, gd.mse_grad, 0.0, r)),
        (r"MAE  $|r|$", *_per_element(gd.mae, gd.mae_grad, 0.0, r)),
        (r"Huber, $\delta = 1$", *_per_element(gd.huber, gd.huber_grad, 0.0, r)),
        (r"log-cosh", *_per_element(gd.log_cosh, gd.log_cosh_grad, 0.0, r)),
    ]
    _stacked_curves(
        axes,
        theme,
        r,
        curves,
        xlabel=r"residual $r = \hat y - y$",
        ylabels=("loss", r"derivative $\partial / \partial \hat y$"),
    )
    axes[0].set_ylim(-0.2, 4.5)


def binary_losses(axes, theme) -> None:
    """Binary cross-entropy of a logit z for y = 1 and y = 0, and the hinge loss for y = +1."""
    z = np.linspace(-6, 6, 601)
    bce = (gd.binary_cross_entropy_with_logits, gd.binary_cross_entropy_with_logits_grad)
    curves = [
        ("BCE, $y = 1$", *_per_element(*bce, 1.0, z)),
        ("BCE, $y = 0$", *_per_element(*bce, 0.0, z)),
        ("hinge, $y = +1$", *_per_element(gd.hinge, gd.hinge_grad, 1.0, z)),
    ]
    _stacked_curves(
        axes, theme, z, curves, xlabel="logit or score $z$", ylabels=("loss", r"derivative $\partial / \partial z$")
    )


def cross_entropy_curve(axes, theme) -> None:
    """Cross-entropy of three classes against the logit of the true class (others fixed)."""
    z1 = np.linspace(-6, 6, 601)
    y = np.array([1.0, 0.0, 0.0])
    curves = []
    for others in ((0.0, 0.0), (2.0, -1.0)):
        logits = [np.array([v, *others]) for v in z1]
        label = _minus(f"$z_2 = {others[0]:g}$, $z_3 = {others[1]:g}$")
        curves.append(
            (
                label,
                np.array([gd.cross_entropy(y, l) for l in logits]),
                np.array([gd.cross_entropy_grad(y, l)[0] for l in logits]),
            )
        )
    _stacked_curves(
        axes,
        theme,
        z1,
        curves,
        xlabel="logit of the true class $z_1$",
        ylabels=("cross-entropy", r"$\partial\,\mathrm{CE} / \partial z_1 = s_1 - 1$"),
    )


def kl_curve(axes, theme) -> None:
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
    _stacked_curves(
        axes,
        theme,
        q1,
        curves,
        xlabel="$q_1$  (and $q_2 = 1 - q_1$)",
        ylabels=(r"$\mathrm{KL}(p \,\|\, q)$", "derivative along $q_1$"),
    )
    axes[1].set_ylim(-10, 10)


# --- the learning figures ------------------------------------------------------------------------


def iris_standardised() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The learning pages' Iris data: (features, labels, training rows, test rows), the stratified
    80/20 split with seed 0 and the features standardised with the training rows' mean and
    standard deviation alone, so that nothing about the test rows leaks into training."""
    X, labels, _, _ = gd.load_iris()
    train, test = gd.stratified_split(labels, test_fraction=0.2, seed=0)
    mean, std = X[train].mean(axis=0), X[train].std(axis=0)
    return (X - mean) / std, labels, train, test


def softmax_regression_training(axes, theme) -> None:
    """Loss (top) and accuracy (bottom) of softmax regression on the Iris data at every step of
    full-batch gradient descent, on the training and the test set: the softmax-regression page's run."""
    Xs, labels, train, test = iris_standardised()
    fit = gd.train_softmax_regression(
        Xs[train], labels[train], X_test=Xs[test], labels_test=labels[test], learning_rate=1.0, steps=300, l2=1e-3
    )
    curves = [
        (f"training set, {train.size} rows", fit.loss, fit.train_accuracy),
        (f"test set, {test.size} rows", fit.test_loss, fit.test_accuracy),
    ]
    steps = np.arange(fit.loss.size)
    _stacked_curves(
        axes,
        theme,
        steps,
        curves,
        xlabel="gradient-descent step",
        ylabels=("loss $L(W, b)$", "accuracy"),
        markevery=0.08,
        zero_line=False,
    )
    # At W = 0 every class has probability 1/K: the loss starts at log K, and the accuracy at 1/K
    # (every row is predicted as class 0, and the classes are balanced).
    classes = fit.W.shape[1]
    axes[0].set_ylim(0, 1.1 * np.log(classes))
    axes[0].set_yticks(
        [0, 0.2, 0.4, 0.6, 0.8, np.log(classes)], ["0", "0.2", "0.4", "0.6", "0.8", f"$\\log {classes}$"]
    )
    axes[1].set_ylim(0.9 / classes, 1.02)
    axes[1].set_yticks(
        [1 / classes, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0], [f"1/{classes}", "0.5", "0.6", "0.7", "0.8", "0.9", "1"]
    )
    # Most of the change happens in the first steps: linear from 0 to 1, logarithmic beyond.
    axes[1].set_xscale("symlog", linthresh=1, linscale=0.4)
    axes[1].set_xlim(steps[0], steps[-1])
    ticks = [0, 1, 3, 10, 30, 100, 300]
    axes[1].set_xticks(ticks, [str(t) for t in ticks])
    axes[1].xaxis.set_minor_locator(matplotlib.ticker.NullLocator())


def gradient_descent_trajectories(ax, theme) -> None:
    """Gradient descent on the notes' f near its minimum (2/3, 2/3), from (0.7, 0.62), at learning
    rates below, just below and just above the bound 2 / lambda_max of the Hessian there: the
    gradient-descent page's 400 steps. Every iterate is a marker; lines join each path's first
    steps, which show the zigzag (the two oscillating paths' later steps would cover the panel)."""
    minimum, start = np.array([2 / 3, 2 / 3]), np.array([0.7, 0.62])
    bound = 2 / np.linalg.eigvalsh(examples.f_hessian(minimum)).max()
    xs, ys = np.linspace(0.5, 0.79, 146), np.linspace(0.54, 0.74, 101)
    levels = examples.f(minimum) + 0.001 * np.arange(1, 25) ** 2  # f - f* grows like the squared distance
    ax.contour(xs, ys, _notes_f_on_grid(xs, ys), levels=levels, colors=theme["muted"], linewidths=0.5, linestyles="-")
    rates, joined, handles = (0.3, 0.38, 0.39), 4, []
    for k, rate in enumerate(rates):
        path = gd.gradient_descent(examples.f_gradient, start, learning_rate=rate, steps=400)
        style = _series(theme, k) | {"markerfacecolor": "none" if k == 1 else None, "linewidth": 1.0}
        ax.plot(*path[: joined + 1].T, **style | {"marker": None})
        # the markers above every line, the converging paths' on top
        ax.plot(*_distinct_points(path).T, **style | {"linestyle": "none"}, markersize=3.5, zorder=3 - k / 10)
        label = _minus(f"$\\eta = {rate:g}$: {rate / bound:.1%} of the bound")
        handles.append(Line2D([], [], **style, markersize=6, label=label))
    # `rate` and `path` are now the last, above the bound: where it ends, hopping between two points
    ending = "a cycle of period 2" if np.array_equal(path[-1], path[-3]) else "the last two iterates"
    special = (
        (start, "o", _minus(f"start $({start[0]:g}, {start[1]:g})$")),
        (minimum, "+", "minimum $(2/3, 2/3)$"),
        (path[-2:], "^", f"$\\eta = {rate:g}$ after {len(path) - 1} steps: {ending}"),
    )
    rings = {"linestyle": "none", "markerfacecolor": "none", "markeredgewidth": 1.6, "color": theme["fg"]}
    for points, marker, label in special:
        ax.plot(*np.reshape(points, (-1, 2)).T, marker=marker, markersize=11, zorder=4, **rings)
        handles.append(Line2D([], [], marker=marker, markersize=9, label=label, **rings))
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    ax.set_aspect("equal")
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(matplotlib.ticker.MultipleLocator(0.05))
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    ax.set_title(f"bound $2/\\lambda_{{\\max}} = {bound:.4f}$ (Hessian at the minimum)")
    ax.figure.legend(handles=handles, loc="outside lower center")


def _distinct_points(points: np.ndarray, *, resolution: float = 1e-3) -> np.ndarray:
    """`points` (shape (m, 2)) without those closer than about `resolution` to one kept before: a
    path that settles draws hundreds of markers on one spot, which only make the SVG heavier."""
    _, first = np.unique(np.round(points / resolution), axis=0, return_index=True)
    return points[np.sort(first)]


def sigmoid_vanishing_gradient(ax, theme) -> None:
    """The gradient with respect to the logit z for a positive label: cross-entropy on the logit
    against the squared error after a sigmoid, whose factor sigma'(z) silences it where z << 0."""
    z = np.linspace(-10, 10, 801)
    _, cross_entropy = _per_element(
        gd.binary_cross_entropy_with_logits, gd.binary_cross_entropy_with_logits_grad, 1.0, z
    )
    factor = gd.sigmoid_grad(z)
    _, squared_error = _per_element(gd.mse, gd.mse_grad, 1.0, gd.sigmoid(z))
    curves = (
        (r"cross-entropy: $\sigma(z) - 1$", cross_entropy),
        (r"squared error: $2(\sigma(z) - 1)\,\sigma'(z)$", squared_error * factor),  # the chain rule
        (r"the chain rule's factor $\sigma'(z)$", factor),
    )
    for k, (label, values) in enumerate(curves):
        ax.plot(z, values, markevery=(20 + 27 * k, 80), label=label, **_series(theme, k))
    ax.axhline(0, linewidth=0.8, color=theme["muted"])
    ax.text(
        -9.6,
        -0.42,
        "confidently wrong, $z \\ll 0$:\ncross-entropy near $-1$,\nsquared error near 0",
        fontsize=MIN_TEXT_PT,
        va="center",
        bbox={"facecolor": theme["bg"], "edgecolor": "none", "pad": 1},
    )
    ax.set_xlim(z[0], z[-1])
    ax.set_xticks(np.arange(-10, 11, 5))
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: _minus(f"{v:g}")))
    ax.set_xlabel("logit $z$ (label $y = 1$)")
    ax.set_ylabel(r"$\partial \ell / \partial z$")
    ax.grid(True)
    _legend_below(ax.figure, ncol=1)


#: The reductions `softmax_regression_problem`'s loss takes from numpy for a plain evaluation
#: (`gradient_docs.autodiff` supplies its own to trace it).
_NUMPY_REDUCTIONS = SimpleNamespace(mean=np.mean, sum=np.sum, logsumexp=gd.logsumexp)


def softmax_regression_problem(features: int, *, classes: int = 10, rows: int = 100, l2: float = 0.01, seed: int = 0):
    """The autodiff page's softmax-regression problem with `features` = d: random data, a loss of
    the n = dK + K parameters in one vector, written once for numpy and for the autodiff module
    (`loss(theta, m)`, `m` supplying `mean`, `sum` and `logsumexp`), and a random point theta."""
    rng = np.random.default_rng(seed)
    X, labels = rng.normal(size=(rows, features)), rng.integers(0, classes, size=rows)

    def loss(theta, m=_NUMPY_REDUCTIONS):
        W, b = theta[: features * classes].reshape(features, classes), theta[features * classes :]
        Z = X @ W + b
        cross_entropy = m.logsumexp(Z, axis=1) - Z[np.arange(rows), labels]
        return m.mean(cross_entropy) + l2 / 2 * m.sum(W * W)

    return loss, 0.1 * rng.normal(size=features * classes + classes)


def central_evaluations(f: Callable[[np.ndarray], float], x: np.ndarray) -> int:
    """How many times `gradient_docs.gradient` evaluates `f` for one central-difference gradient at `x`."""
    calls = 0

    def counted(t):
        nonlocal calls
        calls += 1
        return f(t)

    gd.gradient(counted, x, method="central")
    return calls


def traced_graph_size(f: Callable, x: np.ndarray) -> tuple[int, int]:
    """(nodes, edges) of the graph that one traced evaluation of `f` at `x` records, as the autodiff
    page's `graph_size` counts them: the nodes the output depends on, the input among them, and
    their edges, one vector-Jacobian product each in the backward pass."""
    found = {}

    def traced(t):
        found["out"] = f(t)
        return found["out"]

    ad.value_and_grad(traced, x)
    seen, stack, edges = set(), [found["out"]], 0
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen.add(id(node))
            edges += len(node.edges)
            stack.extend(parent for parent, _ in node.edges)
    return len(seen), edges


def autodiff_cost(ax, theme) -> None:
    """The cost of one gradient of the autodiff page's softmax-regression loss, in evaluations of
    the loss, against its number of parameters n: central differences, counted at sizes small
    enough to run and 2n beyond; reverse mode, (operations + VJPs) / operations of the traced
    graph, counted at every size."""
    central, reverse = _gradient_costs()
    colors = theme["lines"]
    n_range = np.array([10.0, 2 * max(reverse)])
    ax.plot(n_range, 2 * n_range, color=colors[0], linewidth=1.2, label="$2n$")
    _measured(ax, theme, 0, list(central), list(central.values()), label="central differences, counted", markersize=7)
    sizes, costs = np.array(list(reverse)), np.array(list(reverse.values()))
    ax.plot(
        sizes,
        costs,
        **_series(theme, 1),
        markersize=6,
        label="reverse mode, counted:\n(operations + VJPs) / operations",
    )
    constant = costs.min() == costs.max()
    text = f"{costs[0]:.2f} at every $n$" if constant else f"{costs.min():.2f} to {costs.max():.2f}"
    ax.text(sizes[-1], 1.6 * costs.max(), text, ha="right", va="bottom", fontsize=MIN_TEXT_PT)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(*n_range)
    ax.set_ylim(1, 1e5)
    ax.set_xlabel("number of parameters $n$")
    ax.set_ylabel("cost of one gradient\n(evaluations of the loss)")
    ax.grid(True, which="major")
    _legend_below(ax.figure, ncol=1)


def _gradient_costs() -> tuple[dict[int, int], dict[int, float]]:
    """({n: central-difference evaluations}, {n: reverse mode's cost in evaluations}) for the autodiff
    page's problem with d = 1 ... 999 features (n = 10 d + 10). Reverse mode's graph is traced at
    every size; the central differences are run and counted at four sizes up to the page's
    n = 1000 (2340 evaluations, half a second)."""
    central, reverse = {}, {}
    for d in (1, 4, 9, 24, 49, 99, 249, 499, 999):
        loss, theta = softmax_regression_problem(d)
        nodes, edges = traced_graph_size(functools.partial(loss, m=ad), theta)
        operations = nodes - 1  # every node but the input is one operation of the forward pass
        reverse[theta.size] = (operations + edges) / operations
        if d in (1, 4, 9, 99):
            central[theta.size] = central_evaluations(loss, theta)
    return central, reverse


#: name: (draw_panels(axes, theme), (width, height) in inches, number of panels stacked vertically)
BENCHMARK_RESULTS = ROOT / "benchmarks" / "results" / "numdiff.json"


def benchmark_accuracy_cost(ax, theme) -> None:
    """Relative error against evaluations per coordinate, for every method on every benchmark
    problem, from the results file `benchmarks/numdiff.py` writes."""
    rows = json.loads(BENCHMARK_RESULTS.read_text(encoding="utf-8"))["rows"]
    methods = list(dict.fromkeys(r["method"] for r in rows if "vectorized" not in r["method"]))
    for k, method in enumerate(methods):
        mine = [r for r in rows if r["method"] == method]
        cost = np.array([r["nfev"] / r["n"] for r in mine])
        error = np.maximum([r["error"] for r in mine], EXACT_FLOOR)
        _measured(ax, theme, k, cost, error, label=method, hollow=k % 2 == 1, markersize=6)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("evaluations of $f$ per coordinate")
    ax.set_ylabel("relative error of the gradient")
    ax.grid(True, which="major")
    ax.set_ylim(EXACT_FLOOR / 3, 10)
    _decade_ticks(ax.yaxis, -16, 0, 4, extra={EXACT_FLOOR: "exact"})
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    _legend_below(ax.figure, ncol=2)


FIGURES = {
    "error-vs-step": (error_vs_step, (5.0, 5.6), 1),
    "richardson-tableau": (richardson_tableau, (5.0, 5.4), 1),
    "complex-step-error": (complex_step_error, (5.0, 6.4), 2),
    "gradient-contours": (gradient_contours, (5.0, 5.8), 1),
    "secant-tangent": (secant_tangent, (5.0, 4.4), 1),
    "softmax-jacobian": (softmax_jacobian, (5.0, 4.4), 1),
    "mse-residuals": (mse_residuals, (5.0, 4.4), 1),
    "regression-losses": (regression_losses, (5.0, 6.0), 2),
    "binary-losses": (binary_losses, (5.0, 6.0), 2),
    "cross-entropy": (cross_entropy_curve, (5.0, 6.0), 2),
    "kl-divergence": (kl_curve, (5.0, 6.0), 2),
    "softmax-regression-training": (softmax_regression_training, (5.0, 6.0), 2),
    "gradient-descent-trajectories": (gradient_descent_trajectories, (5.0, 5.4), 1),
    "sigmoid-vanishing-gradient": (sigmoid_vanishing_gradient, (5.0, 4.8), 1),
    "autodiff-cost": (autodiff_cost, (5.0, 4.8), 1),
    "benchmark-accuracy-cost": (benchmark_accuracy_cost, (5.0, 6.2), 1),
    "hessian-error-vs-step": (hessian_error_vs_step, (5.0, 5.2), 1),
    "check-tolerance": (check_tolerance, (5.0, 4.6), 1),
    "quadratic-form-gradient": (quadratic_form_gradient, (5.0, 5.6), 1),
}


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
        draw_panels(axes, theme)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
        smallest = _smallest_text(fig)  # after drawing: tick labels get their text when drawn
        plt.close(fig)
    return buffer.getvalue(), smallest


def render(name: str, theme_name: str) -> str:
    return draw(name, theme_name)[0]


def render_all():
    """(name, theme, svg, smallest text in points) for every figure in both themes."""
    for name in FIGURES:
        for theme in THEMES:
            yield name, theme, *draw(name, theme)
