"""A Jupyter notebook per page with examples, and the page's link to it.

`write_all` (run by the pre-build step) turns each page of `docs/` that has examples into
`docs/notebooks/<page>.ipynb`:

- the prose becomes Markdown cells, with the math kept as `$...$` (Jupyter renders it) and the
  computed values filled in; admonitions become quoted paragraphs, links to other pages and
  figures point at the published site;
- `python` fences and the `>>>` examples of `pycon` fences become code cells, without prompts
  and without expected output. An example whose value the page shows (a bare expression)
  ends its cell, so the notebook shows that value where the page does;
- a first code cell imports what the page assumes.

The notebook extension (`docs_build.notebooks` under `markdown_extensions`) puts a "Download
notebook" link under the title of every page that has one; a missing notebook fails the build
naming the page and the line, rather than publishing a dead link. The tests run every notebook
top to bottom in a fresh namespace and compare what it prints with what the page's examples print.
"""

from __future__ import annotations

import ast
import doctest
import os
import re
from dataclasses import dataclass
from pathlib import Path

from markdown import Extension

from docs_build import DOCS, live
from docs_build.checker import ROUNDOFF, strip_directives
from docs_build.fences import RUN_BY_MARKDOWN_DOCS, Fence, fences
from docs_build.pages import PageSource, current_file, relative_to_page, split_front_matter
from docs_build.values import substitute

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000/")
NOTEBOOKS = "notebooks"
ADMONITION = re.compile(r'^(?P<indent>\s*)(?:!!!|\?\?\?\+?)\s+(?P<kind>\w+)(?:\s+"(?P<title>[^"]*)")?\s*$')
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)[^)]*\)(?:\{[^}]*\})?")
LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]+)\]\((?P<href>[^)\s]+\.md)(?P<anchor>#[^)\s]*)?\)")
AUTOREF = re.compile(r"\[(?P<text>[^\]]+)\]\[[\w.]*\]")


#: The tag of code cells made from a page's `>>>` examples, whose output the page shows.
EXAMPLE_TAG = "page-example"


@dataclass(frozen=True)
class Cell:
    kind: str  # "markdown" or "code"
    source: str
    from_examples: bool = False  # made from `>>>` examples: prints what the page shows
    want: str = ""  # ... which is this (the examples' expected output)
    roundoff: bool = False  # ... up to round-off: an example of the cell is marked +ROUNDOFF


def runnable(fence: Fence) -> bool:
    return (fence.lang in RUN_BY_MARKDOWN_DOCS and fence.skip_reason is None) or (
        fence.lang == "pycon" and bool(fence.prompt_lines())
    )


def has_examples(text: str) -> bool:
    return any(runnable(fence) for fence in fences(text))


def notebook_path(page: str) -> str:
    """`losses/binary.md` -> `notebooks/losses/binary.ipynb` (relative to docs/)."""
    return f"{NOTEBOOKS}/{page.removesuffix('.md')}.ipynb"


def page_url(page: str) -> str:
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def _shows_value(source: str) -> bool:
    """Is the last statement a bare expression other than a print() call (so a REPL shows it)?"""
    body = ast.parse(source).body
    if not body or not isinstance(body[-1], ast.Expr):
        return False
    call = body[-1].value
    return not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "print")


def pycon_cells(fence: Fence) -> list[Cell]:
    """A pycon fence as code cells: each example the page shows a value of ends a cell."""
    cells, pending = [], []

    def close() -> None:
        source = "\n".join(strip_directives(e.source.rstrip("\n")) for e in pending)
        roundoff = any(e.options.get(ROUNDOFF) for e in pending)
        cells.append(Cell("code", source, True, "".join(e.want for e in pending), roundoff))
        pending.clear()

    for example in doctest.DocTestParser().get_examples(fence.code):
        pending.append(example)
        if example.want and _shows_value(example.source):
            close()
    if pending:
        close()
    return cells


