"""Exercises everywhere: every chapter ends with at least two, each with a collapsible solution
whose code is self-contained: it runs, and prints what the page shows, in a fresh namespace."""

from __future__ import annotations

import doctest
import re

import pytest

from docs_build import DOCS
from docs_build.checker import Runner
from docs_build.fences import fences

CHAPTERS = ("gradients", "losses", "numerical", "learning")
SOLUTION = re.compile(r'^(?P<indent>[ \t]*)\?\?\?\+? success "Solution"\s*$')


def solutions(text: str) -> list[tuple[int, str]]:
    """(line, code) of the pycon examples of each collapsible solution, as one block each."""
    lines, found = text.splitlines(), []
    for i, line in enumerate(lines):
        match = SOLUTION.match(line)
        if not match:
            continue
        depth = len(match["indent"]) + 4
        body = []
        for later in lines[i + 1 :]:
            if later.strip() and len(later) - len(later.lstrip()) < depth:
                break
            body.append(later[depth:])
        code = "\n\n".join(f.code for f in fences("\n".join(body)) if f.lang == "pycon")
        found.append((i + 1, code))
    return found


EXERCISE_PAGES = [f"{chapter}/exercises.md" for chapter in CHAPTERS]
CASES = [
    (page, line, code)
    for page in EXERCISE_PAGES
    if (DOCS / page).is_file()
    for line, code in solutions((DOCS / page).read_text(encoding="utf-8"))
]


@pytest.mark.parametrize("page", EXERCISE_PAGES)
def test_every_chapter_ends_with_at_least_two_exercises_with_solutions(page: str) -> None:
    text = (DOCS / page).read_text(encoding="utf-8")
    assert len(re.findall(r"^## ", text, flags=re.MULTILINE)) >= 2
    assert len(solutions(text)) >= 2


@pytest.mark.parametrize(("page", "line", "code"), CASES, ids=[f"{p}:{line}" for p, line, _ in CASES])
def test_each_solution_runs_on_its_own(page: str, line: int, code: str) -> None:
    assert ">>>" in code, "a solution without code to run"
    parser, runner = doctest.DocTestParser(), Runner()
    test = parser.get_doctest(code, {"__name__": "__solution__"}, f"{page}:{line}", page, line)
    result = runner.run(test)
    assert result.failed == 0, f"the solution at {page}:{line} does not run on its own"
