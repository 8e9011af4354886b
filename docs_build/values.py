r"""Values computed by a page's own examples, shown in its prose and math.

A page writes `{{ expression }}` or `{{ expression:format }}` anywhere in prose or math, for
example `the ratio is {{ ratio:.0f }}` or `$E = {{ error:.1e}}$`. The field follows the rules of
a replacement field of a Python f-string (`!r` and `!s` work; the format spec is everything after
the last top-level `:`), so `{{ x:.3g }}` renders what `f"{x:.3g}"` would.

The expression is evaluated when the site is built, in the namespace that the page's `pycon`
examples build up: every `>>>` example of the page runs first, top to bottom, exactly as the
doc-tests run them (and an example whose output no longer matches fails the build, so the
prose cannot agree with code that disagrees with the page). A sentence therefore cannot drift
from the code above it.

Besides the page's own names, a field may call `sci(x, digits=2)`, which writes a number for
math: `${{ sci(2.0**34) }}$` shows $1.72 \times 10^{10}$.

Fields inside code (fenced blocks and inline code spans) and HTML comments stay literal, which is
how a page can show the syntax itself: `` `{{ x }}` ``.

A name that is undefined, an expression that raises, a syntax error or a bad format raises
[ComputedValueError][docs_build.values.ComputedValueError] naming the page, the line and the
field: `mkdocs build` and `zensical build` fail; `mkdocs serve` reports it and keeps serving.

Implemented as a Python-Markdown extension (a preprocessor that runs before every other), so
that MkDocs and Zensical, which both run Markdown extensions, render the same page. Examples run
once per page text: a page converted twice in one process (the search index, a rebuild that did
not touch it) reuses the results while neither the page nor the package changed (see
[computed][docs_build.values.computed]).
"""

from __future__ import annotations

import doctest
import hashlib
import io
import json
import re
from collections.abc import Iterator

from markdown import Extension
from markdown.preprocessors import Preprocessor

from docs_build import ROOT
from docs_build.fences import DOCTEST_FLAGS, commented_lines, examples, fenced_lines
from docs_build.pages import PageSource, page_source

FIELD = re.compile(r"\{\{(?P<field>.+?)\}\}")
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)")


class ComputedValueError(Exception):
    """A computed value that cannot be shown: the message names the page, the line and why."""


def fields(lines: list[str]) -> Iterator[tuple[int, re.Match]]:
    """(line index, match) of every `{{ ... }}` outside code fences, code spans and comments."""
    text = "\n".join(lines)
    skip = fenced_lines(text) | {n - 1 for n in commented_lines(text)}
    for index, line in enumerate(lines):
        if index in skip or "{{" not in line:
            continue
        spans = [m.span() for m in CODE_SPAN.finditer(line)]
        for match in FIELD.finditer(line):
            if not any(a <= match.start() < b for a, b in spans):
                yield index, match


def run_examples(page: PageSource) -> dict:
    """Run the page's `>>>` examples top to bottom; return the namespace they leave behind."""
    text = "\n".join(page.lines)
    test = doctest.DocTest(examples(text, page.path or "page"), {"__name__": "__page__"}, page.path, page.path, 0, text)
    output = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=DOCTEST_FLAGS)
    result = runner.run(test, out=output.write, clear_globs=False)
    if result.failed:
        report = re.sub(r"File \S+, line (\d+)", lambda m: f"line {page.first_line + int(m[1]) - 1}", output.getvalue())
        raise ComputedValueError(
            f"{page.path}: {result.failed} of {result.attempted} examples failed while computing the page's values:\n"
            f"{report.strip()}"
        )
    return test.globs


def sci(value: float, digits: int = 2) -> str:
    r"""`value` in LaTeX scientific notation for use inside math: `sci(1.72e10)` is
    `1.72 \times 10^{10}`; numbers between 0.01 and 1000 are written plainly."""
    if value == 0 or 1e-2 <= abs(value) < 1e3:
        return f"{value:.{digits + 1}g}"
    mantissa, exponent = f"{value:.{digits}e}".split("e")
    return f"{mantissa} \\times 10^{{{int(exponent)}}}"


#: Helpers every page's computed values may use, besides the names its examples define.
HELPERS = {"sci": sci}


