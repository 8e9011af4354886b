"""Every page with examples has a notebook: valid, runnable offline from a fresh namespace,
printing what the page prints, and linked from the page under both builders."""

from __future__ import annotations

import ast
import contextlib
import doctest
import io
import re
import socket

import nbformat
import pytest

from docs_build import DOCS, assets
from docs_build.checker import DOCTEST_FLAGS, ROUNDOFF, OutputChecker
from docs_build.fences import fences
from docs_build.notebooks import EXAMPLE_TAG, cells, notebook_path, pages_with_examples, pycon_cells
from docs_build.site import page_file

PAGES = pages_with_examples()


@pytest.fixture(scope="module", autouse=True)
def generated():
    assets.generate(quiet=True)


def run_cell(source: str, namespace: dict) -> str:
    """Run a code cell as Jupyter would: everything, then show the last expression's repr."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(tree, "<cell>", "exec"), namespace)  # noqa: S102 - running the notebook is the test
        if last is not None:
            value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)
            if value is not None:
                print(repr(value))
    return out.getvalue()


@pytest.fixture
def offline(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("the notebook tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def page_example_cells(page: str) -> list:
    """The cells made from the page's `>>>` examples, as the page's source writes them: what each
    prints, and whether an example in it is marked `+ROUNDOFF`."""
    text = (DOCS / page).read_text(encoding="utf-8")
    return [cell for f in fences(text) if f.lang == "pycon" for cell in pycon_cells(f)]


def test_every_page_with_examples_has_a_notebook() -> None:
    assert len(PAGES) >= 15
    for page in PAGES:
        assert (DOCS / notebook_path(page)).is_file(), page


@pytest.mark.parametrize("page", PAGES)
def test_notebook_is_valid_runs_offline_and_prints_what_the_page_prints(page: str, offline) -> None:
    nb = nbformat.read(DOCS / notebook_path(page), as_version=4)
    nbformat.validate(nb)
    assert nb.cells[0].cell_type == "code" and "import numpy as np" in nb.cells[0].source
    assert not any(">>>" in c.source or c.get("outputs") for c in nb.cells if c.cell_type == "code")
    namespace: dict = {"__name__": "__main__"}
    printed = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            output = run_cell(cell.source, namespace)
            if EXAMPLE_TAG in cell.metadata.get("tags", []):
                printed.append(output)
    expected = page_example_cells(page)
    assert len(printed) == len(expected), "the notebook's example cells are not the page's"
    checker = OutputChecker()
    for cell, got in zip(expected, printed):
        flags = DOCTEST_FLAGS | (ROUNDOFF if cell.roundoff else 0)
        assert checker.check_output(cell.want, got, flags), checker.output_difference(
            doctest.Example(cell.source, cell.want), got, flags
        )


def test_markdown_cells_keep_math_and_computed_values_and_drop_site_markup() -> None:
    prose = "\n".join(c.source for page in PAGES for c in cells(page) if c.kind == "markdown")
    assert "$" in prose and "\\frac" in prose  # the math, as Jupyter renders it
    assert "{{" not in prose  # computed values are filled in
    assert "#only-dark" not in prose and "#only-light" not in prose
    assert not re.search(r"\]\[gradient_docs\.", prose)  # no mkdocstrings cross-references left


def test_each_page_links_its_notebook(built) -> None:
    for page in PAGES:
        document = page_file(built.folder, DOCS / page).read_text(encoding="utf-8")
        href = re.search(r'<a [^>]*class="md-button notebook-link"[^>]*href="([^"]+)"', document) or re.search(
            r'<a [^>]*href="([^"]+)"[^>]*class="md-button notebook-link"', document
        )
        assert href, page
        target = (page_file(built.folder, DOCS / page).parent / href.group(1)).resolve()
        assert target.is_file() and target.suffix == ".ipynb", (page, href.group(1))
