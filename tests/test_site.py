"""The built site: math rendered at build time, nothing loaded from outside, copyable examples.

One strict build of the real site into a temporary folder serves every test here; two tiny
projects that reuse the KaTeX hook check what must fail (invalid LaTeX) and what must stay
literal (dollar signs in prose and in code).
"""

from __future__ import annotations

import ast
import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sitebuild import DOCS, ROOT

from sitebuild import IDS, PAGES, build, page_file, uses_math


def page_html(site: Path, page: Path) -> str:
    return page_file(site, page).read_text(encoding="utf-8")


def visible_text(document: str) -> str:
    """The page's text as a reader sees it: no code, scripts, styles or MathML annotations."""
    for tag in ("script", "style", "pre", "code", "annotation"):
        document = re.sub(rf"<{tag}\b.*?</{tag}>", " ", document, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", document))


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_math_is_rendered_by_katex_with_mathml_and_no_raw_tex_is_left(site: Path, page: Path) -> None:
    document = page_html(site, page)
    if uses_math(page):
        assert document.count('<span class="katex">') >= 1
        assert document.count('<span class="katex-mathml"><math') == document.count('<span class="katex">')
    assert "katex-error" not in document
    text = visible_text(document)
    for delimiter in ("\\(", "\\)", "\\[", "\\]", "$$"):
        assert delimiter not in text, f"raw {delimiter!r} left on {page.name}"


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_pages_request_nothing_from_other_hosts(site: Path, page: Path) -> None:
    document = page_html(site, page)
    resources = re.findall(r'<(?:script|img|iframe|source)\b[^>]*\bsrc="([^"]+)"', document)
    resources += [
        href for tag, href in re.findall(r'(<link\b[^>]*\bhref="([^"]+)")', document) if 'rel="canonical"' not in tag
    ]
    assert resources, "expected the theme's own scripts and styles"
    assert [r for r in resources if re.match(r"(https?:)?//", r)] == []
    assert "fonts.googleapis" not in document and "fonts.gstatic" not in document


def test_katex_stylesheet_and_every_font_it_names_are_served_by_the_site(site: Path) -> None:
    css = (site / "assets/katex/katex.min.css").read_text(encoding="utf-8")
    fonts = re.findall(r"url\(([^)]+)\)", css)
    assert len(fonts) >= 20
    assert all(font.startswith("fonts/") and font.endswith(".woff2") for font in fonts)
    for font in fonts:
        assert (site / "assets/katex" / font).is_file(), font
    for stylesheet in site.rglob("*.css"):
        for url in re.findall(r"url\(([^)]+)\)", stylesheet.read_text(encoding="utf-8")):
            assert not re.match(r"['\"]?(https?:)?//", url), f"{stylesheet.name} loads {url}"


def test_search_index_keeps_the_raw_latex(site: Path) -> None:
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["text"] for doc in index["docs"])
    assert "\\operatorname{diag}(s) - s\\,s^\\top" in text
    assert "katex-html" not in text


