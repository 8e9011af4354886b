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
field: `mkdocs build` and `zensical build` fail; while serving (`make serve`), the page shows it
in an error box (see `docs_build.live`).

Implemented as a Python-Markdown extension (a preprocessor that runs before every other), so
that MkDocs and Zensical, which both run Markdown extensions, render the same page. Examples run
once per page text: a page converted twice in one process (the search index, a rebuild that did
not touch it) reuses the results while neither the page nor the package changed (see
[computed][docs_build.values.computed]).
"""

from __future__ import annotations

import doctest
import functools
import hashlib
import io
import json
import os
import platform
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from markdown import Extension

from docs_build import ROOT
from docs_build.checker import ROUNDOFF, Runner, numpy_cpu, strip_directives
from docs_build.fences import commented_lines, examples, fenced_lines
from docs_build.live import Preprocessor  # errors raised (strict) or shown on the page (make serve)
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


@functools.cache
def _machine() -> str:
    """What can change a round-off digit besides the code: the Python and numpy versions, the
    SIMD paths numpy dispatches to (after `NPY_DISABLE_CPU_FEATURES`), the OpenBLAS and OpenMP
    settings, and the CPU that OpenBLAS picks its kernels for."""
    numpy = numpy_cpu()
    cpuinfo = Path("/proc/cpuinfo")
    cpu = cpuinfo.read_text().splitlines() if cpuinfo.is_file() else [platform.processor()]
    return json.dumps(
        {
            "python": sys.version,
            "numpy": numpy["numpy"],
            "simd": numpy["features"],
            "env": sorted((k, v) for k, v in os.environ.items() if k.startswith(("OPENBLAS", "NPY_", "OMP_"))),
            "cpu": [platform.machine(), *sorted({line for line in cpu if line.startswith(("model name", "flags"))})],
        }
    )


def _fingerprint() -> str:
    """What the examples can depend on besides the page: the package, the build code, the
    results files, and the machine that runs them (`_machine`)."""
    digest = hashlib.sha256(_machine().encode())
    for folder in ("gradient_docs", "benchmarks/results", "docs_build"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


CACHE = ROOT / ".docs-cache" / "values"


@dataclass(frozen=True)
class Computed:
    """What a page's examples computed: the text of each field, by `(line index, field)`, and what
    each `+ROUNDOFF` example printed, by the line index of the example (its `>>>` line)."""

    values: dict[tuple[int, str], str]
    printed: dict[int, str]

    def to_json(self) -> dict:
        return {
            "values": [[index, field, text] for (index, field), text in self.values.items()],
            "printed": [[index, text] for index, text in self.printed.items()],
        }

    @classmethod
    def from_json(cls, data: dict) -> Computed:
        return cls({(i, f): t for i, f, t in data["values"]}, {i: t for i, t in data["printed"]})


def _failure(page: PageSource, index: int, field: str, exc: Exception) -> ComputedValueError:
    return ComputedValueError(
        f"{page.where(index)}: the computed value {{{{ {field} }}}} failed: {type(exc).__name__}: {exc}"
    )


def run_page(page: PageSource, wanted: list[tuple[int, str]]) -> Computed:
    """Run the page's `>>>` examples top to bottom, as the doc-tests do, and evaluate each wanted
    `(line index, field)` in the namespace as it stood after the examples *above* that line:
    like a notebook cell, a field cannot see a name that a later example binds or rebinds.

    An example whose output does not match (the doc-test checker,
    [OutputChecker][docs_build.checker.OutputChecker]) fails the page, naming its line.
    """
    text = "\n".join(page.lines)
    name = page.path or "page"
    globs: dict = {"__name__": "__page__"}
    runner, report, failed = Runner(), io.StringIO(), 0
    pending = sorted(set(wanted))
    values: dict[tuple[int, str], str] = {}

    def evaluate_up_to(line: int) -> None:
        while pending and pending[0][0] < line:
            index, field = pending.pop(0)
            try:
                values[index, field] = render_field(field, {**HELPERS, **globs})
            except Exception as exc:
                raise _failure(page, index, field, exc) from exc

    found = examples(text, name)
    for example in found:
        evaluate_up_to(example.lineno)
        test = doctest.DocTest([example], globs, name, page.path, 0, text)
        failed += runner.run(test, out=report.write, clear_globs=False).failed
        globs = test.globs  # a DocTest runs in a copy of the namespace it is given
    if failed:
        lines = re.sub(r"File \S+, line (\d+)", lambda m: f"line {page.first_line + int(m[1]) - 1}", report.getvalue())
        raise ComputedValueError(
            f"{page.path or '<docstring>'}: {failed} of {len(found)} examples failed while computing the page's values:\n{lines.strip()}"
        )
    evaluate_up_to(len(page.lines))
    return Computed(values, dict(runner.printed))


def computed(page: PageSource, wanted: list[tuple[int, str]]) -> Computed:
    """[run_page][docs_build.values.run_page], kept in `.docs-cache/values/` (git-ignored).

    The key is a hash of the page text, the package, this package, the benchmark results and the
    machine (see `_fingerprint`): MkDocs, Zensical and the notebooks, each in its own process, run
    a page's examples once between them, again as soon as anything changes, and afresh on
    another numpy or CPU path. An entry carries a digest of its own content: one edited by hand
    is not trusted, the examples run again.
    """
    key = hashlib.sha256(("\n".join(page.lines) + "\0" + (page.path or "") + _fingerprint()).encode()).hexdigest()
    cached = CACHE / f"{key}.json"
    if cached.is_file():
        try:
            entry = json.loads(cached.read_text(encoding="utf-8"))
            body = json.dumps(entry["computed"], sort_keys=True)
            if entry["digest"] == hashlib.sha256((key + body).encode()).hexdigest():
                result = Computed.from_json(entry["computed"])
                if all(tuple(w) in result.values for w in wanted):
                    return result
        except (ValueError, KeyError, TypeError):
            pass  # unreadable: computed again and rewritten
    result = run_page(page, wanted)
    body = json.dumps(result.to_json(), sort_keys=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    entry = {"computed": json.loads(body), "digest": hashlib.sha256((key + body).encode()).hexdigest()}
    cached.write_text(json.dumps(entry), encoding="utf-8")
    return result


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
    """The page's lines as a reader gets them: every computed value in place, doctest directives
    dropped from the examples, and each `+ROUNDOFF` example's output as this build printed it (so
    the code block and the values around it agree on any machine). A page's examples run even
    where it has no field, so that no build publishes an output its code no longer prints.

    In running text, a value with a hyphen inside (`5.1e-10`) is wrapped in
    `<span class="gd-nowrap">` so that a narrow screen does not break it into `5.1e-` and `10`.
    """
    out = list(page.lines)
    found = list(fields(out))
    runs = examples("\n".join(out), page.path or "page")
    flagged = [example for example in runs if example.options.get(ROUNDOFF)]
    for example in runs:
        for index in range(example.lineno, example.lineno + example.source.count("\n")):
            out[index] = strip_directives(out[index])
    if not found and not (runs if page.path else flagged):  # a page's examples always run; a docstring's are pytest's
        return out
    result = computed(page, [(index, match["field"].strip()) for index, match in found])
    display = in_display_math(out)
    for index, match in reversed(found):  # right to left keeps the earlier offsets valid
        line, value = out[index], result.values[index, match["field"].strip()]
        if BREAKABLE.search(value) and index not in display and in_prose(line, match.start()):
            value = f'<span class="gd-nowrap">{value}</span>'
        out[index] = line[: match.start()] + value + line[match.end() :]
    for example in reversed(flagged):  # bottom up keeps the earlier line indices valid
        start = example.lineno + example.source.count("\n")
        shown = [" " * example.indent + (line or "<BLANKLINE>") for line in result.printed[example.lineno].splitlines()]
        out[start : start + example.want.count("\n")] = shown
    return out


class ValuesPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        if not any("{{" in line or ">>>" in line for line in lines):
            return lines
        return substitute(page_source(self.md, lines))


class ValuesExtension(Extension):
    def extendMarkdown(self, md) -> None:
        md.registerExtension(self)
        # Before every other preprocessor (superfences stashes fences at 25, snippets at 32).
        md.preprocessors.register(ValuesPreprocessor(md), "computed_values", 1000)


def makeExtension(**kwargs) -> ValuesExtension:
    return ValuesExtension(**kwargs)
