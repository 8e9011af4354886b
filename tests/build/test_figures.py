"""Every figure of `docs_build.figures`: drawn in both themes on the theme's background, the same
bytes in a fresh process, no wider than a phone allows, no text too small to read there, and
loading nothing from outside the SVG.

The instruments (the SVG width, background and reference parsers, the smallest-text measure of
`figures.draw`) are themselves tested on planted faults: a 9-inch figure, an 8 pt legend, a
foreign background, a linked image.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import subprocess
import sys

import matplotlib
import numpy as np
import pytest

import gradient_docs as gd
from docs_build import ROOT, figures
from gradient_docs import autodiff as ad
from gradient_docs import examples

NAMES = list(figures.FIGURES)
THEMES = list(figures.THEMES)


@functools.cache
def drawn(name: str, theme: str) -> tuple[str, float]:
    """(svg, smallest text in points), drawn once per test session."""
    return figures.draw(name, theme)


def width_in(svg: str) -> float:
    """The width of the SVG's root element in inches (matplotlib writes it in points)."""
    root = re.search(r"<svg\b[^>]*>", svg)
    assert root, "no <svg> element"
    width = re.search(r'\bwidth="([\d.]+)pt"', root.group(0))
    assert width, f"no width in points on {root.group(0)!r}"
    return float(width.group(1)) / 72


def background(svg: str) -> str:
    """The fill of the figure's background patch, the first shape matplotlib draws."""
    patch = re.search(r'<g id="patch_1">\s*<path d="[^"]*"\s*style="fill: (#[0-9a-f]{6})', svg)
    assert patch, "no figure background patch"
    return patch.group(1)


def external_references(svg: str) -> list[str]:
    """Everything in the SVG that would make a browser fetch something or need a font: links that
    are not to the SVG's own ids or inline data, url() outside the document, imports, scripts and
    text elements (matplotlib writes text as paths, so a <text> would need a font)."""
    found = [
        ref
        for ref in re.findall(r'\b(?:xlink:href|href|src)="([^"]*)"', svg)
        if not ref.startswith(("#", "data:image/png;base64,"))
    ]
    found += [f"url({ref})" for ref in re.findall(r"url\(\s*['\"]?([^)'\"]*)", svg) if not ref.startswith("#")]
    found += re.findall(r"@import[^;]*|@font-face|<script\b|<text\b|<foreignObject\b", svg)
    return found


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("name", NAMES)
def test_figure_is_drawn_on_its_theme_background(name: str, theme: str) -> None:
    svg, _ = drawn(name, theme)
    assert svg.startswith("<?xml") and svg.rstrip().endswith("</svg>")
    assert background(svg) == figures.THEMES[theme]["bg"]


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("name", NAMES)
def test_figure_is_no_wider_than_a_phone_allows(name: str, theme: str) -> None:
    width = width_in(drawn(name, theme)[0])
    assert width <= figures.MAX_WIDTH_IN, f"{name} is {width:g} in wide"


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("name", NAMES)
def test_figure_text_is_large_enough_to_read_on_a_phone(name: str, theme: str) -> None:
    assert drawn(name, theme)[1] >= figures.MIN_TEXT_PT


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("name", NAMES)
def test_figure_loads_nothing_external(name: str, theme: str) -> None:
    assert external_references(drawn(name, theme)[0]) == []


RENDER_IN_A_FRESH_PROCESS = """
import hashlib, json
from docs_build import figures
print(json.dumps({n: hashlib.sha256(figures.render(n, "light").encode()).hexdigest() for n in figures.FIGURES}))
"""


