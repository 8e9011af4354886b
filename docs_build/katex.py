r"""Math rendered to HTML with KaTeX when the site is built: no script and no network in the page.

`pymdownx.arithmatex` (generic mode) leaves every formula as `<span class="arithmatex">\(...\)</span>`
or `<div class="arithmatex">\[...\]</div>`. This Markdown extension's postprocessor sends the
formulas of each page to one long-lived `node` process running `katex_render.cjs` and puts
KaTeX's HTML (with its MathML, for screen readers) in their place. One process serves the whole
build, and results are cached by formula and display mode, so a formula repeated across pages
(or a page rebuilt by `mkdocs serve`) is rendered once.

Search: KaTeX's glyphs and its TeX annotation are kept out of the search index, and a hidden
plain-text reading of the formula (`J = diag(s) − s sᵀ`, see `docs_build.mathtext`) stands in
for them, so search snippets show readable math and no raw TeX (see `searchable`).

A formula KaTeX cannot parse raises [KatexError][docs_build.katex.KatexError] naming the page,
the line, the formula and KaTeX's message, and both builders fail; while serving (live mode, see
`docs_build.live`) the page shows that message in an error box in place of the formula. Being
a Markdown extension, this works alike under MkDocs and Zensical; mkdocstrings renders docstrings
with the same extensions, so API pages get the same math.
"""

from __future__ import annotations

import atexit
import html
import json
import re
import shutil
import subprocess
import threading

from markdown import Extension

from docs_build import ROOT, live
from docs_build.mathtext import math_text

RENDERER = ROOT / "docs_build" / "katex_render.cjs"
KATEX_DIST = ROOT / "node_modules" / "katex" / "dist"

# What arithmatex (generic mode) emits. The TeX inside is HTML-escaped.
FORMULA = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">'
    r"(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<display>.*?)\\\])"
    r"</(?P=tag)>",
    re.DOTALL,
)
# Punctuation that must not start or end a line apart from the inline formula it touches.
OPENING = re.compile(r"[(\[“‘]+$")
CLOSING = re.compile(r"[.,;:!?)\]”’]+")
MATHML = re.compile(r'<span class="katex-mathml">(<math.*?</math>)</span>', re.DOTALL)


class KatexError(Exception):
    """A formula KaTeX cannot render, or KaTeX itself missing: the message says which and where."""


