"""The 404 page where GitHub Pages serves it: under a sub-path, at any depth, under both builders.

A project site is served from https://<owner>.github.io/<repo>/, and GitHub Pages answers every
missing address under it, at any depth, with the site's 404.html. No relative URL can work from
a page served at an unknown depth, so both builders write the 404 page's URLs from the path of
`site_url` (MkDocs' `base_url` for error templates; Zensical does the same): the page works
exactly when site_url carries the path the site is served under. The workflow sets it, and
checks the site it publishes (`python tests/build/test_subpath.py site`, `published_problems`).

The other tests build a small site with the real theme, overrides, stylesheets and scripts, and
resolve every stylesheet, script, link and the theme's base (search, instant navigation) of its
404 page against missing addresses under the sub-path.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml
from mkdocs.utils.yaml import yaml_load

from docs_build import ROOT
from docs_build.site import BUILDERS, build_with, serve

PAGES = "https://owner.github.io"
SUB_PATH = "/gradient-docs/"
MISSING = ("x", "no/such/deep/page/", "a/b/c/d/e.html")  # missing addresses, below the site root
CHAPTERS = {"Gradients": "gradients/", "Losses": "losses/"}
WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"

pytestmark = pytest.mark.xdist_group("subpath")  # one worker builds the small sites once


class _References(HTMLParser):
    """Every `href` and `src` of a page (kind, URL), and the theme's configuration (`#__config`)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.references: list[tuple[str, str]] = []
        self.config_text = ""
        self._in_config = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        kind = (attributes.get("rel") or tag) if tag == "link" else tag
        for name in ("href", "src"):
            if attributes.get(name) and not attributes[name].startswith("#"):
                self.references.append((kind, attributes[name]))
        self._in_config = tag == "script" and attributes.get("id") == "__config"

    def handle_data(self, data):
        if self._in_config:
            self.config_text += data

    def handle_endtag(self, tag):
        self._in_config = False


def references(page: str) -> _References:
    parsed = _References()
    parsed.feed(page)
    config = json.loads(parsed.config_text)
    # Both themes resolve `base` against the address and add a trailing slash, then fetch the
    # search index and pages from it; `search` is the search worker's script.
    parsed.references += [("base", config["base"].rstrip("/") + "/"), ("script", config["search"])]
    return parsed


def unresolved(site: Path, site_url: str, missing: str) -> list[str]:
    """What the 404 page, served at `missing` (an address under `site_url`), fails to reach.

    A reference on the server of `site_url` must lie under its path and name a file of `site`
    (a folder: its index.html); the theme's `base` must be the site root itself.
    """
    root = urlsplit(site_url)
    found = references((site / "404.html").read_text(encoding="utf-8")).references
    broken = []
    for kind, reference in found:
        address = urlsplit(urljoin(missing, reference))
        if (address.scheme, address.netloc) != (root.scheme, root.netloc):
            continue  # another host: tests/site and the browser suite keep pages off those
        path = unquote(address.path)
        target = site / path.removeprefix(root.path) if path.startswith(root.path) else None
        if target is not None and target.is_dir():
            target = target / "index.html"
        if target is None or not target.is_file() or (kind == "base" and path != root.path):
            broken.append(f"{kind} {reference} -> {address.geturl()}")
    return broken


def broken_at_every_depth(site: Path, site_url: str) -> dict[str, list[str]]:
    """`unresolved` for each address of MISSING under `site_url`, where anything is broken."""
    found = {address: unresolved(site, site_url, address) for address in (urljoin(site_url, m) for m in MISSING)}
    return {address: broken for address, broken in found.items() if broken}


def mini_config(site_url: str) -> str:
    """The site's own theme, overrides, stylesheets, scripts and repository, on a two-chapter nav."""
    real = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    theme = dict(real["theme"], custom_dir=str(ROOT / real["theme"]["custom_dir"]))
    nav = ["index.md"] + [{title: [f"{folder}index.md", f"{folder}page.md"]} for title, folder in CHAPTERS.items()]
    keys = ("site_description", "repo_url", "repo_name", "edit_uri", "extra_css", "extra_javascript")
    config = {"site_name": "mini", "site_url": site_url, "theme": theme, "nav": nav, "plugins": ["search"]}
    return yaml.safe_dump(config | {key: real[key] for key in keys}, sort_keys=False)


