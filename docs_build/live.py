"""What a build does with an error in one of the site's Markdown extensions, and where it is.

Two modes, chosen by the environment variable `GRADIENT_DOCS_LIVE`:

- **Strict** (unset: `mkdocs build --strict`, `zensical build`, the tests, the pre-build step
  of `make build` and `make test`): the error is raised, and the build fails naming the page and
  the line.
- **Live** (`GRADIENT_DOCS_LIVE=1`, set by `make serve` and `make serve-zensical` for the
  pre-build step and the server): the error is logged and the page shows it in an error box
  (Material's `failure` admonition) naming the page and the line, with the failing example's
  expected and actual output or KaTeX's message. The server keeps serving: `zensical serve`
  does not exit and `mkdocs serve` does not hang, and the page is served fixed as soon as its
  source is.

Every preprocessor and postprocessor of ours derives from [Preprocessor][docs_build.live.Preprocessor]
or [Postprocessor][docs_build.live.Postprocessor] instead of Python-Markdown's: their `run` goes
through [report][docs_build.live.report] on any exception, which in live mode puts the box on top
of the page and lets the page through unconverted. Code that can show a box exactly where the
fault is (KaTeX, in place of the formula) calls [report][docs_build.live.report] itself.
"""

from __future__ import annotations

import difflib
import functools
import html
import logging
import os
import sys
import traceback
from collections.abc import Callable

from markdown import postprocessors, preprocessors

from docs_build.pages import current_file

VARIABLE = "GRADIENT_DOCS_LIVE"

LOG = logging.getLogger("docs_build.live")
if not LOG.handlers:  # MkDocs and Zensical configure their own loggers, not ours
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    LOG.addHandler(_handler)
    LOG.propagate = False

_reported = 0


def live() -> bool:
    """Whether errors are shown on the page (`GRADIENT_DOCS_LIVE=1`) rather than raised."""
    return os.environ.get(VARIABLE) == "1"


def reported() -> int:
    """How many errors this process has shown instead of raising (live mode only)."""
    return _reported


def error_box(message: str, *, inline: bool = False) -> str:
    """The error as Material's `failure` admonition, on one line (newlines as `&#10;`). A `<div>`
    between blocks; `inline` for a place inside a paragraph (an inline formula): spans styled as
    blocks, valid HTML there."""
    tag = "span" if inline else "div"
    text = html.escape(message, quote=False).replace("\n", "&#10;")
    return (
        f'<{tag} class="admonition failure gd-build-error" role="alert" style="display: flow-root">'
        '<span class="admonition-title" style="display: block">'
        "Build error: the strict build fails here. Fix the source and save; the page is rebuilt.</span>"
        f'<code style="display: block; white-space: pre-wrap">{text}</code></{tag}>'
    )


def report(error: Exception, *, inline: bool = False) -> str:
    """Raise `error` (strict), or log it and return the error box to show instead (live)."""
    global _reported
    if not live():
        raise error
    _reported += 1
    ours = type(error).__module__.startswith("docs_build.")
    detail = "" if ours else "\n" + "".join(traceback.format_exception(error)).rstrip()
    LOG.error("shown on the page, fails a strict build: %s: %s%s", type(error).__name__, error, detail)
    return error_box(f"{type(error).__name__}: {error}", inline=inline)


def _guarded(run: Callable, shown: Callable) -> Callable:
    """`run` of a processor, with any exception passed to `report` and the box placed by `shown`."""

    @functools.wraps(run)
    def guarded(self, data):
        try:
            return run(self, data)
        except Exception as error:  # noqa: BLE001 - any error of a page: shown in live mode, raised otherwise
            return shown(self, data, report(error))

    return guarded


class Preprocessor(preprocessors.Preprocessor):
    """A preprocessor whose errors go through `report`: in live mode the page's lines pass
    through unchanged, below the error box (a raw HTML block: an `htmlStash` placeholder would
    not survive the preprocessors that strip its markers). Subclasses define `run` as usual."""

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if "run" in vars(cls):
            cls.run = _guarded(cls.run, lambda self, lines, box: [box, "", *lines])


class Postprocessor(postprocessors.Postprocessor):
    """A postprocessor whose errors go through `report`: in live mode the page's HTML passes
    through unchanged, below the error box. Subclasses define `run` as usual."""

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if "run" in vars(cls):
            cls.run = _guarded(cls.run, lambda self, text, box: box + text)


def where(md, lines: list[str], index: int | None) -> str:
    """`page.md:LINE` of `lines[index]`, the line number in the page's file (`page.md` alone for
    an index None: a line that could not be found).

    The lines a preprocessor sees are not the file's: the builder dropped the front matter,
    computed values were filled in, other preprocessors inserted or replaced lines. Their
    non-blank lines are matched to the file's (difflib): a line changed in place is the most
    similar file line of the block that changed, or the one at its place if the block kept its
    length.
    """
    found = current_file(md)
    if found is None:
        return "<docstring>" if index is None else f"<docstring>:{index + 1}"
    page, file = found
    if index is None:
        return page
    if not file.is_file():
        return f"{page}:{index + 1}"
    return f"{page}:{file_line(file.read_text(encoding='utf-8').splitlines(), list(lines), index) + 1}"


def file_line(source: list[str], lines: list[str], index: int) -> int:
    """The index in `source` (the file) of `lines[index]` (what a preprocessor sees); a blank line
    counts from the non-blank line above it."""
    above = next((i for i in range(index, -1, -1) if lines[i].strip()), None)
    ours = [i for i, line in enumerate(source) if line.strip()]
    if above is None or not ours:
        return index
    theirs = [i for i, line in enumerate(lines) if line.strip()]
    matcher = difflib.SequenceMatcher(None, [source[i] for i in ours], [lines[i] for i in theirs], autojunk=False)
    at = theirs.index(above)
    for _, start, end, first, last in matcher.get_opcodes():
        if first <= at < last:
            if end - start == last - first:
                match = start + at - first
            elif end > start:
                match = max(
                    range(start, end),
                    key=lambda i: difflib.SequenceMatcher(None, source[ours[i]], lines[above]).ratio(),
                )
            else:  # an inserted line: the file line it precedes
                match = min(start, len(ours) - 1)
            return ours[match] + index - above
    return index
