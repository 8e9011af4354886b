r"""The one output checker of every doc-test: the pages, the docstrings, the README and the build.

Expected output is matched exactly (with doctest's `ELLIPSIS`), as stock doctest does, with one
exception that an example asks for by name. A round-off quantity (the relative error of a finite
difference, the difference of two results that agree to machine precision) comes out different
on another CPU: numpy picks SIMD code paths by CPU and OpenBLAS picks its kernels, so `2.4e-10` on
one machine is `1.3e-10` on the next. Where the *magnitude* of such a number is the lesson, the
example carries our directive

```text
>>> print(f"relative error {check.max_relative_error:.1e}")  # doctest: +ROUNDOFF
relative error 2.4e-10
```

and then, and only then:

- all text, and every number whose expected value is at least `THRESHOLD` ($10^{-6}$), still
  match exactly;
- a number whose expected value is below `THRESHOLD` matches any value within a factor `FACTOR`
  (10) of it, after both are raised to `FLOOR` ($10^{-15}$, a few units of round-off of a
  quantity of order one, below which a value is noise or exactly zero depending on the machine).

The factor is measured, not guessed: across 26 configurations (numpy's dispatch levels from SSE4
to AVX-512, OpenBLAS kernels from Prescott to SkylakeX, numpy 1.26 to 2.4) the flagged values
moved by at most 7.6 times (`../shared/reviews/reliability.md`). A wrong gradient is off by
order one, a hundred times or more above any of them, and still fails.

Where a line only says "these two agree to round-off", a page prints the claim (`agree to 1e-15:
True`) instead of the noise, and needs no directive. A directive never shows on a rendered page
([strip_directives][docs_build.checker.strip_directives]), and the output of a flagged example
shown on the page is the one the build computed (`docs_build.values`).

pytest uses this checker through `-p docs_build.checker` (in `pyproject.toml`), the build through
[Runner][docs_build.checker.Runner].
"""

from __future__ import annotations

import doctest
import re

#: The directive that marks an example whose small numbers are round-off.
ROUNDOFF = doctest.register_optionflag("ROUNDOFF")
#: The flags every doc-test runs with, the build's and pytest's (pytest's default, ELLIPSIS).
DOCTEST_FLAGS = doctest.ELLIPSIS

THRESHOLD = 1e-6  # expected values below this are round-off in a flagged example
FACTOR = 10.0  # ... and match any value within this factor
FLOOR = 1e-15  # ... after both are raised to this floor

NUMBER = re.compile(r"[+-]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?")
DIRECTIVE = re.compile(r"\s*#\s*doctest:[^\n'\"]*$")


def roundoff_match(want: str, got: str) -> bool:
    """Whether `got` reads as `want` up to round-off: the same text with the numbers masked, every
    number at or above `THRESHOLD` the same digits, every smaller one within `FACTOR`."""
    wants, gots = NUMBER.findall(want), NUMBER.findall(got)
    if len(wants) != len(gots) or NUMBER.sub("#", want) != NUMBER.sub("#", got):
        return False
    for expected, actual in zip(wants, gots):
        if expected == actual:
            continue
        if abs(float(expected)) >= THRESHOLD:
            return False
        low, high = sorted(max(abs(float(value)), FLOOR) for value in (expected, actual))
        if high > FACTOR * low:
            return False
    return True


class OutputChecker(doctest.OutputChecker):
    """doctest's checker, with numbers below `THRESHOLD` matched within `FACTOR` in an example
    marked `# doctest: +ROUNDOFF`."""

    def check_output(self, want: str, got: str, optionflags: int) -> bool:
        if super().check_output(want, got, optionflags):
            return True
        return bool(optionflags & ROUNDOFF) and roundoff_match(want, got)


class Runner(doctest.DocTestRunner):
    """A doc-test runner with this checker that keeps what each `+ROUNDOFF` example printed:
    `printed[example.lineno]`, so the page can show the build's own output."""

    def __init__(self, **kwargs):
        super().__init__(checker=OutputChecker(), optionflags=DOCTEST_FLAGS, **kwargs)
        self.printed: dict[int, str] = {}

    def _keep(self, example: doctest.Example, got: str) -> None:
        if example.options.get(ROUNDOFF):
            self.printed[example.lineno] = got

    def report_success(self, out, test, example, got):
        self._keep(example, got)
        return super().report_success(out, test, example, got)

    def report_failure(self, out, test, example, got):
        self._keep(example, got)
        return super().report_failure(out, test, example, got)


def numpy_cpu() -> dict:
    """What picks the round-off this machine prints, as numpy reports it: its version, the SIMD
    features it can dispatch to, and those in use here (after `NPY_DISABLE_CPU_FEATURES`). The
    values cache keys on it; the portability gate asks it of each numpy it runs."""
    import numpy

    try:
        from numpy._core import _multiarray_umath as umath
    except ImportError:  # numpy 1.x
        from numpy.core import _multiarray_umath as umath
    return {
        "numpy": numpy.__version__,
        "dispatch": list(umath.__cpu_dispatch__),
        "features": sorted(name for name, on in umath.__cpu_features__.items() if on),
    }


def strip_directives(line: str) -> str:
    """A line of an example without its `# doctest: ...` comment (readers never see one)."""
    return DIRECTIVE.sub("", line)


def pytest_configure(config) -> None:
    """Loaded with `-p docs_build.checker`: pytest's doc-tests use this checker (the directive is
    registered on import, before any example is parsed)."""
    import _pytest.doctest

    _pytest.doctest.CHECKER_CLASS = OutputChecker