def copied_text(block: str) -> str:
    """What Material's copy button yields for a highlighted block once .gp and .go are hidden."""
    block = re.sub(r'<span class="g[po]">.*?</span>', "", block, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", "", block))


def test_copy_button_hides_prompts_and_outputs(site: Path) -> None:
    css = (site / "stylesheets/extra.css").read_text(encoding="utf-8")
    assert re.search(r"\[data-md-copying\] \.gp,\s*\[data-md-copying\] \.go\s*\{\s*display: none;", css)


@pytest.mark.parametrize("page", [p for p in PAGES if "```pycon" in p.read_text(encoding="utf-8")], ids=lambda p: p.name)
def test_copied_pycon_blocks_are_runnable_python(site: Path, page: Path) -> None:
    blocks = re.findall(r'<div class="language-pycon highlight"><pre>.*?<code>(.*?)</code>', page_html(site, page), re.DOTALL)
    assert blocks
    for block in blocks:
        code = copied_text(block)
        assert ">>>" not in code and "..." not in code.replace("...,", "")
        ast.parse(code)  # raises SyntaxError if output lines or prompts were left in


# Tiny projects that reuse the hook.

MINI_CONFIG = """\
site_name: mini
docs_dir: docs
hooks:
  - {hook}
markdown_extensions:
  - pymdownx.arithmatex:
      generic: true
  - pymdownx.superfences
"""


@pytest.fixture
def mini(tmp_path: Path):
    def make(text: str) -> tuple[subprocess.CompletedProcess, Path]:
        (tmp_path / "docs").mkdir(exist_ok=True)
        (tmp_path / "docs/index.md").write_text(text, encoding="utf-8")
        config = tmp_path / "mkdocs.yml"
        config.write_text(MINI_CONFIG.format(hook=ROOT / "hooks/katex.py"), encoding="utf-8")
        site = tmp_path / "site"
        return build(config, site), site

    return make


def test_invalid_latex_fails_the_strict_build_naming_the_page_and_katex_message(mini) -> None:
    result, _ = mini("# Mini\n\nA broken formula: $\\frac{a}{$ here.\n")
    assert result.returncode != 0
    assert "KaTeX could not render a formula on page 'index.md'" in result.stderr
    assert "KaTeX parse error: Unexpected end of input" in result.stderr


def test_dollars_in_prose_and_code_stay_literal(mini) -> None:
    result, site = mini(
        "It costs $5 or $10 today.\n\nIn code: `$x$` and\n\n```\necho $HOME $PATH\n```\n\nBut $y^2$ is math.\n"
    )
    assert result.returncode == 0, result.stderr
    document = (site / "index.html").read_text(encoding="utf-8")
    assert "It costs $5 or $10 today." in document
    assert "<code>$x$</code>" in document
    assert "echo $HOME $PATH" in document
    assert document.count('<span class="katex">') == 1


def test_missing_node_modules_is_reported(tmp_path: Path) -> None:
    # The hook names the fix when KaTeX is not installed, instead of failing obscurely.
    fake_root = tmp_path / "project"
    shutil.copytree(ROOT / "hooks", fake_root / "hooks")
    (fake_root / "docs").mkdir()
    (fake_root / "docs/index.md").write_text("$x$\n", encoding="utf-8")
    config = fake_root / "mkdocs.yml"
    config.write_text(MINI_CONFIG.format(hook=fake_root / "hooks/katex.py"), encoding="utf-8")
    result = build(config, fake_root / "site")
    assert result.returncode != 0
    assert "node_modules/katex/dist is missing; run `npm ci`" in result.stderr


def figure_names() -> list[str]:
    sys.path.insert(0, str(ROOT / "hooks"))
    import figures

    return list(figures.FIGURES)


@pytest.mark.parametrize("name", figure_names())
def test_every_figure_is_built_in_light_and_dark_and_shown_with_alt_text(site: Path, name: str) -> None:
    for theme in ("light", "dark"):
        svg = (site / f"figures/{name}-{theme}.svg").read_text(encoding="utf-8")
        assert svg.startswith("<?xml") and "<svg" in svg
        assert not re.search(r'(?:href|src)="https?://', svg)
    pages = [p for p in PAGES if f"figures/{name}-light.svg#only-light" in p.read_text(encoding="utf-8")]
    assert pages, f"no page shows {name}"
    for page in pages:
        document = page_html(site, page)
        images = re.findall(rf'<img [^>]*src="[^"]*figures/{name}-(?:light|dark)\.svg#only-(?:light|dark)"[^>]*>', document)
        assert len(images) == 2
        for tag in images:
            alt = re.search(r'alt="([^"]*)"', tag)
            assert alt and len(alt.group(1)) > 40, tag


def test_figures_are_reproducible_and_not_written_into_docs() -> None:
    sys.path.insert(0, str(ROOT / "hooks"))
    import figures

    assert figures.render("error-vs-step", "light") == figures.render("error-vs-step", "light")
    assert not list(DOCS.rglob("*.svg"))
    # The two themes differ only in colours: light text on the dark background and vice versa.
    light, dark = figures.render("error-vs-step", "light"), figures.render("error-vs-step", "dark")
    assert figures.THEMES["dark"]["bg"] in dark and figures.THEMES["light"]["bg"] in light


def test_internal_links_and_anchors_resolve_offline(site: Path) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    from check_links import check

    broken, external = check(site)
    assert broken == []
    assert all(address.startswith(("https://", "http://", "mailto:")) for address in external)


def test_link_checker_finds_a_missing_page_and_a_missing_anchor(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    from check_links import check

    (tmp_path / "a").mkdir()
    (tmp_path / "a/index.html").write_text('<h2 id="here">x</h2><a href="#here">ok</a>', encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<a href="a/">ok</a><a href="a/#here">ok</a><a href="a/#gone">bad</a><a href="b/">bad</a>'
        '<a href="https://example.org/">external</a>',
        encoding="utf-8",
    )
    broken, external = check(tmp_path)
    assert len(broken) == 2 and "no element with id 'gone'" in broken[0] + broken[1]
    assert set(external) == {"https://example.org/"}


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_every_page_has_a_description_in_its_meta_tags(site: Path, page: Path) -> None:
    import yaml

    text = page.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])  # must parse, or mkdocs shows it as text
    description = front["description"]
    assert 40 <= len(description) <= 200
    document = page_html(site, page)
    for attribute in ('name="description"', 'property="og:description"'):
        content = re.search(rf'<meta {attribute} content="([^"]*)">', document)
        assert content and html.unescape(content.group(1)) == description, attribute
    assert "description:" not in visible_text(document)
