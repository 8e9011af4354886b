"""The built site, under both builders: math rendered at build time, nothing loaded from
outside, readable search, figures, links, descriptions and copyable examples."""

from __future__ import annotations

import ast
import html
import json
import re
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from docs_build import DOCS, figures
from docs_build.links import check
from docs_build.site import IDS, PAGES, page_file, uses_math


def page_html(site: Path, page: Path) -> str:
    return page_file(site, page).read_text(encoding="utf-8")


def visible_text(document: str) -> str:
    """The page's text as a reader sees it: no code, scripts, styles, MathML or search text."""
    for tag in ("script", "style", "pre", "code", "annotation"):
        document = re.sub(rf"<{tag}\b.*?</{tag}>", " ", document, flags=re.DOTALL)
    document = re.sub(r'<span class="math-text" hidden>.*?</span>', " ", document)
    return html.unescape(re.sub(r"<[^>]+>", " ", document))


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_math_is_rendered_by_katex_with_mathml_and_no_raw_tex_is_left(built, page: Path) -> None:
    document = page_html(built.folder, page)
    if uses_math(page):
        assert document.count('<span class="katex">') >= 1
        # Zensical drops data-search-exclude from the page once its search index has used it.
        mathml = re.findall(r'<span class="katex-mathml"(?: data-search-exclude)?><math', document)
        assert len(mathml) == document.count('<span class="katex">')
    assert "katex-error" not in document
    text = visible_text(document)
    for delimiter in ("\\(", "\\)", "\\[", "\\]", "$$", "{{", "}}"):
        assert delimiter not in text, f"raw {delimiter!r} left on {page.name}"


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_pages_request_nothing_from_other_hosts(built, page: Path) -> None:
    document = page_html(built.folder, page)
    resources = re.findall(r'<(?:script|img|iframe|source)\b[^>]*\bsrc="([^"]+)"', document)
    resources += [
        href for tag, href in re.findall(r'(<link\b[^>]*\bhref="([^"]+)")', document) if 'rel="canonical"' not in tag
    ]
    assert resources, "expected the theme's own scripts and styles"
    assert [r for r in resources if re.match(r"(https?:)?//", r)] == []
    assert "fonts.googleapis" not in document and "fonts.gstatic" not in document


def test_katex_stylesheet_and_every_font_it_names_are_served_by_the_site(built) -> None:
    css = (built.folder / "assets/katex/katex.min.css").read_text(encoding="utf-8")
    fonts = re.findall(r"url\(([^)]+)\)", css)
    assert len(fonts) >= 20
    assert all(font.startswith("fonts/") and font.endswith(".woff2") for font in fonts)
    for font in fonts:
        assert (built.folder / "assets/katex" / font).is_file(), font
    for stylesheet in built.folder.rglob("*.css"):
        for url in re.findall(r"url\(([^)]+)\)", stylesheet.read_text(encoding="utf-8")):
            assert not re.match(r"['\"]?(https?:)?//", url), f"{stylesheet.name} loads {url}"


def search_entries(site: Path) -> list[dict]:
    """The search index, whichever builder wrote it: [{location, title, text}]."""
    material = site / "search/search_index.json"
    if material.is_file():
        return json.loads(material.read_text(encoding="utf-8"))["docs"]
    return json.loads((site / "search.json").read_text(encoding="utf-8"))["items"]


TEX = re.compile(r"\\[A-Za-z]+|\\[()\[\]]|\$\$")


def test_search_index_reads_math_as_text_not_tex_or_glyphs(built) -> None:
    entries = search_entries(built.folder)
    text = " ".join(entry["text"] for entry in entries)
    prose = " ".join(entry["text"] for entry in entries if "pre" not in entry["text"][:5])
    assert "J = diag(s) − ssᵀ" in text  # the softmax Jacobian, as a reader would write it
    assert "katex-html" not in text and "katex" not in prose
    commands = sorted(
        {m for entry in entries for m in TEX.findall(re.sub(r"<pre>.*?</pre>", "", entry["text"], flags=re.DOTALL))}
    )
    assert commands == []
    assert "Jacobian" in text and "Richardson" in text  # words in prose stay searchable


