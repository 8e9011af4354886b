"""Build the site with either builder, serve it on 127.0.0.1, and open it in Chromium.

Used by the tests (tests/conftest.py), `scripts/` and the Makefile's helpers, so that every
caller builds, serves and browses the site the same way.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

from docs_build import DOCS, ROOT

GENERATED = ("notebooks", "figures", "assets")  # folders of docs/ the pre-build step writes
PAGES = sorted(p for p in DOCS.rglob("*.md") if p.relative_to(DOCS).parts[0] not in GENERATED)
IDS = [str(p.relative_to(DOCS)) for p in PAGES]
HAS_MATH = re.compile(r"\$[^$\s`][^$`]*\$|^\$\$", re.MULTILINE)
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
BUILDERS = ("mkdocs", "zensical")

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
    """`mkdocs build --strict` of `config` into `site`."""
    env = dict(ENV, SITE_URL=site_url) if site_url else ENV
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config), "--site-dir", str(site)],
        capture_output=True,
        text=True,
        env=env,
        cwd=config.parent,
        check=False,
    )


def build_zensical(config: Path, site: Path, site_url: str | None = None) -> subprocess.CompletedProcess:
    """`zensical build --clean` of `config` into `site`, which must lie inside the project.

    Zensical has no `--site-dir`, and wants the docs and the site inside the folder of its
    configuration: it builds from a copy of the configuration next to `config`
    (`.zensical-<site name>.yml`, git-ignored) that names `site`. `--clean` always: Zensical's
    cache does not notice changed assets. Its `--strict` caught none of the breakage this site
    once had under it (hooks ignored in silence), so the tests of the built site are the gate.
    """
    site = site.resolve()
    if not site.is_relative_to(config.parent.resolve()):
        raise ValueError(f"Zensical builds only inside its project ({config.parent}); got site = {site}.")
    copy = config.parent / f".zensical-{site.name}.yml"
    copy.write_text(config.read_text(encoding="utf-8") + f"\nsite_dir: {site}\n", encoding="utf-8")
    env = dict(ENV, SITE_URL=site_url) if site_url else ENV
    zensical = Path(sys.executable).with_name("zensical")
    return subprocess.run(
        [str(zensical), "build", "--clean", "--config-file", str(copy)],
        capture_output=True,
        text=True,
        env=env,
        cwd=config.parent,
        check=False,
    )


def build_with(builder: str, site: Path, site_url: str | None = None, config: Path = ROOT / "mkdocs.yml"):
    return (build if builder == "mkdocs" else build_zensical)(config, site, site_url)


def page_url(page: Path) -> str:
    """The page's address relative to the site root: '' for the home page, 'softmax/' etc."""
    rel = page.relative_to(DOCS).with_suffix("").as_posix()
    if rel == "index":
        return ""
    return rel[: -len("index")] if rel.endswith("/index") else rel + "/"


def page_file(site: Path, page: Path) -> Path:
    return site / page_url(page) / "index.html"


def uses_math(page: Path) -> bool:
    """Does the page show formulas? API pages do when their module's docstrings have some."""
    if page.parent.name == "api" and page.name != "index.md":
        module = ROOT / "gradient_docs" / page.name.replace(".md", ".py")
        return module.is_file() and "$" in module.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
    return bool(HAS_MATH.search(text))


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site as GitHub Pages does: quietly, and with the site's own 404 page."""

    def log_message(self, format, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def serve(directory: Path, port: int = 0) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `directory` on 127.0.0.1 (on `port`, or a free one) from a background thread."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def serve_while_alive(directory: Path, port: int, pid: int) -> None:
    """Serve `directory` on 127.0.0.1:`port` until process `pid` exits.

    The test run starts one such server per built site (`python -m docs_build.site DIR PORT PID`,
    with the pid of pytest's main process), so every xdist worker's browser reads the same
    server, and none outlives the run.
    """
    server, _ = serve(directory, port)
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        threading.Event().wait(0.5)
    server.shutdown()


if __name__ == "__main__":
    serve_while_alive(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
