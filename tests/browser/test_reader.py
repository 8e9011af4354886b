"""The site as a reader's browser shows it, under both builders.

Every page in one visit: math rendered with its MathML and KaTeX's own fonts, nothing requested
from other hosts, no failed request and no console error, no serious accessibility violation in
light and in dark (axe-core, after the palette toggle), images with alt text, the page's weight
within budget, and a layout that fits a desktop column and a phone. Then what a reader does:
navigate, search, copy an example, switch the palette, follow a broken link.

`make test` shares these tests out between its two workers; each drives its own Chromium
against the one server per site that tests/conftest.py starts for the run.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from docs_build import DOCS, ROOT, figures
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

WIDE_TABLES = """() => Array.from(document.querySelectorAll("article table"))
  .filter(table => table.scrollWidth > table.clientWidth + 1)
  .map(table => table.querySelector("th")?.textContent ?? "?")"""

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
        natural: img ? Number(img.getAttribute("width")) : 0,  // the SVG's size (tests/site); lazy images may not have loaded
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


#: What the palette toggle can change: colours, and which figure variant is shown.
SCHEME_RULES = ["color-contrast", "link-in-text-block", "image-alt"]

#: Zensical's pages run axe on this sample (the home page, the notation, a page of each chapter
#: with math, figures and examples, an API page). Its other pages have the same article markup
#: as MkDocs' (tests/site checks that on every page) and the same theme around it, so MkDocs'
#: full run over every page covers them; the sample covers what differs, the theme.
ZENSICAL_AXE_SAMPLE = {
    "index.md",
    "notation.md",
    "gradients/gradient.md",
    "losses/softmax.md",
    "numerical/step-size.md",
    "learning/autodiff.md",
    "api/check.md",
}


def serious_violations(page, rules: list[str] | None = None) -> list[str]:
    """axe-core's serious and critical violations on the page (all rules, or just `rules`)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    options = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    result = page.evaluate("async options => await axe.run(document, options)", options)
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
    if page.relative_to(DOCS).parts[0] != "api":  # content pages; docstrings have their own limit
        assert p.evaluate(WIDE_CODE) == [], "code wider than the column at 1280 px"
    assert p.evaluate(WIDE_TABLES) == [], "tables wider than the column at 1280 px"

    run_axe = built.builder == "mkdocs" or str(page.relative_to(DOCS)) in ZENSICAL_AXE_SAMPLE
    if run_axe:
        assert serious_violations(p) == [], "light"
    switch_to_dark(p)
    if run_axe:
        assert serious_violations(p, SCHEME_RULES) == [], "dark"

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


# --- what a reader does ------------------------------------------------------------------------


def test_instant_navigation_renders_math_on_the_new_page(visit) -> None:
    seen = visit("")
    page = seen.page
    page.evaluate("window.__still_the_same_document = true")
    page.locator("nav.md-nav--primary a.md-nav__link", has_text="Softmax").first.click()
    page.wait_for_url(re.compile(r".*/softmax/$"))
    page.wait_for_selector("h1:has-text('Softmax and its Jacobian')")
    # Material's instant navigation swaps the content in place: no full page load happened.
    assert page.evaluate("window.__still_the_same_document === true")
    assert page.locator("article .katex").count() > 20
    assert page.locator(".katex-error").count() == 0
    assert seen.foreign == [] and seen.failed == [] and seen.console_errors == []


CONCEPT_QUERIES = {
    "huber": "losses/regression/",
    "softmax jacobian": "losses/softmax/",
    "step size": "numerical/step-size/",
    "complex step": "numerical/complex-step/",
    "cross entropy": "losses/multiclass/",
}
TEX = re.compile(r"\\[A-Za-z]+|\\[()\[\]]|\$\$")


def search(page, query: str) -> list[tuple[str, str]]:
    """Type `query` into the site's search, as a reader does; (address, text) of each result.

    Material shows results under `.md-search-result`; Zensical in a dialog inside a shadow
    root, which Playwright's locators pierce.
    """
    if page.locator("input.md-search__input").count():
        page.locator("input.md-search__input").click()
        page.locator("input.md-search__input").press_sequentially(query, delay=20)
        results = page.locator(".md-search-result__item > a")
    else:
        page.locator(".md-search__button").first.click()
        page.locator("input[placeholder='Search']").press_sequentially(query, delay=20)
        results = page.locator("ol[aria-label='Search results'] a[role='option']")
    results.first.wait_for(timeout=15_000)
    return results.evaluate_all("links => links.map(a => [a.getAttribute('href'), a.innerText])")


