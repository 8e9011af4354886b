"""Which page is being rendered, under MkDocs or Zensical, and the parts of a page file.

Python-Markdown does not tell an extension which file it converts. Both builders do, each its
own way: MkDocs registers a tree processor (`relpath`) that holds the page's `File`, and
Zensical registers a preprocessor (`rendering_context`) that holds its `Page`. Docstrings
rendered by mkdocstrings have neither, and are reported as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n---[ \t]*\n", re.DOTALL)


@dataclass(frozen=True)
class PageSource:
    """A page being converted: its path relative to `docs/` (posix, None for a docstring), the
    lines the builder handed to Markdown, and the file line number of the first of them."""

    path: str | None
    lines: tuple[str, ...]
    first_line: int = 1

    def where(self, index: int) -> str:
        """`page.md:LINE` for the line at `index` of `lines`, as an editor finds it."""
        return f"{self.path or '<docstring>'}:{self.first_line + index}"


def split_front_matter(text: str) -> tuple[str, str]:
    """(front matter with its `---` lines, the rest), or ("", text) if there is none."""
    match = FRONT_MATTER.match(text)
    return (match.group(0), text[match.end() :]) if match else ("", text)


def current_file(md) -> tuple[str, Path] | None:
    """The page `md` is converting: (path relative to the docs folder, absolute path), or None."""
    try:
        file = md.treeprocessors["relpath"].file  # MkDocs
        return file.src_uri, Path(file.abs_src_path)
    except (KeyError, AttributeError):
        pass
    for processor in md.preprocessors:  # Zensical
        page = getattr(processor, "page", None)
        if getattr(processor, "name", None) == "rendering_context" and page is not None:
            config = processor.config
            relative = PurePosixPath(str(page.path).replace("\\", "/")).as_posix()
            return relative, Path(config.get("root_dir", "."), config.get("docs_dir", "docs"), relative)
    return None


def current_page(md) -> str | None:
    """The page `md` is converting, relative to the docs folder ("losses/binary.md"), or None."""
    found = current_file(md)
    return found[0] if found else None


def page_source(md, lines: list[str]) -> PageSource:
    """The page `md` is converting, with the file line number of its first line when the file
    on disk holds the text (builders drop the front matter and the blank lines after it)."""
    found = current_file(md)
    if found is None:
        return PageSource(None, tuple(lines), 1)
    path, file = found
    if file.is_file():
        file_lines = file.read_text(encoding="utf-8").splitlines()
        front, _ = split_front_matter("\n".join(file_lines) + "\n")
        start = front.count("\n")
        while start < len(file_lines) and not file_lines[start].strip() and (not lines or lines[0].strip()):
            start += 1
        body = list(lines)
        while body and not body[-1].strip():  # a trailing newline leaves an empty last line
            body.pop()
        if file_lines[start : start + len(body)] == body:
            return PageSource(path, tuple(lines), start + 1)
    return PageSource(path, tuple(lines), 1)


def relative_to_page(page_path: str | None, target: str) -> str:
    """A link from the page at `page_path` (relative to docs/) to `target` (relative to docs/)."""
    depth = len(PurePosixPath(page_path).parts) - 1 if page_path else 0
    return "../" * depth + target
