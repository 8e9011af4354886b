"""The pre-build step: files the site needs that are made, not written, put under `docs/`.

    python -m docs_build.assets           # what changed since the last run
    python -m docs_build.assets --force   # everything

Writes into git-ignored folders of `docs/`, so that MkDocs and Zensical both find them as
ordinary files (neither builder runs MkDocs hooks alike; Zensical runs none):

- `docs/assets/katex/`: KaTeX's stylesheet (woff2 fonts only) and its woff2 fonts, from
  `node_modules/katex`, so formulas render with no network.
- `docs/figures/`: every figure of `docs_build.figures`, light and dark.
- `docs/notebooks/`: a notebook per page with examples (`docs_build.notebooks`).

Each part runs only when its inputs changed: a hash of them is kept in `.docs-cache/assets.json`
(git-ignored), and a part whose outputs are missing runs again. The Makefile calls this before
`serve`, `build` and `test`; the test session calls it too.

A page whose notebook cannot be made (a failing example or computed value) stops this step
naming the page and the line, except in live mode (`make serve`, see `docs_build.live`): there
the error is logged, that page keeps its previous notebook, the step goes on and the server
starts, and the part runs again next time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from docs_build import DOCS, ROOT, live

KATEX_DIST = ROOT / "node_modules" / "katex" / "dist"
KATEX_OUT = DOCS / "assets" / "katex"
FIGURES_OUT = DOCS / "figures"
NOTEBOOKS_OUT = DOCS / "notebooks"
STAMP = ROOT / ".docs-cache" / "assets.json"

# KaTeX's stylesheet lists woff2, woff and ttf for every font; we ship only woff2, which every
# browser KaTeX supports loads, so the fallbacks would be dead links.
FONT_FALLBACK = re.compile(r',url\([^)]*\.(?:woff|ttf)\) format\("(?:woff|truetype)"\)')


def _files(*patterns: str) -> list[Path]:
    found: set[Path] = set()
    for pattern in patterns:
        found.update(p for p in ROOT.glob(pattern) if p.is_file() and "__pycache__" not in p.parts)
    return sorted(found)


def _digest(paths: Iterable[Path], extra: str = "") -> str:
    digest = hashlib.sha256(extra.encode())
    for path in paths:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def write_katex() -> int:
    """KaTeX's CSS (woff2 only) and woff2 fonts into docs/assets/katex/; the number of files."""
    if not KATEX_DIST.is_dir():
        sys.exit(f"KaTeX is missing ({KATEX_DIST}); run `npm ci` (or `make setup`).")
    shutil.rmtree(KATEX_OUT, ignore_errors=True)
    (KATEX_OUT / "fonts").mkdir(parents=True)
    css = FONT_FALLBACK.sub("", (KATEX_DIST / "katex.min.css").read_text(encoding="utf-8"))
    (KATEX_OUT / "katex.min.css").write_text(css, encoding="utf-8")
    fonts = sorted((KATEX_DIST / "fonts").glob("*.woff2"))
    for font in fonts:
        shutil.copyfile(font, KATEX_OUT / "fonts" / font.name)
    return 1 + len(fonts)


def write_figures() -> int:
    """Every figure, light and dark, into docs/figures/; the number of files."""
    from docs_build import figures

    shutil.rmtree(FIGURES_OUT, ignore_errors=True)
    FIGURES_OUT.mkdir(parents=True)
    smallest: dict[str, float] = {}
    for name, theme, svg, text_pt in figures.render_all():
        (FIGURES_OUT / f"{name}-{theme}.svg").write_text(svg, encoding="utf-8")
        smallest[name] = min(text_pt, smallest.get(name, text_pt))
    # What the browser tests need to know to measure how tall the smallest text is on a screen.
    (FIGURES_OUT / "figures.json").write_text(json.dumps({"smallest_text_pt": smallest}, indent=1), encoding="utf-8")
    return len(list(FIGURES_OUT.iterdir()))


def write_notebooks() -> int:
    """A notebook per page with examples into docs/notebooks/ (and no other); the number written."""
    from docs_build import notebooks

    return notebooks.write_all(NOTEBOOKS_OUT)


# part: (writer, output folder, inputs)
PARTS: dict[str, tuple[Callable[[], int], Path, Callable[[], list[Path]]]] = {
    "katex": (write_katex, KATEX_OUT, lambda: _files("node_modules/katex/package.json", "docs_build/assets.py")),
    "figures": (
        write_figures,
        FIGURES_OUT,
        lambda: _files("gradient_docs/**/*", "docs_build/figures.py", "benchmarks/results/*", "constraints.txt"),
    ),
    "notebooks": (
        write_notebooks,
        NOTEBOOKS_OUT,
        lambda: _files("docs/**/*.md", "docs_build/notebooks.py", "docs_build/fences.py", "docs_build/pages.py"),
    ),
}


def generate(*, force: bool = False, quiet: bool = False) -> dict[str, str]:
    """Bring every part up to date; {part: what happened}."""
    stamps = json.loads(STAMP.read_text(encoding="utf-8")) if STAMP.is_file() else {}
    report = {}
    for name, (write, folder, inputs) in PARTS.items():
        digest = _digest(inputs())
        if not force and stamps.get(name) == digest and folder.is_dir() and any(folder.iterdir()):
            report[name] = "up to date"
            continue
        start, errors = time.perf_counter(), live.reported()
        count = write()
        took = f"wrote {count} files in {time.perf_counter() - start:.1f} s"
        if live.reported() > errors:  # live mode: errors logged, shown by the pages; run again next time
            report[name] = f"{took}; {live.reported() - errors} failed (above), kept their previous files"
            continue
        stamps[name] = digest
        STAMP.parent.mkdir(exist_ok=True)
        STAMP.write_text(json.dumps(stamps, indent=1), encoding="utf-8")
        report[name] = took
    if not quiet:
        for name, what in report.items():
            print(f"docs_build.assets: {name}: {what}")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="regenerate every part")
    generate(force=parser.parse_args().force)


if __name__ == "__main__":
    main()
