r"""The register of SymPy checks of the site's boxed results, and the helpers they share.

Each check is registered under the exact LaTeX inside its `\boxed{...}` (whitespace collapsed),
so editing a box without updating its check fails `test_every_box_on_the_site_has_a_check`, and
a check whose box disappeared fails `test_every_check_belongs_to_a_box`. A check returns pairs
`(derived, claimed)`: `derived` computed from the definition (differentiating the loss, solving
for the optimum...), `claimed` transcribed from the box. The difference must simplify to zero,
and the same check with a sign flipped in the claim must not, so no check can pass by accident.

Where SymPy can, n stays symbolic (sums over an index); otherwise n = 1..4 with indexed symbols.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path

import sympy as sp

from docs_build import ROOT
from docs_build.site import PAGES

Pair = tuple[sp.Basic, sp.Basic]
CHECKS: dict[str, Callable[[], list[Pair]]] = {}


def box(latex: str):
    """Register the check of the box whose LaTeX is `latex`."""

    def register(check: Callable[[], list[Pair]]):
        CHECKS[normalise(latex)] = functools.cache(check)  # derived once, for both tests of a box
        return check

    return register


def normalise(latex: str) -> str:
    return re.sub(r"\s+", " ", latex).strip()


def boxes_in(text: str) -> list[str]:
    """The contents of every `\\boxed{...}` in `text`, braces balanced."""
    found = []
    for match in re.finditer(r"\\boxed\{", text):
        depth, i = 1, match.end()
        while depth and i < len(text):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        found.append(normalise(text[match.end() : i - 1]))
    return found


def site_boxes() -> dict[str, list[str]]:
    """{box LaTeX: [where it appears]} over every page and every docstring of the package."""
    sources = [(p, p.read_text(encoding="utf-8")) for p in PAGES]
    sources += [(p, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "gradient_docs").rglob("*.py"))]
    where: dict[str, list[str]] = {}
    for path, text in sources:
        for latex in boxes_in(text):
            where.setdefault(latex, []).append(str(Path(path).relative_to(ROOT)))
    return where


def is_zero(expression) -> bool:
    if isinstance(expression, sp.MatrixBase):
        return all(is_zero(e) for e in expression)
    return sp.simplify(sp.expand(expression)) == 0


def flip_a_sign(expression):
    """The claim with one sign flipped: the first term of the first sum, or the whole."""
    if isinstance(expression, sp.MatrixBase):
        flipped = expression.copy()
        k = next(i for i, e in enumerate(flipped) if e != 0)
        flipped[k] = flip_a_sign(flipped[k])
        return flipped
    for node in sp.preorder_traversal(expression):
        if isinstance(node, sp.Add):
            first, *rest = node.args
            return expression.xreplace({node: sp.Add(-first, *rest, evaluate=False)})
    return -expression
