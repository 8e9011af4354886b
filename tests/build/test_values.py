"""Computed values (docs_build.values) stand where they are written, show what the build computed,
and are cached only on everything that can change them."""

from __future__ import annotations

import re
import textwrap

import pytest

from docs_build import DOCS, values
from docs_build.checker import NUMBER, ROUNDOFF, THRESHOLD
from docs_build.fences import examples
from docs_build.pages import PageSource, split_front_matter
from docs_build.site import PAGES
from docs_build.values import ComputedValueError, fields, run_page, substitute


def page(text: str, path: str = "t/page.md") -> PageSource:
    return PageSource(path, tuple(textwrap.dedent(text).strip("\n").splitlines()), 1)


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(values, "CACHE", tmp_path / "values")


REBOUND = """
    ```pycon
    >>> x = [3.0, 4.0]

    ```

    Exercise 1 uses {{ len(x) }} numbers.

    ??? success "Solution"

        ```pycon
        >>> x = [1.0, 2.0, 3.0]

        ```

        Now {{ len(x) }}.

    Finally {{ len(x) }}, and {{ len(x) }} again.
"""


def test_a_field_sees_the_namespace_of_the_examples_above_it_not_below() -> None:
    shown = "\n".join(substitute(page(REBOUND)))
    assert "Exercise 1 uses 2 numbers." in shown  # not 3: the solution below rebinds x
    assert "Now 3." in shown  # an example inside an admonition counts where it stands
    assert "Finally 3, and 3 again." in shown


def test_a_field_above_the_code_that_defines_it_fails_naming_page_and_line() -> None:
    text = """
        The answer is {{ answer }}.

        ```pycon
        >>> answer = 42

        ```
    """
    with pytest.raises(ComputedValueError, match=r"t/page\.md:1: .*NameError: name 'answer' is not defined"):
        substitute(page(text))


FLAGGED = """
    ```pycon
    >>> error = 2.9e-10
    >>> print(f"relative error {error:.1e}")  # doctest: +ROUNDOFF
    relative error 2.4e-10

    ```

    The error is {{ error:.1e }}.
"""


def test_a_flagged_example_shows_what_the_build_printed_without_its_directive() -> None:
    shown = substitute(page(FLAGGED))
    assert '>>> print(f"relative error {error:.1e}")' in shown  # no directive for the reader
    assert not any("doctest:" in line for line in shown)
    assert "relative error 2.9e-10" in shown and "relative error 2.4e-10" not in shown
    assert 'The error is <span class="gd-nowrap">2.9e-10</span>.' in "\n".join(shown)  # code block and prose agree


def test_a_flagged_value_a_hundred_times_off_fails_naming_the_example() -> None:
    wrong = FLAGGED.replace("error = 2.9e-10", "error = 2.4e-08")
    with pytest.raises(ComputedValueError, match=r"(?s)1 of 2 examples failed.*line 3.*relative error 2\.4e-08"):
        substitute(page(wrong))


def test_an_unflagged_round_off_value_is_matched_exactly() -> None:
    with pytest.raises(ComputedValueError, match="1 of 2 examples failed"):
        substitute(page(FLAGGED.replace("  # doctest: +ROUNDOFF", "")))


def test_a_wrong_output_fails_a_page_without_fields_too() -> None:
    text = """
        ```pycon
        >>> print(2 + 2)
        5

        ```
    """
    with pytest.raises(ComputedValueError, match=r"(?s)t/page\.md: 1 of 1 examples failed.*line 2"):
        substitute(page(text))


def test_directives_are_dropped_on_pages_without_fields() -> None:
    text = """
        ```pycon
        >>> print(1e-17)  # doctest: +ROUNDOFF
        1e-17

        ```
    """
    assert substitute(page(text))[1] == ">>> print(1e-17)"


def test_the_cache_key_holds_the_machine(monkeypatch) -> None:
    import numpy

    def key() -> str:
        values._machine.cache_clear()
        return values._fingerprint()

    here = key()
    monkeypatch.setenv("OPENBLAS_CORETYPE", "Prescott")
    assert key() != here
    monkeypatch.delenv("OPENBLAS_CORETYPE")
    monkeypatch.setenv("NPY_DISABLE_CPU_FEATURES", "AVX512F")
    assert key() != here
    monkeypatch.delenv("NPY_DISABLE_CPU_FEATURES")
    monkeypatch.setattr(numpy, "__version__", "1.26.4")
    assert key() != here
    monkeypatch.undo()
    assert key() == here
    values._machine.cache_clear()


