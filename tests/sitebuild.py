"""Build the site once for the test session and serve it on 127.0.0.1, as a reader gets it."""

from __future__ import annotations

import functools
import http.server
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
IDS = [str(p.relative_to(DOCS)) for p in PAGES]
HAS_MATH = re.compile(r"\$[^$\s`][^$`]*\$|^\$\$", re.MULTILINE)
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

# Debian's Chromium, as the browser suite and the scripts launch it (never a downloaded browser).
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")  # the Makefile passes the same variable
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch_chromium(playwright):
    """Launch Debian's Chromium through Playwright with the flags this machine needs."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)


def build(config: Path, site: Path, site_url: str | None = None) -> subprocess.CompletedProcess:
    env = dict(ENV, SITE_URL=site_url) if site_url else ENV
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config), "--site-dir", str(site)],
        capture_output=True, text=True, env=env, cwd=config.parent, check=False,
    )


def page_url(page: Path) -> str:
    """The page's address relative to the site root: '' for the home page, 'softmax/' etc."""
    rel = page.relative_to(DOCS).with_suffix("").as_posix()
    if rel == "index":
        return ""
    return (rel[: -len("index")] if rel.endswith("/index") else rel + "/")


def page_file(site: Path, page: Path) -> Path:
    return site / page_url(page) / "index.html"


def uses_math(page: Path) -> bool:
    """Does the page show formulas? API pages do when their module's docstrings have some."""
    if page.parent.name == "api" and page.name != "index.md":
        return "$" in (ROOT / "gradient_docs" / page.name.replace(".md", ".py")).read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
    return bool(HAS_MATH.search(text))


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature is http.server's
        pass


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``directory`` on a free port of 127.0.0.1 from a background thread."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"
