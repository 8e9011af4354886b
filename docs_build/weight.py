"""Page weight: the bytes a browser actually loads for each page of the built site.

    python -m docs_build.weight [site]      # default: site/ (run `make build` first)

Serves the built site on 127.0.0.1, opens every page in Debian's Chromium (Playwright, never a
downloaded browser) with an empty cache, waits until the network is idle, and adds up the
uncompressed size of every response: HTML, CSS, JavaScript, fonts, images and data (the search
index). Prints a table, the heaviest page and what makes it heavy, and exits 1 if any page is
over the budget of 2 MB.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from docs_build import ROOT
from docs_build.site import PAGES, launch_chromium, page_url, serve

BUDGET = 2_000_000  # bytes, uncompressed, fonts included


def kind(url: str, content_type: str) -> str:
    path = url.split("?")[0].split("#")[0]
    for suffix, name in ((".woff2", "fonts"), (".css", "css"), (".js", "js"), (".svg", "images"), (".json", "data")):
        if path.endswith(suffix):
            return name
    return "html" if "html" in content_type or path.endswith("/") else "other"


def measure(browser, base: str, paths: list[str]) -> dict[str, dict[str, int]]:
    """{path: {kind: bytes}} for each page, loaded in a fresh context (empty cache)."""
    weights = {}
    for path in paths:
        context = browser.new_context()
        page = context.new_page()
        sizes: dict[str, int] = defaultdict(int)

        def on_response(response, sizes=sizes):
            try:
                body = response.body()
            except Exception:  # noqa: BLE001 - redirects and aborted requests have no body
                return
            sizes[kind(response.url, response.headers.get("content-type", ""))] += len(body)

        page.on("response", on_response)
        page.goto(base + path, wait_until="networkidle")
        page.wait_for_timeout(300)  # late requests: the search worker's index
        weights[path] = dict(sizes)
        context.close()
    return weights


def report(weights: dict[str, dict[str, int]]) -> str:
    kinds = ["html", "css", "js", "fonts", "images", "data", "other"]
    lines = [f"{'page':32s}" + "".join(f"{k:>9s}" for k in kinds) + f"{'total':>10s}   (kB)"]
    for path, sizes in sorted(weights.items(), key=lambda item: -sum(item[1].values())):
        lines.append(
            f"/{path:31s}"
            + "".join(f"{sizes.get(k, 0) / 1000:9.1f}" for k in kinds)
            + f"{sum(sizes.values()) / 1000:10.1f}"
        )
    heaviest, sizes = max(weights.items(), key=lambda item: sum(item[1].values()))
    main = max(sizes, key=sizes.get)
    lines.append(
        f"\nHeaviest: /{heaviest} at {sum(sizes.values()) / 1e6:.2f} MB; its largest part is {main} "
        f"({sizes[main] / 1000:.0f} kB). Budget: {BUDGET / 1e6:.0f} MB per page."
    )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    site = Path(argv[1] if len(argv) > 1 else ROOT / "site")
    server, base = serve(site)
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            weights = measure(browser, base, [page_url(p) for p in PAGES])
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    print(report(weights))
    return 1 if any(sum(s.values()) > BUDGET for s in weights.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
