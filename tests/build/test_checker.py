"""The doc-tests' output checker (docs_build.checker): exact by default; in a `+ROUNDOFF` example,
round-off may move by a factor below `FACTOR`, while text, ordinary numbers and a value off by a
hundred times still fail. The same checker runs in pytest's doc-tests and in the build."""

from __future__ import annotations

import doctest
import textwrap

import pytest

from docs_build.checker import DOCTEST_FLAGS, FACTOR, FLOOR, ROUNDOFF, THRESHOLD, OutputChecker, strip_directives

FLAGGED = DOCTEST_FLAGS | ROUNDOFF

# (want, got): what another CPU prints for the same example (measured, reliability.md).
ROUNDOFF_MOVES = [
    ("relative error 2.4e-10, passed: True\n", "relative error 1.3e-10, passed: True\n"),
    ("relative error 9.1e-10\n", "relative error 1.2e-10\n"),  # the widest measured, x7.6
    ("b2: relative error 1.7e-10, 13 evaluations\n", "b2: relative error 4.7e-10, 13 evaluations\n"),
    ("largest |gradient| 0e+00\n", "largest |gradient| 6e-17\n"),  # a zero and its round-off
    ("[1.5e-10 3.0e-12]\n", "[3.0e-10 1.0e-12]\n"),
]

# (want, got): a real change, which must fail even in a flagged example.
REAL_CHANGES = [
    ("relative error 2.4e-10, passed: True\n", "relative error 2.4e-08, passed: True\n"),  # x100
    ("relative error 2.4e-10, passed: True\n", "relative error 1.0e-03, passed: True\n"),
    ("relative error 2.4e-10, passed: True\n", "relative error 2.4e-10, passed: False\n"),  # text
    ("relative error 2.4e-10, 21 evaluations\n", "relative error 2.4e-10, 22 evaluations\n"),  # a count
    ("loss 0.6931, error 2e-10\n", "loss 0.6932, error 2e-10\n"),  # an ordinary number, one digit
    ("step 1.5e-06\n", "step 1.6e-06\n"),  # at the threshold: exact
    ("relative error 2.4e-10\n", "relative error 0\n"),  # 2.4e-10 is no round-off of an exact 0
    ("errors 1e-10 2e-10\n", "errors 1e-10\n"),  # a number missing
]


@pytest.mark.parametrize(("want", "got"), ROUNDOFF_MOVES)
def test_a_flagged_example_accepts_round_off_from_another_cpu(want: str, got: str) -> None:
    assert OutputChecker().check_output(want, got, FLAGGED)


@pytest.mark.parametrize(("want", "got"), ROUNDOFF_MOVES)
def test_without_the_flag_matching_stays_exact(want: str, got: str) -> None:
    assert not OutputChecker().check_output(want, got, DOCTEST_FLAGS)


@pytest.mark.parametrize(("want", "got"), REAL_CHANGES)
def test_a_flagged_example_still_fails_on_a_real_change(want: str, got: str) -> None:
    assert not OutputChecker().check_output(want, got, FLAGGED)


def test_the_tolerance_is_the_documented_factor_above_the_floor() -> None:
    checker = OutputChecker()
    small = THRESHOLD / 100
    assert checker.check_output(f"{small:.3e}\n", f"{small * FACTOR * 0.99:.3e}\n", FLAGGED)
    assert not checker.check_output(f"{small:.3e}\n", f"{small * FACTOR * 1.01:.3e}\n", FLAGGED)
    assert checker.check_output(f"{FLOOR / 10:.0e}\n", f"{FLOOR * FACTOR * 0.9:.0e}\n", FLAGGED)


def test_the_directive_is_parsed_by_doctest_and_runs_in_a_real_doctest() -> None:
    page = textwrap.dedent(
        """
        >>> x = 2.9e-10
        >>> print(f"relative error {x:.1e}")  # doctest: +ROUNDOFF
        relative error 2.4e-10
        >>> print(f"relative error {x:.1e}")
        relative error 2.4e-10
        """
    )
    test = doctest.DocTestParser().get_doctest(page, {}, "page", "page.md", 0)
    assert test.examples[1].options == {ROUNDOFF: True}
    runner = doctest.DocTestRunner(checker=OutputChecker(), optionflags=DOCTEST_FLAGS)
    result = runner.run(test, out=lambda _: None)
    assert (result.attempted, result.failed) == (3, 1)  # only the unflagged twin fails


def test_pytest_doctests_use_the_checker(pytester) -> None:
    pytester.makefile(
        ".md",
        page=(
            "```pycon\n"
            ">>> print(f'error {2.9e-10:.1e}')  # doctest: +ROUNDOFF\n"
            "error 2.4e-10\n\n"
            ">>> print(f'error {2.9e-8:.1e}')  # doctest: +ROUNDOFF\n"
            "error 2.4e-10\n\n"
            "```\n"
        ),
    )
    result = pytester.runpytest("-p", "docs_build.checker", "--doctest-glob=*.md", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*Expected:*", "*error 2.4e-10*", "*Got:*", "*error 2.9e-08*"])
    assert "error 2.9e-10" not in result.stdout.str()  # the first example matched


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        (">>> print(check)  # doctest: +ROUNDOFF", ">>> print(check)"),
        ("    >>> f(x)    #doctest: +ROUNDOFF, +ELLIPSIS", "    >>> f(x)"),
        (">>> print('# doctest: in a string')", ">>> print('# doctest: in a string')"),
        (">>> x = 1  # a comment", ">>> x = 1  # a comment"),
    ],
)
def test_directives_are_dropped_from_what_a_reader_sees(line: str, shown: str) -> None:
    assert strip_directives(line) == shown