def copied_text(block: str) -> str:
    """What Material's copy button yields for a highlighted block once .gp and .go are hidden."""
    block = re.sub(r'<span class="g[po]">.*?</span>', "", block, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", "", block))


def test_copy_button_hides_prompts_and_outputs(built) -> None:
    css = (built.folder / "stylesheets/extra.css").read_text(encoding="utf-8")
    assert re.search(r"\[data-md-copying\] \.gp,\s*\[data-md-copying\] \.go\s*\{\s*display: none;", css)


@pytest.mark.parametrize(
    "page", [p for p in PAGES if "```pycon" in p.read_text(encoding="utf-8")], ids=lambda p: p.name
)
def test_copied_pycon_blocks_are_runnable_python(built, page: Path) -> None:
    blocks = re.findall(
        r'<div class="language-pycon highlight"><pre>.*?<code>(.*?)</code>', page_html(built.folder, page), re.DOTALL
    )
    assert blocks
    for block in blocks:
        code = copied_text(block)
        assert ">>>" not in code and "..." not in code.replace("...,", "")
        ast.parse(code)  # raises SyntaxError if output lines or prompts were left in


@pytest.mark.parametrize("name", list(figures.FIGURES))
def test_every_figure_is_built_in_light_and_dark_and_shown_with_alt_text(built, name: str) -> None:
    for theme in ("light", "dark"):
        svg = (built.folder / f"figures/{name}-{theme}.svg").read_text(encoding="utf-8")
        assert svg.startswith("<?xml") and "<svg" in svg
        assert not re.search(r'(?:href|src)="https?://', svg)
    pages = [p for p in PAGES if f"](figure:{name} " in p.read_text(encoding="utf-8")]
    assert pages, f"no page shows {name}"
    for page in pages:
        document = page_html(built.folder, page)
        images = re.findall(
            rf'<img [^>]*src="[^"]*figures/{name}-(?:light|dark)\.svg#only-(?:light|dark)"[^>]*>', document
        )
        assert len(images) == 2
        natural = re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', svg)
        for tag in images:
            alt = re.search(r'alt="([^"]*)"', tag)
            assert alt and len(alt.group(1)) >= 40, tag
            # Its natural size in px reserves the space before the lazily loaded image arrives.
            size = [re.search(rf' {side}="(\d+)"', tag) for side in ("width", "height")]
            assert all(size), tag
            assert [int(v.group(1)) for v in size] == [round(float(pt) * 4 / 3) for pt in natural.groups()]
        figure = re.search(rf'<figure class="gd-figure">.*?figures/{name}-light\.svg.*?</figure>', document, re.DOTALL)
        assert figure and re.search(r"<figcaption>.{20,}</figcaption>", figure.group(0), re.DOTALL), name


def test_figures_are_reproducible_and_never_tracked() -> None:
    assert figures.render("error-vs-step", "light") == figures.render("error-vs-step", "light")
    tracked = subprocess.run(["git", "ls-files", "docs"], capture_output=True, text=True, cwd=DOCS.parent, check=True)
    assert not [f for f in tracked.stdout.split() if f.endswith((".svg", ".ipynb", ".woff2"))]
    # The two themes differ only in colours: light text on the dark background and vice versa.
    light, dark = figures.render("error-vs-step", "light"), figures.render("error-vs-step", "dark")
    assert figures.THEMES["dark"]["bg"] in dark and figures.THEMES["light"]["bg"] in light


def test_internal_links_and_anchors_resolve_offline(built) -> None:
    broken, external = check(built.folder)
    assert broken == []
    assert all(address.startswith(("https://", "http://", "mailto:")) for address in external)


def test_link_checker_finds_a_missing_page_and_a_missing_anchor(tmp_path: Path) -> None:
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
def test_every_page_has_a_description_in_its_meta_tags(built, page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])  # must parse, or the builder shows it as text
    description = front["description"]
    assert 40 <= len(description) <= 200
    document = page_html(built.folder, page)
    for attribute in ('name="description"', 'property="og:description"'):
        content = re.search(rf'<meta {attribute} content="([^"]*)"\s*/?>', document)
        assert content and html.unescape(content.group(1)) == description, attribute
    assert "description:" not in visible_text(document)


