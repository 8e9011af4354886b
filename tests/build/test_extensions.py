"""The site's Markdown extensions on tiny projects, under MkDocs and under Zensical.

Computed values (docs_build.values), KaTeX (docs_build.katex), figures (docs_build.figure_markup)
and notebook links (docs_build.notebooks): what must render, what must stay literal, and every
failure that must stop the build with the page, the line and the reason (never a dead link).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import markdown
import pytest

from docs_build import ROOT
from docs_build.katex import RENDERER_PROCESS, KatexExtension
from docs_build.site import BUILDERS, build_with

MINI_CONFIG = """\
site_name: mini
theme:
  name: material
  variant: classic
markdown_extensions:
  - docs_build.values
  - docs_build.katex
  - pymdownx.arithmatex:
      generic: true
  - pymdownx.superfences
plugins:
  - search
"""
# Every extension of the site, in mkdocs.yml's order: a page with examples needs its notebook.
ALL_EXTENSIONS = MINI_CONFIG.replace(
    "  - docs_build.katex\n",
    "  - docs_build.notebooks\n  - docs_build.figure_markup\n  - docs_build.katex\n  - attr_list\n  - md_in_html\n",
)


@pytest.fixture(params=BUILDERS)
def mini(request, tmp_path: Path):
    """A tiny project built by one builder: make({"index.md": text, "figures/x.svg": text, ...})
    -> (result, site)."""

    def make(pages: dict[str, str], root: Path = tmp_path, config_text: str = MINI_CONFIG) -> tuple[object, Path]:
        for name, text in pages.items():
            (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
            (root / "docs" / name).write_text(text, encoding="utf-8")
        config = root / "mkdocs.yml"
        config.write_text(config_text, encoding="utf-8")
        site = root / "site"
        return build_with(request.param, site, config=config), site

    make.builder = request.param
    return make


def html_of(site: Path, page: str = "index.html") -> str:
    return (site / page).read_text(encoding="utf-8")


def search_text(site: Path) -> str:
    material = site / "search/search_index.json"
    if material.is_file():
        return " ".join(d["text"] for d in json.loads(material.read_text())["docs"])
    return " ".join(d["text"] for d in json.loads((site / "search.json").read_text())["items"])


PAGE = """\
---
description: "A page with a computed value."
---

# Ratios

```pycon
>>> ratio = 104 / 2
>>> print(ratio)
52.0

```

