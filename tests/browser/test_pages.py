"""Every page as a reader's browser shows it: math, fonts, requests, console, accessibility."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitebuild import IDS, PAGES, ROOT, page_url, uses_math

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

VISIBLE_TEXT = """() => {
  const clone = document.querySelector("article").cloneNode(true);
  clone.querySelectorAll("pre, code, .katex-mathml, script, style").forEach(node => node.remove());
  return clone.innerText;
}"""


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_page_renders_offline_with_math_fonts_and_no_errors(visit, page: Path) -> None:
    seen = visit(page_url(page))
    p = seen.page
    assert seen.foreign == [], f"requests to other hosts: {seen.foreign}"
    assert seen.failed == [], f"failed requests: {seen.failed}"
    assert [r.url for r in seen.responses if r.status >= 400] == []
    assert seen.console_errors == []
    assert p.locator(".katex-error").count() == 0
    text = p.evaluate(VISIBLE_TEXT)
    for delimiter in ("\\(", "\\[", "$$"):
        assert delimiter not in text, f"raw {delimiter!r} visible on {page.name}"
    if uses_math(page):
        katex = p.locator(".katex").count()
        assert katex >= 1
        assert p.locator(".katex .katex-mathml math").count() == katex  # MathML for screen readers
        p.evaluate("document.fonts.ready")
        loaded = p.evaluate("Array.from(document.fonts).filter(f => f.status === 'loaded').map(f => f.family)")
        assert "KaTeX_Main" in {family.strip("\"'") for family in loaded}
        font_responses = [r.url for r in seen.responses if r.url.endswith(".woff2")]
        assert font_responses and all("/assets/katex/fonts/" in url for url in font_responses)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_page_has_no_serious_accessibility_violations(visit, page: Path, scheme: str) -> None:
    p = visit(page_url(page), color_scheme=scheme).page
    assert p.evaluate("document.body.getAttribute('data-md-color-scheme')") == ("slate" if scheme == "dark" else "default")
    p.add_script_tag(path=str(AXE))
    result = p.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], json.dumps(serious, indent=1)
    alts = p.evaluate("Array.from(document.querySelectorAll('article img')).map(i => i.getAttribute('alt') || '')")
    assert all(len(alt) > 20 for alt in alts), alts
