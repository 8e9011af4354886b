"""Screenshots of every page of the built site, light and dark, for a person to look at.

    python -m docs_build.screenshots [site] [folder]     # defaults: site/ and screenshots/

Serves the built site on 127.0.0.1 and writes one full-page PNG per page, colour scheme and
width (a 1280 px desktop, a 390 px phone), named like ``losses-softmax-390-dark.png``, with
Debian's Chromium driven by Playwright. The folder is
not committed (.gitignore); `make screenshots` builds the site and runs this.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docs_build import ROOT
from docs_build.site import PAGES, launch_chromium, page_url, serve

#: A full-page screenshot shows images below the fold, which `loading="lazy"` has not fetched.
LOAD_EVERY_IMAGE = """async () => {
  const images = Array.from(document.images);
  images.forEach(image => { image.loading = "eager"; });
  await Promise.all(images.map(image => image.complete ? null : new Promise(done => {
    image.addEventListener("load", done); image.addEventListener("error", done);
  })));
}"""

#: A desktop and a phone (the widths the browser suite checks the layout at).
WIDTHS = ((1280, 900), (390, 844))


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    site = Path(argv[1] if len(argv) > 1 else ROOT / "site")
    folder = Path(argv[2] if len(argv) > 2 else ROOT / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    server, base = serve(site)
    written = 0
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            for scheme in ("light", "dark"):
                for width, height in WIDTHS:
                    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": height})
                    page = context.new_page()
                    for source in PAGES:
                        path = page_url(source)
                        page.goto(base + path, wait_until="load")
                        page.evaluate(LOAD_EVERY_IMAGE)
                        page.evaluate("document.fonts.ready")
                        name = (path.strip("/").replace("/", "-") or "index") + f"-{width}-{scheme}.png"
                        page.screenshot(path=str(folder / name), full_page=True)
                        written += 1
                    context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    print(f"{written} screenshots in {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
