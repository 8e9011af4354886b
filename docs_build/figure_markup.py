r"""Figures in pages: `![alt text](figure:name "Caption, with $math$.")` on a line of its own.

A Markdown extension (`docs_build.figure_markup`) turns that line into a captioned figure that
shows the light or the dark drawing of `docs/figures/<name>-{light,dark}.svg` (Material's
`#only-light` / `#only-dark`), each wrapped in a link to the full-size SVG, so a reader on a
phone can tap it open. The caption is Markdown, math and computed values included. An unknown
figure name fails the build naming the page and the line.
"""

from __future__ import annotations

import re

from markdown import Extension
from markdown.preprocessors import Preprocessor

from docs_build import DOCS
from docs_build.fences import fenced_lines
from docs_build.pages import page_source

SVG_SIZE = re.compile(r'<svg [^>]*?width="([\d.]+)pt" height="([\d.]+)pt"')
FIGURE = re.compile(r'^!\[(?P<alt>[^\]]+)\]\(figure:(?P<name>[\w-]+)\s+"(?P<caption>[^"]+)"\)\s*$')


class FigureError(Exception):
    """A figure line naming a figure that `docs_build.figures` does not draw."""


def docs_root(page: str | None) -> str:
    """From the page's folder up to `docs/`: 'losses/binary.md' -> '../'. The figure's links are
    Markdown links relative to the page's file, which both builders turn into the page's URL."""
    if page is None:
        return ""
    return "../" * page.count("/")


def size_attributes(name: str) -> str:
    """The drawing's natural size in CSS px as `width` and `height` (attribute-list syntax), so the
    page reserves its space before the lazily loaded image arrives (nothing jumps); empty before
    the pre-build step ran."""
    svg = DOCS / "figures" / f"{name}-light.svg"
    match = SVG_SIZE.search(svg.read_text(encoding="utf-8")[:1000]) if svg.is_file() else None
    if match is None:
        return ""
    width, height = (round(float(pt) * 4 / 3) for pt in match.groups())
    return f' width="{width}" height="{height}"'


def figure_lines(name: str, alt: str, caption: str, root: str) -> list[str]:
    """The figure as Markdown inside `<figure markdown="1">`: two linked images (attr_list), one per
    colour scheme. Raw `<img>` HTML would not do: its URLs are rewritten by Zensical but not by
    MkDocs, so no one relative path is right under both."""
    size = size_attributes(name)
    links = [
        f"[![{alt}]({root}figures/{name}-{theme}.svg#only-{theme}){{{size} loading=lazy }}]"
        f'({root}figures/{name}-{theme}.svg "Open the figure full size"){{ .gd-figure__link }}'
        for theme in ("light", "dark")
    ]
    return [
        '<figure class="gd-figure" markdown="1">',
        *links,
        f'<figcaption markdown="span">{caption}</figcaption>',
        "</figure>",
    ]


class FigurePreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        if not any("](figure:" in line for line in lines):
            return lines
        from docs_build.figures import FIGURES  # only pages with figures pay for matplotlib

        page = page_source(self.md, lines)
        skip = fenced_lines("\n".join(lines))
        out: list[str] = []
        for index, line in enumerate(lines):
            match = FIGURE.match(line) if index not in skip else None
            if match is None:
                out.append(line)
                continue
            if match["name"] not in FIGURES:
                raise FigureError(f"{page.where(index)}: no figure named {match['name']!r}; known: {sorted(FIGURES)}")
            out.extend(["", *figure_lines(match["name"], match["alt"], match["caption"], docs_root(page.path)), ""])
        return out


class FigureExtension(Extension):
    def extendMarkdown(self, md) -> None:
        md.registerExtension(self)
        md.preprocessors.register(FigurePreprocessor(md), "figure_markup", 998)


def makeExtension(**kwargs) -> FigureExtension:
    return FigureExtension(**kwargs)
