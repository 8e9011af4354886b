"""Every example on every page is executed by a test collector (or skipped with a reason)."""

from pathlib import Path

import pytest

from docs_build.fences import doctest_lines, fences, markdown_docs_lines, unexecuted_fences
from docs_build.site import DOCS, PAGES


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(DOCS)) for p in PAGES])
def test_every_python_fence_on_the_page_is_executed(page: Path) -> None:
    assert unexecuted_fences(page.read_text(encoding="utf-8"), page) == []


def test_messages_name_the_page_by_its_path_under_docs() -> None:
    problem = "```py\n>>> 1\n```\n"
    assert unexecuted_fences(problem, DOCS / "losses" / "exercises.md")[0].startswith("losses/exercises.md:1: ")


def test_the_site_has_examples_for_both_collectors() -> None:
    texts = {page: page.read_text(encoding="utf-8") for page in PAGES}
    assert sum(len(markdown_docs_lines(t, p)) for p, t in texts.items()) >= 2
    assert sum(len(doctest_lines(t, p)) for p, t in texts.items()) >= 50


# The checker itself, on pages made up for the purpose.

PAGE = Path("made-up.md")

INDENTED_PYTHON = """\
!!! note
    ```python
    assert False
    ```
"""

PROMPT_IN_PYTHON = """\
```python
>>> 1 + 1
2
```
"""

SKIPPED_WITHOUT_REASON = """\
```{.python notest}
import missing_module
```
"""

SKIPPED_WITH_REASON = """\
```{.python notest reason="shows an error on purpose"}
import missing_module
```
"""

CAPITALISED = """\
```Python
raise SystemExit("never run")
```
"""

IPYTHON = """\
```ipython3
raise SystemExit("never run")
```
"""

IN_A_COMMENT = """\
<!--
```python
assert False
```
-->
"""

TOUCHING_THE_FENCE = """\
```pycon
>>> 1 + 1
2
```
"""

PROMPT_IN_TEXT_FENCE = """\
```text
>>> 1 + 1
2
```
"""

GOOD = """\
```python
assert 1 + 1 == 2
```

??? success "Solution"

    ```pycon
    >>> 1 + 1
    2

    ```
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (INDENTED_PYTHON, "not run by pytest-markdown-docs (indented 4 spaces"),
        (PROMPT_IN_PYTHON, "`>>>` in a python fence is a SyntaxError"),
        (SKIPPED_WITHOUT_REASON, "a skipped fence must say why"),
        (PROMPT_IN_TEXT_FENCE, "mark it pycon"),
        ("```pycon\n1 + 1\n\n```\n", "checked by nothing"),
        (CAPITALISED, "a fence labelled `Python` is run by nothing"),
        (IPYTHON, "a fence labelled `ipython3` is run by nothing"),
        (IN_A_COMMENT, "a python fence inside an HTML comment"),
        (TOUCHING_THE_FENCE, "made-up.md:3) touches the closing fence"),
    ],
    ids=[
        "indented-python",
        "prompt-in-python",
        "skip-without-reason",
        "prompt-in-text",
        "pycon-without-prompt",
        "capitalised-python",
        "ipython",
        "in-html-comment",
        "pycon-touching-fence",
    ],
)
def test_checker_reports_fences_no_collector_runs(text: str, message: str) -> None:
    problems = unexecuted_fences(text, PAGE)
    assert len(problems) == 1, problems
    assert message in problems[0]


def test_a_pycon_block_touching_its_fence_really_fails_doctest(pytester) -> None:
    # The hint is not hypothetical: doctest reads the fence as expected output and fails.
    pytester.makefile(".md", page=TOUCHING_THE_FENCE)
    result = pytester.runpytest("--doctest-glob=*.md", "-p", "no:cacheprovider", "-p", "doctest_hints")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*add a blank line before the closing fence*"])


def test_checker_accepts_run_fences_and_explained_skips() -> None:
    assert unexecuted_fences(GOOD, PAGE) == []
    assert unexecuted_fences(SKIPPED_WITH_REASON, PAGE) == []


def test_fence_scanner_finds_indented_and_tilde_fences() -> None:
    found = fences(GOOD + "\n~~~~pycon\n>>> 2\n2\n~~~~\n")
    assert [(f.line, f.lang, len(f.indent)) for f in found] == [(1, "python", 0), (7, "pycon", 4), (13, "pycon", 0)]
