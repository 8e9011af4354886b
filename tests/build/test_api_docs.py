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


def _documented(obj) -> list:
    """The objects the API pages render: each module in `__all__` order and its public members."""
    out = [obj]
    for member in obj.members.values():
        if member.is_alias or member.name.startswith("_") or not member.is_public:
            continue
        out += _documented(member) if member.is_class else [member]
    return out


@pytest.fixture(scope="module")
def docstring_items() -> list[tuple]:
    """Every typed item of every rendered docstring, as mkdocstrings parses it.

    (object path, section kind, the type as written, the type as the API page shows it). griffe
    parses a numpydoc type as a Python expression where it can, and the page then shows the
    expression re-printed: `ndarray, shape (n,)` becomes `(ndarray, shape(n,))`.
    """
    import griffe
    from griffe._internal.docstrings import numpy as numpy_parser  # what mkdocstrings' parser calls

    seen: list[tuple[str, str, str]] = []
    original = numpy_parser.parse_docstring_annotation

    def record(annotation, docstring, **kwargs):
        parsed = original(annotation, docstring, **kwargs)
        seen.append((docstring.parent.path, annotation, str(parsed)))
        return parsed

    items = []
    numpy_parser.parse_docstring_annotation = record
    try:
        package = griffe.load("gradient_docs", docstring_parser="numpy")
        modules = [package[m] for m in sorted(package.members) if not m.startswith("_") and package[m].is_module]
        for obj in [o for module in modules for o in _documented(module)]:
            if obj.docstring is None:
                continue
            for section in obj.docstring.parse("numpy"):
                for item in section.value if isinstance(section.value, list) else []:
                    if hasattr(item, "annotation"):
                        items.append((obj.path, section.kind.value, item))
    finally:
        numpy_parser.parse_docstring_annotation = original
    written = {(path, shown): text for path, text, shown in seen}
    return [
        (path, kind, written.get((path, str(item.annotation)), str(item.annotation)), str(item.annotation), item)
        for path, kind, item in items
    ]


def test_docstring_types_read_like_python_as_written_with_no_markup(docstring_items) -> None:
    debris = [
        f"{path} ({kind}): {written!r} shows as {shown!r}"
        for path, kind, written, shown, _ in docstring_items
        if written != shown or re.search(r"[`$\\]", shown)
    ]
    assert not debris, "\n".join(["types shown otherwise than written, or with markup:", *debris])


def test_every_parameter_return_and_attribute_has_a_description(docstring_items) -> None:
    bare = [
        f"{path} ({kind}): {getattr(item, 'name', '') or written}"
        for path, kind, written, _, item in docstring_items
        if kind in ("parameters", "other parameters", "returns", "attributes") and not item.description.strip()
    ]
    assert not bare, "\n".join(["items without a description:", *bare])


def test_no_parameter_group_goes_without_a_type() -> None:
    # `method, step, bounds` with no type: griffe gives every name the first one's annotation and
    # default from the signature, so the page would show `bounds : str = "central"`.
    groups = [
        f"{name}: {line.strip()}"
        for name, obj in ENTRIES
        + [
            (f"{name}.{m}", getattr(obj, m))
            for name, obj in ENTRIES
            if inspect.isclass(obj)
            for m in vars(obj)
            if not m.startswith("_") and callable(getattr(obj, m))
        ]
        for line in (inspect.getdoc(obj) or "").splitlines()
        if re.fullmatch(r"\w+(?:, \w+)+", line.strip()) and not line.startswith(" ")
    ]
    assert not groups, "\n".join(["parameter groups without a type:", *groups])