def render_field(field: str, namespace: dict) -> str:
    """`field` rendered as the f-string replacement field `{field}` would be, in `namespace`."""
    if "\\" in field:
        raise SyntaxError("a backslash is not allowed in a computed value")
    quote = '"""' if "'''" in field else "'''"
    code = compile(f"f{quote}{{{field}}}{quote}", "<computed value>", "eval")
    return eval(code, namespace)


def _fingerprint() -> str:
    """What the examples can depend on besides the page: the package and the results files."""
    digest = hashlib.sha256()
    for folder in ("gradient_docs", "benchmarks/results", "docs_build"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


CACHE = ROOT / ".docs-cache" / "values"


def computed(page: PageSource, wanted: list[str]) -> dict[str, str]:
    """{field: rendered text} for the fields of `page`, from the page's own examples.

    Kept in `.docs-cache/values/` (git-ignored) by a hash of the page text, the package, this
    package and the benchmark results: MkDocs, Zensical and the notebooks, each in its own
    process, run a page's examples once between them, and again as soon as anything changes.
    """
    key = hashlib.sha256(("\n".join(page.lines) + "\0" + (page.path or "") + _fingerprint()).encode()).hexdigest()
    cached = CACHE / f"{key}.json"
    if cached.is_file():
        values = json.loads(cached.read_text(encoding="utf-8"))
        if all(field in values for field in wanted):
            return values
    namespace = {**HELPERS, **run_examples(page)}
    values = {}
    for field in dict.fromkeys(wanted):
        try:
            values[field] = render_field(field, namespace)
        except Exception as exc:
            index = next(i for i, m in fields(list(page.lines)) if m["field"].strip() == field)
            raise ComputedValueError(
                f"{page.where(index)}: the computed value {{{{ {field} }}}} failed: {type(exc).__name__}: {exc}"
            ) from exc
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(values), encoding="utf-8")
    return values


# A value a browser could break at its hyphen: 5.1e-10, 1e+04, a date 2026-11-27.
BREAKABLE = re.compile(r"\d[eE][-+]\d|\d-\d")
DOLLAR = re.compile(r"(?<![\\$])\$(?!\$)")


def in_display_math(lines: list[str]) -> set[int]:
    """Indices of the lines inside `$$ ... $$` blocks (the delimiters' lines included)."""
    inside, out = False, set()
    for index, line in enumerate(lines):
        if inside or "$$" in line:
            out.add(index)
        if line.count("$$") % 2:
            inside = not inside
    return out


def in_prose(line: str, start: int) -> bool:
    """Whether position `start` of a line outside display math is running text: not inside
    `$...$`, and not in an image's alt text, where markup would be shown as text."""
    return len(DOLLAR.findall(line, 0, start)) % 2 == 0 and not line.lstrip().startswith("![")


def substitute(page: PageSource) -> list[str]:
    """The page's lines with every computed value in place.

    In running text, a value with a hyphen inside (`5.1e-10`) is wrapped in
    `<span class="gd-nowrap">` so that a narrow screen does not break it into `5.1e-` and `10`.
    """
    found = list(fields(list(page.lines)))
    if not found:
        return list(page.lines)
    values = computed(page, [match["field"].strip() for _, match in found])
    out = list(page.lines)
    display = in_display_math(out)
    for index, match in reversed(found):  # right to left keeps the earlier offsets valid
        line, value = out[index], values[match["field"].strip()]
        if BREAKABLE.search(value) and index not in display and in_prose(line, match.start()):
            value = f'<span class="gd-nowrap">{value}</span>'
        out[index] = line[: match.start()] + value + line[match.end() :]
    return out


class ValuesPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        if not any("{{" in line for line in lines):
            return lines
        return substitute(page_source(self.md, lines))


class ValuesExtension(Extension):
    def extendMarkdown(self, md) -> None:
        md.registerExtension(self)
        # Before every other preprocessor (superfences stashes fences at 25, snippets at 32).
        md.preprocessors.register(ValuesPreprocessor(md), "computed_values", 1000)


def makeExtension(**kwargs) -> ValuesExtension:
    return ValuesExtension(**kwargs)
