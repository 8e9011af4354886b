"""Real-browser fixtures, a pytest plugin loaded by tests/conftest.py.

Debian's Chromium, driven by Playwright, against the built sites served on 127.0.0.1. One
browser per worker serves its share of the suite; each visit gets a fresh context (empty cache,
its own colour scheme). Never a downloaded browser: Playwright launches /usr/bin/chromium (install it with
`apt-get install chromium`). Without it these tests fail with that instruction; they never skip.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

from docs_build.site import CHROMIUM, launch_chromium


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}. The browser tests need Debian's Chromium: "
            "`sudo apt-get install chromium` (or set CHROMIUM=/path/to/chromium). "
            "`make test-fast` runs everything else."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@dataclass
class Visit:
    """What happened while a page loaded: console errors, failed and foreign requests, responses."""

    page: object
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    responses: list[object] = field(default_factory=list)


@pytest.fixture
def visit(browser, built):
    """Open a page of the site in a fresh context (light scheme by default, clipboard allowed).

    Requests to any host but the local server are aborted and recorded, so a page that depends
    on the network fails the test exactly as it would fail a reader who is offline. The page is
    ready at the `load` event: a static site has nothing to wait for after it.
    """
    base = built.url  # served by tests/conftest.py for the whole run
    host = urlparse(base).netloc
    contexts = []

    def open_page(path: str = "", *, color_scheme: str = "light", viewport=None) -> Visit:
        context = browser.new_context(
            color_scheme=color_scheme,
            permissions=["clipboard-read", "clipboard-write"],
            viewport=viewport or {"width": 1280, "height": 800},
        )
        contexts.append(context)
        page = context.new_page()
        record = Visit(page)

        def route(route):
            if urlparse(route.request.url).netloc == host or route.request.url.startswith(("data:", "blob:")):
                route.continue_()
            else:
                record.foreign.append(route.request.url)
                route.abort()

        context.route("**/*", route)
        page.on(
            "console", lambda message: record.console_errors.append(message.text) if message.type == "error" else None
        )
        page.on("pageerror", lambda error: record.console_errors.append(str(error)))
        page.on("requestfailed", lambda request: record.failed.append(f"{request.url} ({request.failure})"))
        page.on("response", lambda response: record.responses.append(response))
        page.goto(base + path, wait_until="load")
        return record

    yield open_page
    for context in contexts:
        context.close()