@pytest.fixture(scope="module")
def digests_from_a_fresh_process() -> dict[str, str]:
    """Each figure's light SVG digest, drawn by another Python process (another hash seed)."""
    result = subprocess.run(
        [sys.executable, "-c", RENDER_IN_A_FRESH_PROCESS], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize("name", NAMES)
def test_figure_is_the_same_bytes_when_drawn_again(name: str, digests_from_a_fresh_process) -> None:
    svg = drawn(name, "light")[0]
    assert figures.render(name, "light") == svg, f"{name} differs when drawn again in this process"
    assert digests_from_a_fresh_process[name] == hashlib.sha256(svg.encode()).hexdigest()


def test_theme_colours_are_readable_on_their_background() -> None:
    assert figures.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert figures.contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # WCAG's grey at AA
    for name, least in (("light", 3.0), ("dark", 4.5)):
        theme = figures.THEMES[name]
        assert figures.contrast(theme["fg"], theme["bg"]) >= 7
        assert figures.contrast(theme["muted"], theme["bg"]) >= 4.5
        assert all(figures.contrast(line, theme["bg"]) >= least for line in theme["lines"]), name


@pytest.mark.parametrize("theme", THEMES)
def test_heatmap_values_are_readable_on_every_colour_of_the_map(theme: str) -> None:
    palette = figures.THEMES[theme]
    cmap = matplotlib.colormaps[palette["diverging"]]
    for fill in cmap(np.linspace(0, 1, 257)):
        assert figures.contrast(figures._readable_on(fill, palette), fill) >= 4.5, fill


# --- what the figures compute beyond the package ---------------------------------------------------


@pytest.mark.parametrize("x", [0.5, 1.0, 1.5])
def test_squire_trapp_derivative_matches_the_complex_step(x: float) -> None:
    # At h = 1e-20 the complex step's truncation error, |f'''| h^2 / 6, is below 1e-38, and it
    # subtracts nothing: both sides are a dozen roundings of about eps each away from f'(x).
    numeric = gd.derivative(figures.squire_trapp, x, method="complex", step=1e-20)
    exact = figures.squire_trapp_derivative(x)
    assert abs(exact - numeric) <= 20 * np.finfo(float).eps * abs(exact)


def test_richardson_table_columns_converge_with_orders_2_4_6_8() -> None:
    # Column k's error is c_k h^(2k+2) (1 + O(H^2)), H the largest step of the entry, so halving h
    # divides it by 4^(k+1). For exp the O(H^2) share is at most 3 H^2 / 80 (column 0, from
    # sinh(h)/h = 1 + h^2/6 + h^4/120) and smaller in later columns: under 4% for H <= 1. Entries
    # with errors above 1e-12 keep rounding (about 1e-14) under 1% of them. Tolerance: 5%.
    steps = 4.0 / 2.0 ** np.arange(12)
    errors = np.abs(figures.richardson_table(np.exp, 1.0, steps, 4) - np.e)
    for k in range(4):
        rows = [l for l in range(k + 1, len(steps)) if steps[l - 1 - k] <= 1 and errors[l, k] > 1e-12]
        assert rows, f"column {k}: no entry to test"
        ratios = errors[np.array(rows) - 1, k] / errors[rows, k]
        assert np.allclose(ratios, 4 ** (k + 1), rtol=0.05), (k, ratios)


def test_steepest_ascent_path_follows_the_gradient_and_climbs() -> None:
    start = np.array([2.0, 1.0])
    path = figures._steepest_ascent_path(start, length=1.5).T
    assert np.any(np.all(path == start, axis=1))
    chords = np.diff(path, axis=0)
    middles = (path[1:] + path[:-1]) / 2
    gradients = examples.f_gradient(middles)
    cosines = np.sum(chords * gradients, axis=1) / np.linalg.norm(chords, axis=1) / np.linalg.norm(gradients, axis=1)
    # The figure claims a path of steepest ascent: each chord within 0.01 rad (0.6 degrees, which
    # no reader can see) of the gradient at its middle. The midpoint rule's steps of 0.0075 stay
    # near 7e-4 rad even where the path bends towards the minimum at (2/3, 2/3); a path along a
    # contour would be off by pi/2.
    assert np.all(np.arccos(np.clip(cosines, -1, 1)) < 0.01)
    assert np.all(np.diff(examples.f(path)) > 0)


def test_iris_features_are_standardised_with_the_training_rows_alone() -> None:
    Xs, labels, train, test = figures.iris_standardised()
    X, raw_labels, _, _ = gd.load_iris()
    assert np.array_equal(labels, raw_labels)
    assert np.array_equal(np.sort(np.concatenate([train, test])), np.arange(len(labels)))
    # The training columns have mean 0 and standard deviation 1 up to rounding: the training mean
    # of 120 values below 7.9 in size is off by at most 120 eps 7.9 = 2e-13, divided by a standard
    # deviation of at least 0.45, plus a few eps per entry: under 1e-12. Statistics over all 150
    # rows would put them 0.02 and more away.
    assert np.abs(Xs[train].mean(axis=0)).max() < 1e-12
    assert np.abs(Xs[train].std(axis=0) - 1).max() < 1e-12
    # The test rows are mapped by the same shift and scale (rounding: a few eps of |X| <= 7.9).
    shift, scale = X[train].mean(axis=0), X[train].std(axis=0)
    assert np.abs(Xs[test] * scale + shift - X[test]).max() < 1e-13


def test_traced_graph_size_counts_each_node_and_edge_once() -> None:
    # sum(u * u + 2t) with u = exp(t): nodes t, u, u * u, 2t, the sum of those two, and the total:
    # 6. Edges: u <- t; u * u <- u twice (a node used twice is two uses); 2t <- t (the constant 2
    # gets no edge); the sum <- u * u and 2t; the total <- the sum: 7. A walk that visited u once
    # per path reaching it would count its edge twice.
    def f(t):
        u = ad.exp(t)
        return ad.sum(u * u + 2.0 * t)

    assert figures.traced_graph_size(f, np.ones(3)) == (6, 7)


@pytest.mark.parametrize("n", [1, 3, 20])
def test_central_evaluations_counts_every_call(n: int) -> None:
    # Central differences evaluate f at x + h e_i and x - h e_i for each of the n entries.
    points = []

    def f(t):
        points.append(np.array(t))
        return float(np.sum(t**2))

    assert figures.central_evaluations(f, np.linspace(1.0, 2.0, n)) == len(points) == 2 * n


def test_distinct_points_leave_every_iterate_under_a_marker() -> None:
    path = gd.gradient_descent(examples.f_gradient, [0.7, 0.62], learning_rate=0.39, steps=400)
    kept = figures._distinct_points(path, resolution=1e-3)
    assert np.array_equal(kept[0], path[0])
    # A point dropped shares its grid cell of side 1e-3 with a kept one, so lies within 1e-3 sqrt(2)
    # of it: 1.5 pt in the figure (0.29 data units across 4.3 in), inside the kept 3.5 pt marker.
    nearest = np.linalg.norm(path[:, None, :] - kept[None, :, :], axis=2).min(axis=1)
    assert nearest.max() < 1e-3 * np.sqrt(2)
    assert len(kept) < len(path) / 4  # a path settling into a 2-cycle repeats two points


# --- the instruments catch planted faults --------------------------------------------------------


def _planted(*, legend_pt: float = 10, tick_pt: float = 10, label_pt: float = 10):
    """A drawing function with the given text sizes."""

    def draw_panels(ax, theme) -> None:
        ax.plot([0, 1], [0, 1], color=theme["lines"][0], label="line")
        ax.legend(fontsize=legend_pt)
        ax.tick_params(labelsize=tick_pt)
        ax.set_xlabel("x", fontsize=label_pt)

    return draw_panels


@pytest.mark.parametrize("fault", ["legend_pt", "tick_pt", "label_pt"])
def test_planted_small_text_is_measured(monkeypatch, fault: str) -> None:
    monkeypatch.setitem(figures.FIGURES, "planted", (_planted(**{fault: 8}), (4.0, 3.0), 1))
    assert figures.draw("planted", "light")[1] == 8
    monkeypatch.setitem(figures.FIGURES, "planted", (_planted(), (4.0, 3.0), 1))
    assert figures.draw("planted", "light")[1] == 10


def test_a_planted_wide_figure_is_caught(monkeypatch) -> None:
    monkeypatch.setitem(figures.FIGURES, "planted", (_planted(), (9.0, 3.0), 1))
    assert width_in(figures.render("planted", "dark")) == pytest.approx(9.0)


def test_a_planted_foreign_background_is_caught(monkeypatch) -> None:
    style = figures._style
    monkeypatch.setattr(figures, "_style", lambda theme: style(theme) | {"savefig.facecolor": "#123456"})
    assert background(figures.render(NAMES[0], "dark")) == "#123456"


def test_planted_external_references_are_caught() -> None:
    clean = drawn(NAMES[0], "light")[0]
    planted = {
        '<image xlink:href="figure.png"/>': ["figure.png"],
        '<image href="https://example.org/a.png"/>': ["https://example.org/a.png"],
        '<path style="fill: url(https://example.org/x.svg#p)"/>': ["url(https://example.org/x.svg#p)"],
        "<style>@import url(#x);</style>": ["@import url(#x)"],
        '<text x="0">exact</text>': ["<text"],
    }
    for fragment, expected in planted.items():
        assert external_references(clean.replace("</svg>", fragment + "</svg>")) == expected, fragment


def test_an_image_inlined_by_matplotlib_is_not_external(monkeypatch) -> None:
    def image(ax, theme) -> None:
        ax.imshow(np.arange(16.0).reshape(4, 4))

    monkeypatch.setitem(figures.FIGURES, "image", (image, (2.0, 2.0), 1))
    svg = figures.render("image", "dark")
    assert "data:image/png;base64," in svg
    assert external_references(svg) == []


# --- what the newer figures' captions claim -------------------------------------------------------


def test_the_check_tolerance_separates_the_correct_gradient_from_the_wrong_one_in_every_component() -> None:
    correct, wrong = figures.check_tolerance_results()
    assert correct.passed and not wrong.passed
    assert np.all(np.abs(correct.analytic - correct.numerical) <= correct.tolerance)
    assert np.all(np.abs(wrong.analytic - wrong.numerical) > wrong.tolerance)


def test_only_a_plus_a_transpose_x_is_normal_to_the_contours_of_the_quadratic_form() -> None:
    A = figures.QUADRATIC_FORM_A
    assert not np.allclose(A, A.T)

    def on_contour(angle: float) -> np.ndarray:  # the point of x^T A x = 1 in direction `angle`
        u = np.array([np.cos(angle), np.sin(angle)])
        return u / np.sqrt(u @ A @ u)

    for angle in np.linspace(0, 2 * np.pi, 7):
        x = on_contour(angle)
        tangent = (on_contour(angle + 1e-6) - on_contour(angle - 1e-6)) / 2e-6  # along the contour
        unit = tangent / np.linalg.norm(tangent)
        normal, wrong = (A + A.T) @ x, 2 * A @ x
        assert abs(unit @ normal) < 1e-8 * np.linalg.norm(normal)
        assert abs(unit @ wrong) > 0.05 * np.linalg.norm(wrong)


def test_the_hessian_diagonal_error_is_smallest_near_the_boxed_step() -> None:
    # f = e^x sin y at (1, 0.5): f_xxxx = f, so h* = (48 eps)^(1/4); the measured minimum lies
    # within a factor of 4 of it (rounding makes the measured curve ragged near its bottom).
    p = np.array([1.0, 0.5])

    def f(v):
        return float(np.exp(v[0]) * np.sin(v[1]))

    steps = np.logspace(-7, -0.5, 66)
    errors = [abs(gd.hessian(f, p, step=h)[0, 0] - f(p)) for h in steps]
    best = (48 * np.finfo(float).eps) ** 0.25
    assert best / 4 <= steps[int(np.argmin(errors))] <= 4 * best


def test_every_page_that_teaches_a_concept_shows_a_figure_but_two() -> None:
    # Pages that teach: not the home page, the notation, the notes, a chapter's roadmap, its
    # exercises or the API reference. The two without a figure are named here.
    from docs_build import DOCS
    from docs_build.site import PAGES

    def teaches(page) -> bool:
        relative = page.relative_to(DOCS)
        return relative.parts[0] != "api" and relative.name not in {
            "index.md",
            "exercises.md",
            "notation.md",
            "notes.md",
        }

    without = {
        str(p.relative_to(DOCS)) for p in PAGES if teaches(p) and "](figure:" not in p.read_text(encoding="utf-8")
    }
    assert without == {"learning/linear-layer.md", "learning/two-layer-network.md"}