def build_mini(root: Path, builder: str, site_url: str) -> Path:
    """A small site with the real theme settings, built by `builder` for `site_url`, in `root`."""
    text = mini_config(site_url)
    config, docs = yaml.safe_load(text), root / "docs"
    pages = {"index.md": "# Home\n"} | {f"{f}index.md": f"# {t}\n" for t, f in CHAPTERS.items()}
    pages |= {f"{folder}page.md": "# A page\n" for folder in CHAPTERS.values()}
    for name in [*pages, *config["extra_css"], *config["extra_javascript"]]:
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(pages.get(name, "/* placeholder */\n"), encoding="utf-8")
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    site = root / "site"
    result = build_with(builder, site, site_url, config=root / "mkdocs.yml")
    assert result.returncode == 0, f"{builder} build of the small site failed:\n{result.stdout}{result.stderr}"
    return site


@pytest.fixture(scope="module", params=BUILDERS)
def sub_path_site(request, tmp_path_factory) -> tuple[str, Path, str]:
    """(builder, built site, site_url): the small site built for the sub-path, once per builder."""
    site_url = PAGES + SUB_PATH
    root = tmp_path_factory.mktemp(f"subpath-{request.param}")
    return request.param, build_mini(root, request.param, site_url), site_url


def test_the_404_page_works_at_any_depth_under_a_sub_path(sub_path_site) -> None:
    builder, site, site_url = sub_path_site
    assert broken_at_every_depth(site, site_url) == {}, builder
    # Not vacuous: the page has the theme's stylesheets and scripts, and links to each chapter.
    found = references((site / "404.html").read_text(encoding="utf-8")).references
    kinds = {kind for kind, _ in found}
    assert {"stylesheet", "script", "base"} <= kinds, kinds
    links = {urljoin(site_url + "no/such/page/", url) for kind, url in found if kind == "a"}
    assert {urljoin(site_url, folder) for folder in CHAPTERS.values()} <= links, links


@pytest.mark.parametrize("builder", BUILDERS)
def test_a_404_page_built_for_the_root_is_caught_under_a_sub_path(builder, tmp_path: Path) -> None:
    """The published site's finding: built without the sub-path in site_url, every stylesheet,
    script and link of the 404 page points at the server's root. site_url must carry the path."""
    site = build_mini(tmp_path, builder, PAGES + "/")
    broken = broken_at_every_depth(site, PAGES + SUB_PATH)
    assert set(broken) == {PAGES + SUB_PATH + missing for missing in MISSING}
    deepest = broken[PAGES + SUB_PATH + MISSING[1]]
    for expected in ("stylesheet ", "script ", "base ", "a /gradients/"):
        assert any(line.startswith(expected) for line in deepest), (expected, deepest)


def published_problems(site: Path, site_url: str) -> list[str]:
    """What is wrong with the 404 page of the site built in `site` for `site_url`, where GitHub
    Pages serves it (the workflow runs this module on the site it publishes)."""
    if not site_url:
        return [
            (
                "SITE_URL is not set: the 404 page is served at any depth under the published address, so its URLs"
                " need site_url to carry that address's path (the workflow's 'Pages address' step sets it)."
            )
        ]
    if not (site / "404.html").is_file():
        return [f"no 404.html in {site}: build the site first (make build)"]
    broken = broken_at_every_depth(site, site_url)
    return [f"built for {site_url}? at {address}: {', '.join(b)}" for address, b in broken.items()]


def test_the_workflow_check_passes_a_site_built_for_its_address_and_fails_one_built_for_another(
    sub_path_site, tmp_path: Path
) -> None:
    builder, site, site_url = sub_path_site
    assert published_problems(site, site_url) == [], builder
    assert published_problems(site, PAGES + "/elsewhere/"), builder
    assert published_problems(site, "")[0].startswith("SITE_URL is not set")
    assert published_problems(tmp_path, site_url)[0].startswith("no 404.html")