def test_a_hand_edited_cache_entry_is_not_published() -> None:
    source = page(FLAGGED)
    assert 'The error is <span class="gd-nowrap">2.9e-10</span>.' in substitute(source)
    (entry,) = values.CACHE.glob("*.json")
    edited = entry.read_text(encoding="utf-8").replace("2.9e-10", "7.0e+99")
    assert edited != entry.read_text(encoding="utf-8")
    entry.write_text(edited, encoding="utf-8")
    assert 'The error is <span class="gd-nowrap">2.9e-10</span>.' in substitute(source)
    entry.write_text("{not json", encoding="utf-8")
    assert 'The error is <span class="gd-nowrap">2.9e-10</span>.' in substitute(source)


def pages_with(marker: str) -> list[str]:
    """The site's pages (relative to docs/) whose source holds `marker`."""
    return [str(p.relative_to(DOCS)) for p in PAGES if marker in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("name", pages_with("{{"))
def test_no_field_changes_if_every_example_below_it_is_deleted(name: str) -> None:
    """Each field's value with the whole page, and with the page cut off right after the field's
    line (every example below it gone): the same, on every page of the site."""
    front, body = split_front_matter((DOCS / name).read_text(encoding="utf-8"))
    lines = body.splitlines()
    wanted = [(index, match["field"].strip()) for index, match in fields(lines)]
    if not wanted:
        pytest.fail(f"{name} has '{{{{' but no computed value: check the fields")
    whole = run_page(PageSource(name, tuple(lines)), wanted).values
    starts = [example.lineno for example in examples(body, name)]
    # Fields with no example between them see the same examples: one cut serves them all.
    groups: dict[int, list[tuple[int, str]]] = {}
    for index, field in wanted:
        groups.setdefault(sum(start < index for start in starts), []).append((index, field))
    assert len(whole) == len(set(wanted))
    for group in groups.values():
        last = max(index for index, _ in group)
        cut = run_page(PageSource(name, tuple(lines[: last + 1])), group).values
        for key in group:
            assert cut[key] == whole[key], f"{name}:{key[0] + 1 + front.count(chr(10))} {{{{ {key[1]} }}}}"


def last_digit_changed(number: str) -> str:
    last = max(i for i, c in enumerate(number) if c.isdigit())
    return number[:last] + str((int(number[last]) + 1) % 10) + number[last + 1 :]


def hundred_times(number: str) -> str:
    mantissa, exponent = number.split("e")
    return f"{mantissa}e{int(exponent) + 2:+03d}"


def mutations(body: str, name: str) -> list[tuple[str, int, str]]:
    """(kind, line index of the example, page text) for at most two wrong pages: the last digit of
    the first ordinary number the page prints changed ("ordinary"), and its first flagged
    round-off value (in e-notation, at or above 1e-14, so above the floor) made a hundred times
    larger ("flagged")."""
    lines, found = body.splitlines(), {}
    for example in examples(body, name):
        start = example.lineno + example.source.count("\n")
        flagged = bool(example.options.get(ROUNDOFF))
        for offset, line in enumerate(example.want.splitlines()):
            for number in NUMBER.finditer(line):
                value, text = float(number[0]), number[0]
                kind = "ordinary" if not flagged or abs(value) >= THRESHOLD else "flagged"
                if kind in found or "..." in line or (kind == "flagged" and (abs(value) < 1e-14 or "e-" not in text)):
                    continue
                changed = last_digit_changed(text) if kind == "ordinary" else hundred_times(text)
                row, at = lines[start + offset], example.indent + number.start()
                wrong = row[:at] + changed + row[at + len(text) :]
                found[kind] = (
                    kind,
                    example.lineno,
                    "\n".join([*lines[: start + offset], wrong, *lines[start + offset + 1 :]]),
                )
    return list(found.values())


@pytest.mark.parametrize("name", pages_with(">>>"))
def test_a_wrong_printed_value_fails_the_page(name: str) -> None:
    """On every page: a changed digit of an ordinary printed number, and a flagged round-off value
    a hundred times off, each fail the page's run (what the build and the notebooks call), naming
    the page and the example's line."""
    front, body = split_front_matter((DOCS / name).read_text(encoding="utf-8"))
    cases = mutations(body, name)
    assert any(kind == "ordinary" for kind, *_ in cases), f"{name} prints no number to change"
    first = front.count("\n") + 1
    for kind, index, text in cases:
        with pytest.raises(ComputedValueError, match=rf"^{re.escape(name)}: 1 of \d+ examples failed") as failure:
            run_page(PageSource(name, tuple(text.splitlines()), first), [])
        assert f"line {first + index}" in str(failure.value), (kind, str(failure.value)[:500])
