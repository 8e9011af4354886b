"""The one reader of a page's code fences, for the doc-tests' meta-test, the computed values
and the notebooks, so the three cannot disagree about what a code block is.

Two collectors execute a page's examples: pytest-markdown-docs runs `python` fences (also `py`
and `python3`, lower case only) and pytest's doctest (`--doctest-glob=*.md`) runs `>>>`
examples, which the pages keep in `pycon` fences. Both miss things silently: markdown-docs
skips fences indented inside admonitions or tabs and fences labelled `Python` or `ipython`; a
`>>>` line in a `python` fence is a syntax error nobody reports; doctest runs examples hidden
in an HTML comment that no reader sees. [unexecuted_fences][docs_build.fences.unexecuted_fences]
asks both collectors what they will run and lists every fence with Python in it that neither
runs (unless it carries an explicit skip marker with a reason, `{.python notest reason="..."}`),
with a hint that says why.
"""

from __future__ import annotations

import doctest
import re
from dataclasses import dataclass
from pathlib import Path

RUN_BY_MARKDOWN_DOCS = {"python", "py", "python3"}  # exactly these labels, lower case
PYTHON_LIKE = {"python", "py", "python3", "ipython", "ipython3", "pycon"}
OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
PROMPT = re.compile(r"^\s*>>>(\s|$)")
REASON = re.compile(r'\breason="(?P<reason>[^"]+)"')
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


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

    @property
    def code(self) -> str:
        """The content with the fence's indentation removed."""
        width = len(self.indent)
        return "\n".join(line[width:] if not line[:width].strip() else line.lstrip() for line in self.lines)

    def prompt_lines(self) -> list[int]:
        """1-based line numbers of the `>>>` lines inside the fence."""
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


def fenced_lines(text: str) -> set[int]:
    """0-based indices of the lines that belong to a fence, its opening and closing included."""
    inside: set[int] = set()
    for fence in fences(text):
        inside.update(range(fence.line - 1, fence.line + len(fence.lines) + 1))
    return inside


def examples(text: str, name: str = "page") -> list[doctest.Example]:
    """The page's `>>>` examples in order, as pytest's doctest reads them (the whole file)."""
    return doctest.DocTestParser().get_examples(text, name)


def commented_lines(text: str) -> set[int]:
    """1-based lines that lie inside an HTML comment."""
    hidden: set[int] = set()
    for match in COMMENT.finditer(text):
        first = text.count("\n", 0, match.start()) + 1
        hidden.update(range(first, first + match.group(0).count("\n") + 1))
    return hidden


def markdown_docs_lines(text: str, path: Path) -> set[int]:
    """Opening-fence lines (1-based) of the fences pytest-markdown-docs will run."""
    from markdown_it import MarkdownIt
    from pytest_markdown_docs.plugin import FenceSyntax, extract_fence_tests

    tests = extract_fence_tests(
        MarkdownIt(config="commonmark"), text, 0, source_path=path, fence_syntax=FenceSyntax.superfences
    )
    return {test.start_line for test in tests}


def doctest_lines(text: str, path: Path) -> set[int]:
    """1-based lines of the `>>>` examples doctest will run."""
    test = doctest.DocTestParser().get_doctest(text, {}, path.name, str(path), 0)
    return {example.lineno + 1 for example in test.examples}


def shown(path: Path) -> str:
    """The page as messages name it: relative to `docs/` (three pages are called exercises.md)."""
    from docs_build import DOCS

    return path.relative_to(DOCS).as_posix() if path.is_relative_to(DOCS) else path.name


def unexecuted_fences(text: str, path: Path) -> list[str]:
    """Problems with the page's examples: one message per fence that no collector runs right."""
    run_by_markdown_docs = markdown_docs_lines(text, path)
    run_by_doctest = doctest_lines(text, path)
    hidden = commented_lines(text)
    problems = []
    for fence in fences(text):
        where = f"{shown(path)}:{fence.line}"
        prompts = fence.prompt_lines()
        lang = fence.lang
        if fence.line in hidden and (lang.lower() in PYTHON_LIKE or prompts):
            problems.append(
                f"{where}: a {lang or 'plain'} fence inside an HTML comment: no reader sees it, and doctest"
                " still runs any `>>>` in it; delete it or move it out of the comment"
            )
            continue
        if lang.lower() in PYTHON_LIKE and lang not in RUN_BY_MARKDOWN_DOCS | {"pycon"}:
            hint = "pycon" if prompts else "python"
            problems.append(
                f"{where}: a fence labelled `{lang}` is run by nothing (pytest-markdown-docs runs only"
                f" `python`, `py` and `python3`, doctest only `>>>` lines); label it `{hint}`"
            )
            continue
        if lang in RUN_BY_MARKDOWN_DOCS:
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
                    f" (indented {len(fence.indent)} spaces, inside an admonition or tab?); use a pycon fence there"
                )
        elif lang == "pycon":
            if not prompts:
                problems.append(f"{where}: pycon fence without `>>>` examples is checked by nothing")
            missed = [line for line in prompts if line not in run_by_doctest]
            if missed:
                problems.append(f"{where}: doctest does not run the examples at lines {missed}")
            if fence.lines and fence.lines[-1].strip():
                last = fence.line + len(fence.lines)
                problems.append(
                    f"{where}: the pycon block's last line ({shown(path)}:{last}) touches the closing fence, so"
                    " doctest reads the ``` as expected output; add a blank line before the closing fence"
                )
        elif prompts:
            problems.append(f"{where}: `>>>` examples in a {lang or 'plain'} fence; mark it pycon")
    return problems
