r"""Every boxed result on the site, derived again with SymPy from its definition.

The checks live in `tests/symbolic/checks_<chapter>.py`, each registered under the exact LaTeX
of its box (whitespace collapsed) with `@box(...)` from `tests/symbolic/registry.py`; see there.
"""

from __future__ import annotations

import pytest
from symbolic import checks_gradients, checks_learning, checks_losses, checks_numerical  # noqa: F401 - they register
from symbolic.registry import CHECKS, boxes_in, flip_a_sign, is_zero, site_boxes

# One worker takes every test of this file, so each box's SymPy check is derived once (cached)
# for both of its tests.
pytestmark = pytest.mark.xdist_group("symbolic")


def test_every_box_on_the_site_has_a_check() -> None:
    missing = {latex: where for latex, where in site_boxes().items() if latex not in CHECKS}
    assert missing == {}, "boxes without a SymPy check in tests/test_symbolic.py"


def test_every_check_belongs_to_a_box() -> None:
    assert set(CHECKS) <= set(site_boxes())


def test_the_site_has_boxes() -> None:
    assert len(site_boxes()) >= 20


@pytest.mark.parametrize("latex", sorted(CHECKS), ids=lambda latex: latex[:60])
def test_box_is_derived_from_its_definition(latex: str) -> None:
    pairs = CHECKS[latex]()
    assert pairs
    for derived, claimed in pairs:
        assert is_zero(derived - claimed), (derived, claimed)


@pytest.mark.parametrize("latex", sorted(CHECKS), ids=lambda latex: latex[:60])
def test_box_with_a_flipped_sign_fails_its_check(latex: str) -> None:
    derived, claimed = CHECKS[latex]()[0]
    assert not is_zero(claimed), "a claim of zero cannot be told from its negation"
    assert not is_zero(derived - flip_a_sign(claimed))


def test_box_extraction_balances_braces() -> None:
    text = r"a $\boxed{\frac{a}{b} = c_{k}}$ and $$\boxed{x}$$"
    assert boxes_in(text) == [r"\frac{a}{b} = c_{k}", "x"]


@pytest.mark.parametrize("page", ["numerical/complex-step.md", "numerical/richardson.md"])
def test_the_reference_derivative_typed_on_a_page_is_the_closed_forms_nearest_double(page: str) -> None:
    # Both pages differentiate e^x / sqrt(sin^3 x + cos^3 x) at x = 1.5 against a typed reference
    # (so a reader sees the number); it must be the double nearest the exact derivative.
    import re

    import sympy as sp

    from docs_build import DOCS

    typed = re.findall(r"^>>> reference = (\S+)$", (DOCS / page).read_text(encoding="utf-8"), re.MULTILINE)
    t = sp.symbols("t")
    exact = sp.diff(sp.exp(t) / sp.sqrt(sp.sin(t) ** 3 + sp.cos(t) ** 3), t).evalf(40, subs={t: sp.Rational(3, 2)})
    assert len(typed) == 1 and float(typed[0]) == float(exact), (typed, exact)
