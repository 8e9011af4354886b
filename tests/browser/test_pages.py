"""Every page as a reader's browser shows it, under both builders, in one visit per page.

Math rendered with its MathML and KaTeX's own fonts, nothing requested from other hosts, no
failed request and no console error, no serious accessibility violation in light and in dark
(axe-core, after the palette toggle), images with alt text, and the page's weight within budget.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docs_build import DOCS, ROOT
from docs_build.site import IDS, PAGES, page_url, uses_math

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BUDGET = 2_000_000  # bytes a page may load, uncompressed, fonts and search index included
PHONE = {"width": 390, "height": 844}
MIN_FIGURE_TEXT_PX = 9.0

#: Display formulas allowed to scroll sideways on a 390 px phone (each shows a scroll cue);
#: every other formula must fit. At most 5 on the whole site (test below).
SCROLLING_FORMULAS: dict[str, int] = {}

WIDE_CODE = """() => Array.from(document.querySelectorAll("article pre > code"))
  .filter(code => code.scrollWidth > code.clientWidth + 1)
  .map(code => code.textContent.split("\\n").reduce((a, b) => (b.length > a.length ? b : a), ""))"""

PHONE_LAYOUT = """() => {
  const displays = Array.from(document.querySelectorAll("article div.arithmatex"));
  const scrolling = displays.filter(d => d.scrollWidth > d.clientWidth + 1);
  const style = d => getComputedStyle(d);
  return {
    page_overflow: document.documentElement.scrollWidth - window.innerWidth,
    scrolling: scrolling.map(d => d.querySelector("annotation")?.textContent ?? "?"),
    clipped: scrolling.filter(d => !["auto", "scroll"].includes(style(d).overflowX)).length,
    without_cue: scrolling.filter(d => !style(d).backgroundImage.includes("radial-gradient")).length,
    broken_table_math: Array.from(document.querySelectorAll("article td .katex"))
      .filter(k => k.getClientRects().length > 1).map(k => k.textContent),
    figures: Array.from(document.querySelectorAll("article figure.gd-figure")).map(f => {
      const img = Array.from(f.querySelectorAll("img")).find(i => i.offsetParent !== null);
      return {
        src: img ? img.getAttribute("src") : null,
        rendered: img ? img.clientWidth : 0,
        natural: img ? img.naturalWidth : 0,
        caption: f.querySelector("figcaption")?.textContent.trim() ?? "",
        link: img?.parentElement?.tagName === "A" ? img.parentElement.getAttribute("href") : null,
      };
    }),
  };
}"""

VISIBLE_TEXT = """() => {
  const clone = document.querySelector("article").cloneNode(true);
  clone.querySelectorAll("pre, code, .katex-mathml, .math-text, script, style").forEach(node => node.remove());
  return clone.innerText;
}"""


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def switch_to_dark(page) -> None:
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")


def loaded_bytes(seen) -> int:
    return sum(int(r.headers.get("content-length", 0)) for r in seen.responses)


def wait_for_search_index(seen) -> None:
    """Both themes fetch the search index after load; wait for it so the weight includes it."""
    def is_index(response) -> bool:
        return response.url.split("?")[0].endswith(("search_index.json", "search.json"))

    if not any(is_index(r) for r in seen.responses):
        seen.page.wait_for_event("response", is_index, timeout=15_000)


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_page_as_a_reader_gets_it(visit, built, page: Path) -> None:
    seen = visit(page_url(page))
    p = seen.page
    if uses_math(page):
        p.evaluate("document.fonts.ready")
        katex = p.locator(".katex").count()
        assert katex >= 1
        assert p.locator(".katex .katex-mathml math").count() == katex  # MathML for screen readers
        loaded = p.evaluate("Array.from(document.fonts).filter(f => f.status === 'loaded').map(f => f.family)")
        assert "KaTeX_Main" in {family.strip("\"'") for family in loaded}
        font_responses = [r.url for r in seen.responses if r.url.endswith(".woff2")]
        assert font_responses and all("/assets/katex/fonts/" in url for url in font_responses)
    assert p.locator(".katex-error").count() == 0
    text = p.evaluate(VISIBLE_TEXT)
    for delimiter in ("\\(", "\\[", "$$", "{{"):
        assert delimiter not in text, f"raw {delimiter!r} visible on {page.name}"
    alts = p.evaluate("Array.from(document.querySelectorAll('article img')).map(i => i.getAttribute('alt') || '')")
    assert all(len(alt) >= 40 for alt in alts), alts
    assert p.evaluate(WIDE_CODE) == [], "code wider than the column at 1280 px"

    assert serious_violations(p) == [], "light"
    switch_to_dark(p)
    assert serious_violations(p) == [], "dark"

    p.set_viewport_size(PHONE)
    layout = p.evaluate(PHONE_LAYOUT)
    assert layout["page_overflow"] <= 0, "the page scrolls sideways on a phone"
    assert layout["clipped"] == 0 and layout["without_cue"] == 0
    allowed = SCROLLING_FORMULAS.get(str(page.relative_to(DOCS)), 0)
    assert len(layout["scrolling"]) <= allowed, f"formulas wider than a phone: {layout['scrolling']}"
    assert layout["broken_table_math"] == []
    smallest = figure_text_pt(built)
    for figure in layout["figures"]:
        assert figure["caption"] and figure["link"] and figure["link"].endswith(".svg"), figure
        name = figure["src"].rsplit("/", 1)[-1].split("#")[0].rsplit("-", 1)[0]
        text_px = smallest[name] * 4 / 3 * figure["rendered"] / figure["natural"]
        assert text_px >= MIN_FIGURE_TEXT_PX, f"{name}: smallest text {text_px:.1f} px tall on a phone"

    wait_for_search_index(seen)
    assert seen.foreign == [], f"requests to other hosts: {seen.foreign}"
    assert seen.failed == [], f"failed requests: {seen.failed}"
    assert [r.url for r in seen.responses if r.status >= 400] == []
    assert seen.console_errors == []
    weight = loaded_bytes(seen)
    assert 200_000 < weight <= BUDGET, f"/{page_url(page)} loads {weight} bytes"  # theme CSS+JS alone is ~330 kB


def figure_text_pt(built) -> dict[str, float]:
    return json.loads((built.folder / "figures/figures.json").read_text(encoding="utf-8"))["smallest_text_pt"]


def test_at_most_five_formulas_on_the_site_scroll_on_a_phone() -> None:
    assert sum(SCROLLING_FORMULAS.values()) <= 5
    assert set(SCROLLING_FORMULAS) <= set(IDS)