The ratio is {{ ratio:.0f }}, in math $r = {{ ratio:.1f }}$, and `{{ ratio }}` stays code.
"""


def test_a_value_is_computed_from_the_page_code_and_follows_it(mini) -> None:
    result, site = mini({"index.md": PAGE})
    assert result.returncode == 0, result.stderr
    page = html_of(site)
    assert "The ratio is 52," in page
    assert "52.0" in page  # inside the rendered formula
    assert "<code>{{ ratio }}</code>" in page
    text = search_text(site)
    assert "The ratio is 52" in text and "ratio:.0f" not in text
    # Change the code: the sentence changes with it.
    result, site = mini({"index.md": PAGE.replace("104 / 2", "122 / 2").replace("52.0", "61.0")})
    assert result.returncode == 0, result.stderr
    assert "The ratio is 61," in html_of(site)


@pytest.mark.parametrize(
    ("field", "reason"),
    [
        ("{{ missing_name }}", "NameError: name 'missing_name' is not defined"),
        ("{{ 1 / 0 }}", "ZeroDivisionError: division by zero"),
        ("{{ ratio:.3q }}", "ValueError: Unknown format code 'q'"),
        ("{{ ratio + }}", "SyntaxError"),
    ],
    ids=["undefined", "raises", "bad-format", "syntax"],
)
def test_a_value_that_cannot_be_computed_fails_the_build_naming_page_and_line(mini, field, reason) -> None:
    result, _ = mini({"index.md": PAGE + f"\nA broken value: {field}.\n"})
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert f"index.md:16: the computed value {field} failed" in log
    assert reason in log


def test_an_example_whose_output_changed_fails_the_build(mini) -> None:
    result, _ = mini({"index.md": PAGE.replace("52.0\n", "52.5\n")})
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert "index.md: 1 of 2 examples failed while computing the page's values" in log
    assert "line 9, in index.md" in log and "52.5" in log


def test_invalid_latex_fails_the_build_naming_the_page_line_formula_and_katex_message(mini) -> None:
    result, _ = mini(
        {"index.md": "# Mini\n\nFine: $x^2$.\n", "broken.md": "# B\n\nA broken formula: $\\frac{a}{$ here.\n"}
    )
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert "broken.md:3: KaTeX could not render the formula '\\\\frac{a}{'" in log
    assert "KaTeX parse error: Unexpected end of input" in log


def test_invalid_latex_is_found_at_its_line_below_front_matter_and_computed_values(mini) -> None:
    # The formula holds a computed value and sits below the front matter, a code block and a
    # display formula: its line is the file's line, not the line of the text Markdown was given.
    broken = PAGE + "\n$$\nx = 1\n$$\n\nNow $\\fracc{r}{ {{ ratio:.0f }} }$ breaks.\n"
    result, _ = mini({"index.md": broken})
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert broken.splitlines()[19].startswith("Now ")
    assert "index.md:20: KaTeX could not render the formula '\\\\fracc{r}{ 52 }'" in log
    assert "Undefined control sequence" in log


def test_dollars_in_prose_and_code_stay_literal_and_math_is_searchable_text(mini) -> None:
    result, site = mini(
        {
            "index.md": "It costs $5 or $10 today.\n\nIn code: `$x$` and\n\n```\necho $HOME $PATH\n```\n\nBut $y^2 + \\sqrt{x}$ is math.\n"
        }
    )
    assert result.returncode == 0, result.stderr
    document = html_of(site)
    assert "It costs $5 or $10 today." in document
    assert "<code>$x$</code>" in document
    assert "echo $HOME $PATH" in document
    assert document.count('<span class="katex">') == 1
    text = search_text(site)
    assert "y² + √x" in text and "\\sqrt" not in text


def test_missing_katex_is_reported_with_the_fix(tmp_path: Path, mini) -> None:
    # A copy of the build code without node_modules next to it: the error names the fix.
    fake = tmp_path / "project"
    shutil.copytree(ROOT / "docs_build", fake / "docs_build", ignore=shutil.ignore_patterns("__pycache__"))
    import subprocess
    import sys

    code = (
        "import markdown; "
        "print(markdown.markdown('$x$', extensions=['docs_build.katex', 'pymdownx.arithmatex'], "
        "extension_configs={'pymdownx.arithmatex': {'generic': True}}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=fake, check=False)
    assert result.returncode != 0
    assert "node_modules/katex/dist is missing; run `npm ci`" in result.stderr


def test_one_node_process_renders_every_page_and_repeats_come_from_the_cache() -> None:
    def convert(text: str) -> str:
        md = markdown.Markdown(
            extensions=[KatexExtension(), "pymdownx.arithmatex"],
            extension_configs={"pymdownx.arithmatex": {"generic": True}},
        )
        return md.convert(text)

    convert("$a_1$")
    starts, process = RENDERER_PROCESS.starts, RENDERER_PROCESS.process
    cached = len(RENDERER_PROCESS.cache)
    first = convert("$a_2 + b$ and $$\\int_0^1 t\\,dt$$")
    again = convert("$a_2 + b$ and $$\\int_0^1 t\\,dt$$")
    assert first == again and 'class="katex"' in first
    assert RENDERER_PROCESS.starts == starts and RENDERER_PROCESS.process is process
    assert len(RENDERER_PROCESS.cache) == cached + 2  # two new formulas, rendered once each


def test_punctuation_touching_inline_math_is_held_to_it_and_display_math_is_left_alone() -> None:
    md = markdown.Markdown(
        extensions=[KatexExtension(), "pymdownx.arithmatex"],
        extension_configs={"pymdownx.arithmatex": {"generic": True}},
    )
    document = md.convert("Both slopes equal $\\pm\\delta$. A kink in it ($|r| = 1$), then $a$ b.\n\n$$x$$\n")
    opening = re.findall(r'<span class="gd-nowrap">([^<]*)<span class="arithmatex">', document)
    closing = re.findall(r'<span class="math-text" hidden>([^<]*)</span></span>([^<]*)</span>', document)
    assert opening == ["", "("]
    assert closing == [("±δ", "."), ("∣r∣ = 1", "),")]
    assert document.count('class="gd-nowrap"') == 2  # "$a$ b" touches nothing
    assert 'class="gd-nowrap"' not in document[document.index('<div class="arithmatex">') :]


def test_a_value_that_could_break_at_its_hyphen_is_held_together_in_prose_only() -> None:
    from docs_build.pages import PageSource
    from docs_build.values import substitute

    lines = [
        "```pycon",
        ">>> e, d = 5.1e-10, '2026-11-27'",
        "",
        "```",
        "Error {{ e:.1e }} on {{ d }}, in math $E = {{ e:.1e }}$ and {{ e:.1e }} after it.",
        "$$",
        "E = {{ e:.1e }}",
        "$$",
        '![Alt text with {{ e:.1e }} in it.](figure:x "Caption {{ e:.1e }}.")',
    ]
    out = substitute(PageSource("page.md", tuple(lines)))
    held = '<span class="gd-nowrap">5.1e-10</span>'
    assert (
        out[4]
        == f'Error {held} on <span class="gd-nowrap">2026-11-27</span>, in math $E = 5.1e-10$ and {held} after it.'
    )
    assert out[6] == "E = 5.1e-10"
    assert out[8] == '![Alt text with 5.1e-10 in it.](figure:x "Caption 5.1e-10.")'


# A drawing as the pre-build step writes it (only its size is read), and a page with a figure
# below a computed value: the line of a figure error is the file's line.
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="300pt" height="150pt"></svg>\n'
FIGURE_LINE = '![Residuals, drawn.](figure:mse-residuals "Minus the gradient, {{ ratio:.0f }} times.")'
FIGURE_PAGE = PAGE + f"\n{FIGURE_LINE}\n\nAfter the figure.\n"
NOTEBOOK = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'
DRAWN = {"figures/mse-residuals-light.svg": SVG, "figures/mse-residuals-dark.svg": SVG}
FIGURE_AT = "index.md:16"  # FIGURE_PAGE's figure line in the file


def test_figure_page_builds_with_its_drawings_and_notebook(mini) -> None:
    assert FIGURE_PAGE.splitlines()[15] == FIGURE_LINE
    result, site = mini(
        {"index.md": FIGURE_PAGE, "notebooks/index.ipynb": NOTEBOOK, **DRAWN}, config_text=ALL_EXTENSIONS
    )
    assert result.returncode == 0, result.stderr
    page = html_of(site)
    assert page.count('<figure class="gd-figure">') == 1 and "Minus the gradient, 52 times." in page
    assert page.count('height="200" loading="lazy"') == 2  # the drawing's size, read from its SVG
    assert re.search(r'<a class="md-button notebook-link"[^>]* href="(\./)?notebooks/index\.ipynb"', page)


def test_a_missing_drawing_fails_the_build_naming_page_and_line(mini) -> None:
    pages = {"index.md": FIGURE_PAGE, "notebooks/index.ipynb": NOTEBOOK, "figures/mse-residuals-light.svg": SVG}
    result, _ = mini(pages, config_text=ALL_EXTENSIONS)
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert f"{FIGURE_AT}: figure 'mse-residuals' has not been drawn: mse-residuals-dark.svg missing" in log
    assert "run `make assets`" in log


@pytest.mark.parametrize(
    "line",
    ["![Residuals, drawn.](figure:mse-residuals)", 'See ![Residuals](figure:mse-residuals "Caption.") inline.'],
    ids=["no-caption", "inside-a-paragraph"],
)
def test_a_figure_that_is_not_a_figure_line_fails_the_build_naming_page_and_line(mini, line) -> None:
    pages = {"index.md": FIGURE_PAGE.replace(FIGURE_LINE, line), "notebooks/index.ipynb": NOTEBOOK, **DRAWN}
    result, _ = mini(pages, config_text=ALL_EXTENSIONS)
    assert result.returncode != 0
    assert f"{FIGURE_AT}: a figure is a line of its own" in result.stdout + result.stderr


def test_an_unknown_figure_fails_the_build_naming_page_and_line(mini) -> None:
    pages = {"index.md": FIGURE_PAGE.replace("figure:mse-residuals", "figure:mse-residual"), **DRAWN}
    result, _ = mini({**pages, "notebooks/index.ipynb": NOTEBOOK}, config_text=ALL_EXTENSIONS)
    assert result.returncode != 0
    assert f"{FIGURE_AT}: no figure named 'mse-residual'" in result.stdout + result.stderr


def test_a_missing_notebook_fails_the_build_naming_page_and_line(mini) -> None:
    result, _ = mini({"index.md": FIGURE_PAGE, **DRAWN}, config_text=ALL_EXTENSIONS)
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert "index.md:5: the page's notebook, notebooks/index.ipynb, is missing; run `make assets`" in log
