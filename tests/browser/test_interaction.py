"""Navigation, search, the copy button and the colour palette, as a reader uses them."""

from __future__ import annotations

import re

import numpy as np

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


def test_search_for_softmax_lists_the_softmax_page(visit) -> None:
    seen = visit("")
    page = seen.page
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("softmax", delay=20)
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=15_000)
    targets = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    pages = {re.sub(r"[?#].*$", "", href) for href in targets}
    assert any(re.search(r"(^|/)softmax/$", page_address) for page_address in pages), pages
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


def test_not_found_page_renders_offline(visit) -> None:
    seen = visit("404.html")
    assert seen.page.locator("h1", has_text="404").count() == 1
    assert seen.foreign == [] and seen.failed == [] and seen.console_errors == []
