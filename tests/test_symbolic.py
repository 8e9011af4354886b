r"""Every boxed result on the site, derived again with SymPy from its definition.

The checks live in `tests/symbolic/checks_<chapter>.py`, each registered under the exact LaTeX
of its box (whitespace collapsed) with `@box(...)` from `tests/symbolic/registry.py`; see there.
"""

from __future__ import annotations

import pytest
from symbolic import checks_gradients, checks_learning, checks_losses, checks_numerical  # noqa: F401 - they register
from symbolic.registry import CHECKS, boxes_in, flip_a_sign, is_zero, site_boxes


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
