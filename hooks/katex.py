"""Render the site's math with KaTeX when the site is built, so pages need no script and no network.

``pymdownx.arithmatex`` (generic mode) leaves every formula in the page as
``<span class="arithmatex">\\(...\\)</span>`` or ``<div class="arithmatex">\\[...\\]</div>``.
After the page is rendered (``on_post_page``, so the search index has already taken the raw
LaTeX), this hook sends all formulas of the page to one ``node`` process running
``katex_render.cjs`` and puts KaTeX's HTML (with its MathML) in their place.

KaTeX's stylesheet and its woff2 fonts are added to the build from ``node_modules/katex`` in
``on_files``; nothing is copied into ``docs/``. A formula KaTeX cannot parse is logged as an
error naming the page and KaTeX's message, which fails ``mkdocs build --strict``; ``mkdocs
serve`` keeps running and shows the raw formula marked as an error.
"""

from __future__ import annotations

import html
import json
import logging
import re
import shutil
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.katex")

ROOT = Path(__file__).resolve().parent.parent
RENDERER = Path(__file__).resolve().parent / "katex_render.cjs"
KATEX_DIST = ROOT / "node_modules" / "katex" / "dist"
ASSET_DIR = "assets/katex"

# What arithmatex (generic mode) emits. The TeX inside is HTML-escaped.
FORMULA = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">'
    r"(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<display>.*?)\\\])"
    r"</(?P=tag)>",
    re.DOTALL,
)
# KaTeX's stylesheet lists woff2, woff and ttf for every font; we ship only woff2,
# which every browser KaTeX supports loads, so the fallbacks would be dead links.
FONT_FALLBACK = re.compile(r',url\([^)]*\.(?:woff|ttf)\) format\("(?:woff|truetype)"\)')


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        raise PluginError("KaTeX: `node` was not found on PATH; install Node.js >= 18 (see README).")
    if not KATEX_DIST.is_dir():
        raise PluginError(f"KaTeX: {KATEX_DIST} is missing; run `npm ci` (or `make serve`).")
    return node


def on_files(files: Files, config) -> Files:
    """Add KaTeX's CSS (woff2 fonts only) and fonts to the build, straight from node_modules."""
    _node()
    css = FONT_FALLBACK.sub("", (KATEX_DIST / "katex.min.css").read_text(encoding="utf-8"))
    files.append(File.generated(config, f"{ASSET_DIR}/katex.min.css", content=css))
    for font in sorted((KATEX_DIST / "fonts").glob("*.woff2")):
        files.append(File.generated(config, f"{ASSET_DIR}/fonts/{font.name}", abs_src_path=str(font)))
    return files


def render(formulas: list[tuple[str, bool]]) -> list[dict[str, str]]:
    """Render ``(tex, display)`` pairs with one node process; one result dict per formula."""
    payload = json.dumps([{"tex": tex, "display": display} for tex, display in formulas])
    proc = subprocess.run(
        [_node(), str(RENDERER)],
        input=payload,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        check=False,
    )
    if proc.returncode != 0:
        raise PluginError(f"KaTeX renderer failed (exit {proc.returncode}): {proc.stderr.strip()}")
    return json.loads(proc.stdout)


def on_post_page(output: str, page, config) -> str:
    matches = list(FORMULA.finditer(output))
    if not matches:
        return output
    formulas = [
        (html.unescape(m["inline"] if m["inline"] is not None else m["display"]), m["display"] is not None)
        for m in matches
    ]
    results = render(formulas)
    pieces, last = [], 0
    for match, (tex, _), result in zip(matches, formulas, results):
        pieces.append(output[last : match.start()])
        if "error" in result:
            log.error("KaTeX could not render a formula on page '%s': %s", page.file.src_uri, result["error"])
            body = f'<span class="katex-error" title="{html.escape(result["error"])}">{html.escape(tex)}</span>'
        else:
            body = result["html"]
        pieces.append(f'<{match["tag"]} class="arithmatex">{body}</{match["tag"]}>')
        last = match.end()
    pieces.append(output[last:])
    return "".join(pieces)
