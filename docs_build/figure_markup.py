r"""Figures in pages: `![alt text](figure:name "Caption, with $math$.")` on a line of its own.

A Markdown extension (`docs_build.figure_markup`) turns that line into a captioned figure that
shows the light or the dark drawing of `docs/figures/<name>-{light,dark}.svg` (Material's
`#only-light` / `#only-dark`), each wrapped in a link to the full-size SVG, so a reader on a
phone can tap it open. The caption is Markdown, math and computed values included.

An unknown figure name, a drawing the pre-build step has not written (`make assets`), or a
`figure:` image that is not such a line (no caption, or inside a paragraph) raises
[FigureError][docs_build.figure_markup.FigureError] naming the page and the line, so both
builders fail instead of publishing a broken image (while serving, the page shows the error:
see `docs_build.live`).
"""

from __future__ import annotations

import re
from pathlib import Path

from markdown import Extension

from docs_build import DOCS, live
from docs_build.fences import fenced_lines
from docs_build.pages import current_file
from docs_build.values import CODE_SPAN

SVG_SIZE = re.compile(r'<svg [^>]*?width="([\d.]+)pt" height="([\d.]+)pt"')
FIGURE = re.compile(r'^!\[(?P<alt>[^\]]+)\]\(figure:(?P<name>[\w-]+)\s+"(?P<caption>[^"]+)"\)\s*$')
FIGURE_LINK = re.compile(r"\]\(figure:")  # any link to a figure: each must be a FIGURE line
THEMES = ("light", "dark")


class FigureError(Exception):
    """A figure line that cannot become a figure: unknown name, drawing missing, or malformed."""


def docs_root(page: str | None) -> str:
    """From the page's folder up to `docs/`: 'losses/binary.md' -> '../'. The figure's links are
    Markdown links relative to the page's file, which both builders turn into the page's URL."""
    if page is None:
        return ""
    return "../" * page.count("/")


def figures_folder(found: tuple[str, Path] | None) -> Path:
    """The `figures/` folder of the docs folder of the page `found` (`current_file`), or
    `docs/figures/` for a docstring: where the page's figure links point."""
    if found is None:
        return DOCS / "figures"
    page, file = found
    return (file.parent / docs_root(page) / "figures").resolve()


def size_attributes(svg: Path) -> str:
    """The drawing's natural size in CSS px as `width` and `height` (attribute-list syntax), so the
    page reserves its space before the lazily loaded image arrives (nothing jumps)."""
    match = SVG_SIZE.search(svg.read_text(encoding="utf-8")[:1000])
    if match is None:
        return ""
    width, height = (round(float(pt) * 4 / 3) for pt in match.groups())
    return f' width="{width}" height="{height}"'


def figure_lines(name: str, alt: str, caption: str, root: str, size: str) -> list[str]:
    """The figure as Markdown inside `<figure markdown="1">`: two linked images (attr_list), one per
    colour scheme. Raw `<img>` HTML would not do: its URLs are rewritten by Zensical but not by
    MkDocs, so no one relative path is right under both."""
    links = [
        f"[![{alt}]({root}figures/{name}-{theme}.svg#only-{theme}){{{size} loading=lazy }}]"
        f'({root}figures/{name}-{theme}.svg "Open the figure full size"){{ .gd-figure__link }}'
        for theme in THEMES
    ]
    return [
        '<figure class="gd-figure" markdown="1">',
        *links,
        f'<figcaption markdown="span">{caption}</figcaption>',
        "</figure>",
    ]


class FigurePreprocessor(live.Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        if not any("](figure:" in line for line in lines):
            return lines
        skip = fenced_lines("\n".join(lines))
        out: list[str] = []
        for index, line in enumerate(lines):
            if index in skip or not FIGURE_LINK.search(CODE_SPAN.sub("", line)):
                out.append(line)
            else:
                out.extend(["", *self.figure(lines, index), ""])
        return out

    def figure(self, lines: list[str], index: int) -> list[str]:
        """The figure line at `index` as a figure's Markdown, or a FigureError naming its line."""
        from docs_build.figures import FIGURES  # only pages with figures pay for matplotlib

        match = FIGURE.match(lines[index])
        if match is None:
            raise FigureError(
                f"{live.where(self.md, lines, index)}: a figure is a line of its own, "
                f'![alt text](figure:name "Caption."), with alt text and a caption; got {lines[index].strip()!r}'
            )
        name = match["name"]
        if name not in FIGURES:
            raise FigureError(
                f"{live.where(self.md, lines, index)}: no figure named {name!r}; known: {sorted(FIGURES)}"
            )
        found = current_file(self.md)
        folder = figures_folder(found)
        missing = [f"{name}-{theme}.svg" for theme in THEMES if not (folder / f"{name}-{theme}.svg").is_file()]
        if missing:
            raise FigureError(
                f"{live.where(self.md, lines, index)}: figure {name!r} has not been drawn: {', '.join(missing)} "
                f"missing from {folder}; run `make assets` (python -m docs_build.assets)"
            )
        root = docs_root(found[0] if found else None)
        return figure_lines(name, match["alt"], match["caption"], root, size_attributes(folder / f"{name}-light.svg"))


class FigureExtension(Extension):
    def extendMarkdown(self, md) -> None:
        md.registerExtension(self)
        md.preprocessors.register(FigurePreprocessor(md), "figure_markup", 998)


def makeExtension(**kwargs) -> FigureExtension:
    return FigureExtension(**kwargs)
