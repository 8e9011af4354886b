"""`make links` (docs_build.links) reads the root-relative links of the 404 page from the site
root, with the path of `site_url` off when the site is published under a sub-path."""

from __future__ import annotations

from pathlib import Path

from docs_build.links import check


def test_root_relative_links_are_read_under_the_published_sub_path(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "site.css").write_text("")
    (tmp_path / "index.html").write_text('<a href="assets/site.css">css</a>')
    (tmp_path / "404.html").write_text('<link href="/gradient-docs/assets/site.css"><a href="/gradient-docs/">home</a>')
    assert check(tmp_path, "/gradient-docs/")[0] == []
    broken = check(tmp_path)[0]
    assert broken == ["404.html: /gradient-docs/assets/site.css -> missing gradient-docs/assets/site.css"] + [
        "404.html: /gradient-docs/ -> missing gradient-docs"
    ]
