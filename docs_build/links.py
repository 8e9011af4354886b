"""Check every internal link and anchor of the built site, offline; list external links.

    python -m docs_build.links [site]      # default: site/

Reads every HTML page of the built site and resolves each ``href`` and ``src`` that points into
the site: the file must exist (a folder means its index.html) and a ``#fragment`` must be the
id of an element in the target page. External links (http, https, mailto) are listed with the
pages that use them, never fetched. Exits 1 if any internal link or anchor is broken.
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse, urlsplit


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("id", "name"):
            if attributes.get(name) and (name == "id" or tag == "a"):
                self.ids.add(attributes[name])
        for name in ("href", "src"):
            value = attributes.get(name)
            if value and not (tag == "link" and attributes.get("rel") in ("canonical", "alternate")):
                self.links.append(value)


def parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def check(site: Path, base_path: str = "/") -> tuple[list[str], dict[str, set[str]]]:
    """Broken internal links (as messages) and external links (address -> pages). A root-relative
    link (the 404 page's) is read from the site root, the path of `site_url` (`base_path`) off."""
    site = site.resolve()
    pages = {path.resolve(): parse(path) for path in site.rglob("*.html")}
    broken, external = [], defaultdict(set)
    for path, page in pages.items():
        where = path.relative_to(site).as_posix()
        for link in page.links:
            parsed = urlparse(link)
            if parsed.scheme in ("http", "https", "mailto") or link.startswith("//"):
                external[link].add(where)
                continue
            if parsed.scheme in ("data", "javascript"):
                continue
            address, fragment = urldefrag(link)
            local = unquote(urlparse(address).path)
            if not address:
                target = path
            elif local.startswith("/"):  # root-relative (the 404 page's links): from the site root
                target = (site / local.removeprefix(base_path.rstrip("/")).lstrip("/")).resolve()
            else:
                target = (path.parent / local).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                shown = target.relative_to(site) if target.is_relative_to(site) else target
                broken.append(f"{where}: {link} -> missing {shown}")
                continue
            if fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if unquote(fragment) not in ids and fragment not in ("", "__search"):
                    broken.append(f"{where}: {link} -> no element with id '{fragment}' in {target.relative_to(site)}")
    return broken, external


def main(argv: list[str]) -> int:
    site = Path(argv[1] if len(argv) > 1 else "site").resolve()
    broken, external = check(site, urlsplit(os.environ.get("SITE_URL", "/")).path or "/")
    print(f"External links (listed, not fetched): {len(external)}")
    for address in sorted(external):
        print(f"  {address}  ({len(external[address])} page(s))")
    print(f"Broken internal links and anchors: {len(broken)}")
    for message in broken:
        print(f"  {message}")
    return 1 if broken else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