def pages_address(tmp_path: Path, repository: str, custom: str = "") -> str:
    """SITE_URL as the workflow's "Pages address" step sets it for `repository` (owner/name)."""
    steps = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["test"]["steps"]
    (script,) = [step["run"] for step in steps if step.get("name") == "Pages address"]
    github_env = tmp_path / "github_env"
    env = {
        "PATH": os.environ["PATH"],
        "GITHUB_REPOSITORY": repository,
        "GITHUB_REPOSITORY_OWNER": repository.split("/")[0],
        "GITHUB_ENV": str(github_env),
        "CUSTOM_SITE_URL": custom,
    }
    subprocess.run(["bash", "-e", "-c", script], env=env, check=True, capture_output=True, text=True)
    (line,) = github_env.read_text(encoding="utf-8").splitlines()
    return line.removeprefix("SITE_URL=")


@pytest.mark.parametrize(
    ("repository", "custom", "expected"),
    [
        ("Owner/gradient-docs", "", "https://owner.github.io/gradient-docs/"),
        ("Owner/Owner.github.io", "", "https://owner.github.io/"),
        ("Owner/gradient-docs", "https://docs.example.org", "https://docs.example.org/"),
    ],
    ids=["project-site", "user-site", "custom-domain"],
)
def test_the_workflow_builds_for_the_address_pages_serves(tmp_path: Path, repository, custom, expected) -> None:
    assert pages_address(tmp_path, repository, custom) == expected


def test_the_workflow_sets_the_address_before_building_and_pins_no_cpu_path() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    jobs = workflow["jobs"].values()
    steps = [step for job in jobs for step in job["steps"]]
    order = [step.get("name") or step.get("uses") for step in workflow["jobs"]["test"]["steps"]]
    assert order.index("Pages address") == 0, order  # before any step that builds or tests
    assert order.index("Check the 404 page at the published address") > order.index("Build the site to publish")
    envs = [workflow.get("env", {}), *(job.get("env", {}) for job in jobs), *(step.get("env", {}) for step in steps)]
    assigned = set().union(*envs) | set(re.findall(r"\b([A-Z_]+)=", "\n".join(step.get("run", "") for step in steps)))
    # SITE_URL comes from the "Pages address" step alone; nothing pins numpy's or OpenBLAS's paths.
    assert "SITE_URL" not in set().union(*envs)
    assert assigned.isdisjoint({"OPENBLAS_CORETYPE", "NPY_DISABLE_CPU_FEATURES", "NPY_ENABLE_CPU_FEATURES"}), assigned


@pytest.mark.browser
def test_a_reader_gets_a_working_404_page_under_a_sub_path(sub_path_site, tmp_path: Path, browser) -> None:
    """Served as GitHub Pages serves a project site: the site under /gradient-docs/, and its
    404.html for every missing address; the page is styled, loads everything, and its search
    index arrives."""
    builder, site, _ = sub_path_site
    (tmp_path / SUB_PATH.strip("/")).symlink_to(site)
    (tmp_path / "404.html").symlink_to(site / "404.html")  # what the server answers for any miss
    server, url = serve(tmp_path)
    context = browser.new_context()
    try:
        page = context.new_page()
        responses, failed = [], []
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.on("response", lambda response: responses.append(response))
        missing = url + SUB_PATH.lstrip("/") + MISSING[1]
        assert page.goto(missing, wait_until="load").status == 404
        broken = [response.url for response in responses if response.status >= 400 and response.url != missing]
        assert failed == [] and broken == [], f"{builder}: {failed + broken}"
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky", builder
        chapters = page.locator("article li a").evaluate_all("links => links.map(a => a.href)")
        assert chapters and all(page.request.get(href).status == 200 for href in chapters), chapters

        def is_index(response) -> bool:
            return response.url.endswith(("search_index.json", "search.json"))

        index = next(filter(is_index, responses), None) or page.wait_for_event("response", is_index, timeout=15_000)
        assert index.status == 200 and index.url.startswith(url + SUB_PATH.lstrip("/")), index.url
    finally:
        context.close()
        server.shutdown()
        server.server_close()


if (
    __name__ == "__main__"
):  # the workflow: python tests/build/test_subpath.py SITE_FOLDER (SITE_URL from the environment)
    import sys

    problems = published_problems(Path(sys.argv[1]), os.environ.get("SITE_URL", ""))
    print("\n".join(problems) or f"404 page of {sys.argv[1]} works under {os.environ['SITE_URL']}")
    raise SystemExit(1 if problems else 0)