def title_of(page: Path) -> str:
    """The page's first heading: the title the nav, the browser tab and search show."""
    return re.search(r"^# (.+)$", page.read_text(encoding="utf-8"), flags=re.MULTILINE).group(1).strip()


def test_the_nav_takes_every_title_from_its_page() -> None:
    # Bare paths in the nav: the builders then label each entry with the page's own title, so
    # the nav, the page and the search results say the same thing.
    config = yaml.load((DOCS.parent / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)

    def entries(items):
        for item in items:
            if isinstance(item, dict):
                for value in item.values():
                    yield from entries(value) if isinstance(value, list) else [(item, value)]
            else:
                yield None, item

    labelled = [label for label, _ in entries(config["nav"]) if label is not None]
    assert labelled == [], "nav entries with their own label"
    # A chapter's label is its landing page's title (navigation.indexes opens it from the label).
    for item in config["nav"]:
        if isinstance(item, dict):
            ((label, children),) = item.items()
            assert children[0].endswith("index.md") and label == title_of(DOCS / children[0]), label
    paths = [path for _, path in entries(config["nav"])]
    assert sorted(paths) == sorted(str(p.relative_to(DOCS)) for p in PAGES)


def test_the_home_page_calls_each_page_by_its_title() -> None:
    home = (DOCS / "index.md").read_text(encoding="utf-8")
    start = home.split("## Start here", 1)[1].split("\n## ", 1)[0]
    links = re.findall(r"\[([^\]]+)\]\(([^)#]+\.md)\)", start)
    assert len(links) >= 12
    for text, target in links:
        assert text.lower() == title_of(DOCS / target).lower(), (text, target)


def article(document: str) -> str:
    """A page's article, with the markup that differs between the builders for no reader normalised:
    Zensical's skip anchor, the search-exclusion attribute it drops once indexed, `./` link prefixes."""
    body = re.search(r"<article[^>]*>(.*?)</article>", document, re.DOTALL).group(1)
    body = body.replace('<a id="__skip" tabindex="-1"></a>', "").replace(" data-search-exclude", "")
    body = re.sub(r'(href|src)="\./', r'\1="', body)
    return re.sub(r"\s+", " ", body).strip()


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_both_builders_render_the_same_article(sites, page: Path) -> None:
    mkdocs, zensical = (article(page_html(sites[b].folder, page)) for b in ("mkdocs", "zensical"))
    assert len(mkdocs) > 200
    assert mkdocs == zensical


def test_the_zensical_site_is_built_by_the_pinned_release(sites) -> None:
    # What these tests judge is the release pyproject.toml pins (and the README names), not
    # whatever an old .venv still holds.
    project = tomllib.loads((DOCS.parent / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    (pin,) = [r for r in project["optional-dependencies"]["docs"] if r.startswith("zensical==")]
    generator = re.search(r'<meta name="generator" content="([^"]+)">', page_html(sites["zensical"].folder, PAGES[0]))
    built_by = generator and generator.group(1)
    assert built_by == pin.replace("==", "-"), f"built by {built_by}, but pyproject.toml pins {pin}: run `make setup`"


def test_no_raw_sphinx_roles_or_double_backticks_in_the_built_html(built) -> None:
    raw = re.compile(r":(?:func|data|class|meth|mod|attr|obj):`|``")

    def text(document: str) -> str:  # what a reader can see, inline code and type columns included
        document = re.sub(r"<(script|style|pre)\b.*?</\1>", " ", document, flags=re.DOTALL)
        return html.unescape(re.sub(r"<[^>]+>", "", document))

    found = {
        str(path.relative_to(built.folder)): len(raw.findall(text(path.read_text(encoding="utf-8"))))
        for path in built.folder.rglob("*.html")
    }
    assert {page: count for page, count in found.items() if count} == {}