@pytest.mark.parametrize("query", list(CONCEPT_QUERIES))
def test_concept_queries_find_the_guide_page_first_with_readable_snippets(visit, query) -> None:
    seen = visit("")
    results = search(seen.page, query)
    addresses = [re.sub(r"^https?://[^/]+/|[?#].*$", "", href) for href, _ in results]
    assert not addresses[0].startswith("api/"), addresses[:3]
    assert CONCEPT_QUERIES[query] in addresses[:3], addresses[:3]
    raw_tex = [TEX.findall(text) for _, text in results]
    assert not any(raw_tex), [t for t in raw_tex if t][:3]
    assert seen.foreign == [] and seen.failed == []


def copy_block(page, index: int) -> str:
    block = page.locator("div.language-pycon").nth(index)
    block.hover()
    block.locator("button.md-code__button[data-md-type='copy'], button.md-clipboard").first.click()
    return page.evaluate("navigator.clipboard.readText()")


def test_copy_button_copies_runnable_code_without_prompts_or_output(visit) -> None:
    page = visit("").page
    copied = copy_block(page, 0)
    assert ">>>" not in copied and "..." not in copied
    assert "True" not in copied and "[10. -2.]" not in copied  # the output lines are left out
    namespace: dict = {}
    exec(compile(copied, "copied from the home page", "exec"), namespace)  # noqa: S102 - the test runs what a reader pastes
    assert namespace["result"].passed and np.array_equal(np.round(namespace["result"].numerical, 6), [10.0, -2.0])


def test_every_copied_block_of_a_page_is_valid_python(visit) -> None:
    page = visit("losses/softmax/").page
    count = page.locator("div.language-pycon").count()
    assert count >= 6
    for index in range(count):
        compile(copy_block(page, index), f"softmax block {index}", "exec")


def relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_palette_toggle_switches_to_dark_and_shows_the_dark_figures(visit) -> None:
    seen = visit("numerical/step-size/")
    page = seen.page
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"

    shown = """() => Array.from(document.querySelectorAll('article img'))
                 .filter(img => img.offsetParent !== null && img.complete && img.naturalWidth > 0)
                 .map(img => img.getAttribute('src'))"""

    def shown_figures(scheme: str) -> list[str]:
        # The figures load lazily: wait until the one of this scheme has arrived, then list all.
        page.wait_for_function(f"({shown})().some(src => src.endsWith('#only-{scheme}'))", timeout=10_000)
        return [src.split("/")[-1] for src in page.evaluate(shown)]

    page.locator("img[src$='error-vs-step-light.svg#only-light']").scroll_into_view_if_needed()
    assert shown_figures("light") == ["error-vs-step-light.svg#only-light"]
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    assert shown_figures("dark") == ["error-vs-step-dark.svg#only-dark"]
    # The dark figure is drawn on Material's slate background with light text and lines.
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    dark = figures.THEMES["dark"]
    dark_url = page.evaluate("document.querySelector('article img[src*=\"error-vs-step-dark\"]').src")
    svg = page.request.get(dark_url.split("#")[0]).text()
    assert dark["bg"] in svg and dark["fg"] in svg
    assert contrast(dark["bg"], dark["fg"]) >= 7
    assert all(contrast(dark["bg"], line) >= 4.5 for line in dark["lines"])
    assert all(contrast(figures.THEMES["light"]["bg"], line) >= 3 for line in figures.THEMES["light"]["lines"])
    r, g, b = (int(v) for v in re.findall(r"\d+", background)[:3])
    page_background = f"#{r:02x}{g:02x}{b:02x}"
    assert contrast(page_background, dark["bg"]) < 1.3  # the figure sits on the page, not a white box
    assert seen.foreign == [] and seen.failed == [] and seen.console_errors == []


def test_not_found_page_offers_search_and_the_chapters_offline(visit) -> None:
    seen = visit("no-such-page/")
    page = seen.page
    assert page.locator("h1", has_text="Page not found").count() == 1
    chapters = page.locator("article li a").evaluate_all("links => links.map(a => [a.innerText, a.href])")
    titles = [title for title, _ in chapters]
    for chapter in ("Gradients", "Loss functions", "Numerical differentiation", "Gradients for learning"):
        assert chapter in titles, titles
    for _, href in chapters:
        assert page.request.get(href).status == 200, href
    assert page.locator("article label[for='__search']").count() == 1
    # The one error a browser logs is the page's own 404 status, which is the point.
    assert [e for e in seen.console_errors if "404 (Not Found)" not in e] == []
    assert [r.url for r in seen.responses if r.status >= 400] == [seen.page.url]
    assert seen.foreign == [] and seen.failed == []
