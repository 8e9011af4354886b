"""Find every code fence in a Markdown page and say which test collector runs it.

Two collectors execute the site's examples: pytest-markdown-docs runs ``python`` fences, and
pytest's doctest (``--doctest-glob=*.md``) runs ``>>>`` examples, which the pages keep in
``pycon`` fences. Both miss things silently: pytest-markdown-docs skips fences indented inside
admonitions or content tabs, and a ``>>>`` line in a ``python`` fence is a syntax error nobody
reports. :func:`unexecuted_fences` asks both collectors what they will run and lists every fence
with Python in it that neither runs, unless it carries an explicit skip marker with a reason:
``{.python notest reason="..."}``.
"""

from __future__ import annotations

import doctest
import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt
from pytest_markdown_docs.plugin import FenceSyntax, extract_fence_tests

PYTHON_LANGS = {"python", "py", "python3"}
OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
PROMPT = re.compile(r"^\s*>>>(\s|$)")
REASON = re.compile(r'\breason="(?P<reason>[^"]+)"')


@dataclass(frozen=True)
class Fence:
    line: int  # 1-based line of the opening fence
    indent: str
    info: str
    lines: tuple[str, ...]  # the content lines, as in the file

    @property
    def lang(self) -> str:
        info = self.info.strip()
        if info.startswith("{"):
            dotted = [part[1:] for part in info.strip("{}").split() if part.startswith(".")]
            return dotted[0] if dotted else ""
        return info.split()[0] if info else ""

    @property
    def options(self) -> set[str]:
        return set(self.info.strip().strip("{}").split()) - {self.lang, "." + self.lang}

    @property
    def skip_reason(self) -> str | None:
        if "notest" not in self.options:
            return None
        match = REASON.search(self.info)
        return match["reason"] if match else ""

    def prompt_lines(self) -> list[int]:
        """1-based line numbers of the ``>>>`` lines inside the fence."""
        return [self.line + 1 + i for i, text in enumerate(self.lines) if PROMPT.match(text)]


def fences(text: str) -> list[Fence]:
    """Every fenced code block, at any indentation, in document order."""
    found, lines, i = [], text.splitlines(), 0
    while i < len(lines):
        opening = OPEN.match(lines[i])
        if not opening:
            i += 1
            continue
        char, length = opening["fence"][0], len(opening["fence"])
        closing = re.compile(rf"^[ \t]*{re.escape(char)}{{{length},}}[ \t]*$")
        j = i + 1
        while j < len(lines) and not closing.match(lines[j]):
            j += 1
        found.append(Fence(i + 1, opening["indent"], opening["info"], tuple(lines[i + 1 : j])))
        i = j + 1
    return found


def markdown_docs_lines(text: str, path: Path) -> set[int]:
    """Opening-fence lines (1-based) of the fences pytest-markdown-docs will run."""
    tests = extract_fence_tests(
        MarkdownIt(config="commonmark"), text, 0, source_path=path, fence_syntax=FenceSyntax.superfences
    )
    return {test.start_line for test in tests}


def doctest_lines(text: str, path: Path) -> set[int]:
    """1-based lines of the ``>>>`` examples doctest will run."""
    test = doctest.DocTestParser().get_doctest(text, {}, path.name, str(path), 0)
    return {example.lineno + 1 for example in test.examples}


def unexecuted_fences(text: str, path: Path) -> list[str]:
    """Problems with the page's examples: one message per fence that no collector runs."""
    run_by_markdown_docs = markdown_docs_lines(text, path)
    run_by_doctest = doctest_lines(text, path)
    problems = []
    for fence in fences(text):
        where = f"{path.name}:{fence.line}"
        prompts = fence.prompt_lines()
        if fence.lang in PYTHON_LANGS:
            reason = fence.skip_reason
            if reason is not None:
                if not reason:
                    problems.append(f'{where}: a skipped fence must say why: {{.python notest reason="..."}}')
                continue
            if prompts:
                problems.append(f"{where}: `>>>` in a python fence is a SyntaxError; use a pycon fence")
            elif fence.line not in run_by_markdown_docs:
                problems.append(
                    f"{where}: python fence not run by pytest-markdown-docs"
                    f" (indented {len(fence.indent)} spaces, inside an admonition or tab?)"
                )
        elif fence.lang == "pycon":
            if not prompts:
                problems.append(f"{where}: pycon fence without `>>>` examples is checked by nothing")
            missed = [line for line in prompts if line not in run_by_doctest]
            if missed:
                problems.append(f"{where}: doctest does not run the examples at lines {missed}")
        elif prompts:
            problems.append(f"{where}: `>>>` examples in a {fence.lang or 'plain'} fence; mark it pycon")
    return problems