def _markdown(lines: list[str], page: str) -> str:
    """Prose for Jupyter: admonitions as quotes, images and page links pointing at the site."""
    out, quote_indent = [], None
    for line in lines:
        match = ADMONITION.match(line)
        if match:
            quote_indent = len(match["indent"]) + 4
            title = match["title"] or match["kind"].capitalize()
            out.append(f"> **{title}**")
            continue
        if quote_indent is not None:
            if line.strip() and len(line) - len(line.lstrip()) < quote_indent:
                quote_indent = None
            else:
                out.append(("> " + line[quote_indent:]).rstrip())
                continue
        out.append(line)
    text = "\n".join(out)
    base = SITE_URL + page_url(page)
    text = IMAGE.sub(lambda m: "" if "#only-dark" in m["src"] else f"[Figure: {m['alt']}]({base})", text)
    text = LINK.sub(
        lambda m: f"[{m['text']}]({SITE_URL}{page_url(_resolve(page, m['href']))}{m['anchor'] or ''})", text
    )
    text = AUTOREF.sub(lambda m: m["text"], text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _resolve(page: str, href: str) -> str:
    parts = list(Path(page).parent.parts)
    for part in href.split("/"):
        if part == "..":
            parts = parts[:-1]
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def cells(page: str) -> list[Cell]:
    """The notebook of the page at `page` (relative to docs/), as cells."""
    front, body = split_front_matter((DOCS / page).read_text(encoding="utf-8"))
    lines = substitute(PageSource(page, tuple(body.splitlines()), front.count("\n") + 1))
    result: list[Cell] = [Cell("code", _first_cell(page, "\n".join(lines)))]
    prose: list[str] = []
    cursor = 0
    for fence in fences("\n".join(lines)):
        prose.extend(lines[cursor : fence.line - 1])
        cursor = fence.line + len(fence.lines) + 1
        if not runnable(fence):
            prose.extend(lines[fence.line - 1 : cursor])
            continue
        if any(line.strip() for line in prose):
            result.append(Cell("markdown", _markdown(prose, page)))
        prose = []
        result.extend(pycon_cells(fence) if fence.lang == "pycon" else [Cell("code", fence.code.strip("\n"))])
    prose.extend(lines[cursor:])
    if any(line.strip() for line in prose):
        result.append(Cell("markdown", _markdown(prose, page)))
    return result


def _first_cell(page: str, text: str) -> str:
    """Imports the page's code uses before it defines them (numpy as np, gradient_docs names)."""
    import gradient_docs

    code = "\n".join(
        "\n".join(e.source for e in doctest.DocTestParser().get_examples(f.code)) if f.lang == "pycon" else f.code
        for f in fences(text)
        if runnable(f)
    )
    tree = ast.parse(code)
    bound = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    bound |= {
        (a.asname or a.name).split(".")[0]
        for n in ast.walk(tree)
        if isinstance(n, (ast.Import, ast.ImportFrom))
        for a in n.names
    }
    bound |= {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    lines = [
        f"# From {SITE_URL}{page_url(page)}",
        "# Needs numpy and the gradient_docs package (see the site's README).",
        "import numpy as np",
    ]
    library = sorted(name for name in used - bound if name in gradient_docs.__all__)
    if library:
        lines.append(f"from gradient_docs import {', '.join(library)}")
    return "\n".join(lines)


def notebook(page: str) -> dict:
    """The page's notebook as an nbformat 4 dictionary (cell ids are stable: the file is reproducible)."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for i, cell in enumerate(cells(page)):
        if cell.kind == "markdown":
            nb.cells.append(nbformat.v4.new_markdown_cell(cell.source, id=f"cell-{i}"))
        else:
            tags = {"tags": [EXAMPLE_TAG]} if cell.from_examples else {}
            nb.cells.append(nbformat.v4.new_code_cell(cell.source, id=f"cell-{i}", metadata=tags))
    return nb


def pages_with_examples() -> list[str]:
    return sorted(
        p.relative_to(DOCS).as_posix()
        for p in DOCS.rglob("*.md")
        if NOTEBOOKS not in p.relative_to(DOCS).parts and has_examples(p.read_text(encoding="utf-8"))
    )


def write_all(folder: Path) -> int:
    """A notebook per page with examples into `folder`, and no other; the number written.

    A page whose notebook cannot be made (a failing example or computed value) stops the step,
    naming the page and the line; in live mode (`make serve`, see `docs_build.live`) it is
    logged instead, the page's previous notebook is kept if there is one, and the others are
    written.
    """
    import nbformat

    pages = pages_with_examples()
    wanted = {folder / notebook_path(page).removeprefix(f"{NOTEBOOKS}/"): page for page in pages}
    for stale in set(folder.rglob("*.ipynb")) - set(wanted):
        stale.unlink()
    written = 0
    for target, page in wanted.items():
        try:
            made = nbformat.from_dict(notebook(page))
        except Exception as error:  # noqa: BLE001 - raised again unless live
            live.report(error)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(made, target)
        written += 1
    return written


class NotebookError(Exception):
    """A page with examples whose notebook the pre-build step has not written."""


class NotebookLink(live.Preprocessor):
    """ "Download notebook" under the page's title, for a page with examples; a NotebookError
    naming the page and the title's line if the notebook is missing (no dead link)."""

    def run(self, lines: list[str]) -> list[str]:
        found = current_file(self.md)
        page = found[0] if found else None
        if page is None or page.startswith(f"{NOTEBOOKS}/") or not has_examples("\n".join(lines)):
            return lines
        inside = set()
        for fence in fences("\n".join(lines)):
            inside.update(range(fence.line - 1, fence.line + len(fence.lines) + 1))
        for index, line in enumerate(lines):
            if index not in inside and line.startswith("# "):
                target = relative_to_page(page, notebook_path(page))
                if not (found[1].parent / target).is_file():
                    raise NotebookError(
                        f"{live.where(self.md, lines, index)}: the page's notebook, {notebook_path(page)}, is missing; "
                        "run `make assets` (python -m docs_build.assets)"
                    )
                name = Path(target).name
                link = f'[Download notebook]({target}){{ .md-button .notebook-link download="{name}" data-search-exclude="true" }}'
                return lines[: index + 1] + ["", link, ""] + lines[index + 1 :]
        return lines


class NotebookExtension(Extension):
    def extendMarkdown(self, md) -> None:
        md.registerExtension(self)
        md.preprocessors.register(NotebookLink(md), "notebook_link", 999)


def makeExtension(**kwargs) -> NotebookExtension:
    return NotebookExtension(**kwargs)