class Renderer:
    """One `node` process for the whole build, and a cache of its answers."""

    def __init__(self) -> None:
        self.cache: dict[tuple[str, bool], dict[str, str]] = {}
        self.process: subprocess.Popen | None = None
        self.lock = threading.Lock()
        self.starts = 0  # node processes started: one per build

    def _start(self) -> subprocess.Popen:
        node = shutil.which("node")
        if node is None:
            raise KatexError("KaTeX: `node` was not found on PATH; install Node.js >= 18 (see README).")
        if not KATEX_DIST.is_dir():
            raise KatexError(f"KaTeX: {KATEX_DIST} is missing; run `npm ci` (or `make serve`).")
        process = subprocess.Popen(
            [node, str(RENDERER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            cwd=ROOT,
        )
        atexit.register(process.kill)
        self.starts += 1
        return process

    def render(self, formulas: list[tuple[str, bool]]) -> list[dict[str, str]]:
        """Render `(tex, display)` pairs; one `{"html": ...}` or `{"error": ...}` per formula."""
        with self.lock:
            missing = list(dict.fromkeys(f for f in formulas if f not in self.cache))
            if missing:
                if self.process is None or self.process.poll() is not None:
                    self.process = self._start()
                request = json.dumps([{"tex": tex, "display": display} for tex, display in missing])
                self.process.stdin.write(request + "\n")
                self.process.stdin.flush()
                answer = self.process.stdout.readline()
                if not answer:
                    raise KatexError(f"KaTeX renderer exited (code {self.process.poll()}) without an answer.")
                self.cache.update(zip(missing, json.loads(answer)))
            return [self.cache[f] for f in formulas]


RENDERER_PROCESS = Renderer()


def searchable(rendered: str) -> str:
    """KaTeX's HTML kept out of search, with a hidden plain-text reading of the formula beside it.

    The exclusion is a `<gd-katex>` element (a custom element, `display: contents` in the site's
    CSS) carrying `data-search-exclude`: Material's search parser matches elements by tag name,
    so excluding KaTeX's own outer `<span>` would end at the first inner `</span>`; a tag that
    occurs nowhere inside ends exactly where it should. Zensical honours the same attribute.
    """
    mathml = MATHML.search(rendered)
    text = math_text(mathml.group(1)) if mathml else ""
    return (
        f"<gd-katex data-search-exclude>{rendered}</gd-katex>"
        f'<span class="math-text" hidden>{html.escape(text, quote=False)}</span>'
    )


def formula_line(lines: list[str], tex: str) -> int | None:
    """The index of the first of `lines` holding the formula `tex` (its first line), or None."""
    first = next((line.strip() for line in tex.splitlines() if line.strip()), tex)
    return next((index for index, line in enumerate(lines) if first in line), None)


class KatexPostprocessor(live.Postprocessor):
    def __init__(self, md) -> None:
        super().__init__(md)
        self.lines: list[str] = []  # the page's Markdown, kept by KatexLines to name a formula's line

    def failed(self, tex: str, message: str, *, inline: bool) -> str:
        """The formula KaTeX could not render, through `live.report`: the box to show in its place."""
        where = live.where(self.md, self.lines, formula_line(self.lines, tex))
        return live.report(KatexError(f"{where}: KaTeX could not render the formula {tex!r}: {message}"), inline=inline)

    def run(self, text: str) -> str:
        matches = list(FORMULA.finditer(text))
        if not matches:
            return text
        formulas = [
            (html.unescape(m["inline"] if m["inline"] is not None else m["display"]), m["display"] is not None)
            for m in matches
        ]
        results = RENDERER_PROCESS.render(formulas)
        pieces, last = [], 0
        for match, (tex, _), result in zip(matches, formulas, results):
            before = text[last : match.start()]
            if "error" in result:
                formula = self.failed(tex, result["error"], inline=match["inline"] is not None)
            else:
                formula = f'<{match["tag"]} class="arithmatex">{searchable(result["html"])}</{match["tag"]}>'
            closing = CLOSING.match(text, match.end()) if match["inline"] is not None else None
            opening = OPENING.search(before) if match["inline"] is not None else None
            if opening or closing:
                # Browsers may break between KaTeX's inline boxes and the next character, which
                # leaves "." or ")" alone at the start of a line: hold them to the formula.
                cut = opening.start() if opening else len(before)
                after = closing.group() if closing else ""
                before, formula = before[:cut], f'<span class="gd-nowrap">{before[cut:]}{formula}{after}</span>'
                last = closing.end() if closing else match.end()
            else:
                last = match.end()
            pieces += [before, formula]
        pieces.append(text[last:])
        return "".join(pieces)


class KatexLines(live.Preprocessor):
    """Keeps the page's Markdown, with its computed values in, for the line of a failing formula."""

    def __init__(self, md, postprocessor: KatexPostprocessor) -> None:
        super().__init__(md)
        self.postprocessor = postprocessor

    def run(self, lines: list[str]) -> list[str]:
        self.postprocessor.lines = lines
        return lines


class KatexExtension(Extension):
    def extendMarkdown(self, md) -> None:
        md.registerExtension(self)
        # Last, on the final HTML: after raw HTML (30), &amp; (20) and escapes (10) are restored.
        postprocessor = KatexPostprocessor(md)
        md.postprocessors.register(postprocessor, "katex", 5)
        # Right after the computed values (1000), which keep the page's lines one for one.
        md.preprocessors.register(KatexLines(md, postprocessor), "katex_lines", 999.5)


def makeExtension(**kwargs) -> KatexExtension:
    return KatexExtension(**kwargs)
