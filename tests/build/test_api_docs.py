"""The API reference reads like Python and leads back to the guide: every public entry names the
page that derives it, and no docstring carries Sphinx or reST markup the site would show raw."""

from __future__ import annotations

import inspect
import re

import pytest
from markdown.extensions.toc import slugify

import gradient_docs
from docs_build.site import PAGES

GUIDE_ANCHORS = {
    slugify(re.search(r"^# (.+)$", page.read_text(encoding="utf-8"), flags=re.MULTILINE).group(1), "-")
    for page in PAGES
    if page.parent.name != "api"
}
ENTRIES = [
    (name, obj)
    for name in gradient_docs.__all__
    if (obj := getattr(gradient_docs, name)) is not None and (inspect.isfunction(obj) or inspect.isclass(obj))
]
RAW_MARKUP = re.compile(r":(?:func|data|class|meth|mod|attr|obj):`|``")


@pytest.mark.parametrize(("name", "obj"), ENTRIES, ids=[name for name, _ in ENTRIES])
def test_every_public_entry_links_the_guide_page_that_derives_it(name, obj) -> None:
    doc = inspect.getdoc(obj) or ""
    assert "See Also\n--------" in doc, name
    section = doc.split("See Also\n--------", 1)[1].split("\n\n", 1)[0]
    anchors = re.findall(r"\]\[([\w-]+)\]", section)
    assert anchors and set(anchors) <= GUIDE_ANCHORS, (name, anchors)


def test_no_docstring_uses_sphinx_roles_or_double_backticks() -> None:
    found = [
        f"{module.__name__}: {match.group(0)}"
        for module in (getattr(gradient_docs, m) for m in dir(gradient_docs))
        if inspect.ismodule(module) and module.__name__.startswith("gradient_docs")
        for match in RAW_MARKUP.finditer(inspect.getsource(module))
    ]
    assert found == []
