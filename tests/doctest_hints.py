"""A pytest plugin: a doc-test that failed because its pycon block has no blank line before the
closing fence says so, with the page and the line, instead of only showing a confusing diff."""

from __future__ import annotations

import pytest
from _pytest.doctest import DoctestItem

HINT = "add a blank line before the closing fence"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not (report.failed and call.excinfo is not None and isinstance(item, DoctestItem)):
        return
    error = call.excinfo.value
    for failure in getattr(error, "failures", [error]):
        example, test = getattr(failure, "example", None), getattr(failure, "test", None)
        if example is None or "```" not in (example.want or ""):
            continue
        line = (test.lineno or 0) + example.lineno + 1
        report.sections.append(
            (
                "hint",
                (
                    f"{test.filename}:{line}: the expected output of this example runs into the closing ``` of"
                    f" its pycon block, so doctest expects the fence too: {HINT}."
                ),
            )
        )
