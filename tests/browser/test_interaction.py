"""Navigation, search, the copy button and the colour palette, as a reader uses them."""

from __future__ import annotations

import re

import numpy as np
import pytest

from docs_build import figures


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
    exec(compile(copied, "copied from the home page", "exec"), namespace)  # runs as pasted
    assert namespace["result"].passed and np.array_equal(np.round(namespace["result"].numerical, 6), [10.0, -2.0])


def test_every_copied_block_of_a_page_is_valid_python(visit) -> None:
    page = visit("softmax/").page
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
    seen = visit("step-size/")
    page = seen.page
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"

    def shown_figures():
        return page.evaluate(
            """() => Array.from(document.querySelectorAll('article img'))
                 .filter(img => img.offsetParent !== null && img.complete && img.naturalWidth > 0)
                 .map(img => img.getAttribute('src'))"""
        )

    assert [src.split("/")[-1] for src in shown_figures()] == ["error-vs-step-light.svg#only-light"]
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    assert [src.split("/")[-1] for src in shown_figures()] == ["error-vs-step-dark.svg#only-dark"]
    # The dark figure is drawn on Material's slate background with light text and lines.
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    dark = figures.THEMES["dark"]
    svg = (page.request.get(page.url + "../figures/error-vs-step-dark.svg").text())
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
    assert seen.foreign == [] and seen.failed == [] and seen.console_errors == []
