"""Live mode (`docs_build.live`, `make serve`): an error in a page is shown on the page and logged,
the server keeps serving and serves the fixed page; outside live mode the same error is raised.

The servers are the real ones, `mkdocs serve` and `zensical serve`, on a tiny project; the
pre-build step's notebooks on a tiny docs folder.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import markdown
import pytest

from docs_build import assets, live, notebooks
from docs_build.katex import KatexExtension
from docs_build.site import BUILDERS, ENV
from docs_build.values import ComputedValueError, ValuesExtension

BOX = 'class="admonition failure gd-build-error"'


@pytest.fixture
def live_mode(monkeypatch, caplog):
    """Live mode on, and the live log captured (its logger does not propagate to the root)."""
    monkeypatch.setenv(live.VARIABLE, "1")
    live.LOG.addHandler(caplog.handler)
    yield caplog
    live.LOG.removeHandler(caplog.handler)


@pytest.fixture
def strict_mode(monkeypatch):
    monkeypatch.delenv(live.VARIABLE, raising=False)


class Failing(live.Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        raise ValueError("page.md:3: <b>wrong</b>\nsecond line")


class FailingLate(live.Postprocessor):
    def run(self, text: str) -> str:
        raise ValueError("late")


class Faults(markdown.Extension):
    def extendMarkdown(self, md) -> None:
        md.preprocessors.register(Failing(md), "failing", 1000)
        md.postprocessors.register(FailingLate(md), "failing_late", 1)


def test_outside_live_mode_an_error_is_raised_as_it_is(strict_mode) -> None:
    error = ValueError("page.md:3: wrong")
    with pytest.raises(ValueError) as raised:
        live.report(error)
    assert raised.value is error
    with pytest.raises(ValueError, match="page.md:3: <b>wrong</b>"):
        markdown.markdown("# Title", extensions=[Faults()])


def test_in_live_mode_a_processor_error_is_logged_and_shown_on_top_of_the_page(live_mode) -> None:
    before = live.reported()
    page = markdown.markdown("# Title\n\nText *with* emphasis.", extensions=[Faults()])
    # Both boxes, the postprocessor's first; the page itself converted below them.
    assert page.count(BOX) == 2 and page.index("late") < page.index("page.md:3")
    assert "<h1>Title</h1>" in page and "<em>with</em>" in page
    assert "ValueError: page.md:3: &lt;b&gt;wrong&lt;/b&gt;&#10;second line" in page  # escaped, one line
    assert live.reported() == before + 2
    logged = [r.getMessage() for r in live_mode.records]
    assert any("ValueError: page.md:3: <b>wrong</b>" in m and "Traceback" in m for m in logged)


def test_an_error_box_is_valid_in_a_paragraph_when_inline() -> None:
    assert live.error_box("x").startswith("<div ") and live.error_box("x").endswith("</div>")
    inline = live.error_box("x", inline=True)
    assert inline.startswith("<span ") and "<div" not in inline and "<pre" not in inline


def fake_md(page: str, file: Path) -> SimpleNamespace:
    """What `docs_build.pages.current_file` reads of MkDocs' Markdown instance."""
    return SimpleNamespace(
        treeprocessors={"relpath": SimpleNamespace(file=SimpleNamespace(src_uri=page, abs_src_path=file))}
    )


def test_a_line_is_named_by_its_place_in_the_file(tmp_path: Path) -> None:
    file = tmp_path / "page.md"
    file.write_text(
        '---\ndescription: "d"\n---\n\n# T\n\nA {{ x }} value.\n\n```python\nprint(1)\nprint(2)\n```\n\nThe end {{ y }}.\n'
    )
    lines = [
        "# T",  # front matter dropped: file line 5
        "",
        "[Download notebook](x.ipynb)",  # inserted after the title
        "",
        "A 3.0 value.",  # a computed value filled in: 7
        "",
        "\x02wzxhzdk:0\x03",  # a code block stashed: four lines became one
        "",
        "The end 4.5.",  # 14
    ]
    md = fake_md("page.md", file)
    assert [live.where(md, lines, i) for i in (0, 1, 4, 8)] == ["page.md:5", "page.md:6", "page.md:7", "page.md:14"]
    assert live.where(md, lines, None) == "page.md"
    assert live.where(SimpleNamespace(treeprocessors={}, preprocessors=[]), lines, 4) == "<docstring>:5"


def convert_with_values_and_katex(text: str) -> str:
    md = markdown.Markdown(
        extensions=[ValuesExtension(), KatexExtension(), "pymdownx.arithmatex", "pymdownx.superfences"],
        extension_configs={"pymdownx.arithmatex": {"generic": True}},
    )
    return md.convert(text)


def test_in_live_mode_a_formula_katex_cannot_render_is_shown_in_its_place(live_mode) -> None:
    page = convert_with_values_and_katex("Before $\\fracc{a}$ after, and $x^2$.\n\n$$\\frac{1}{$$\n")
    paragraph = page[: page.index("</p>")]
    assert paragraph.count(BOX) == 1 and "<div" not in paragraph  # inline: a span in the paragraph
    assert "KaTeX could not render the formula '\\\\fracc{a}'" in paragraph and "Undefined control sequence" in page
    assert page.count('<span class="katex">') == 1  # x^2 still rendered
    assert page.count(BOX) == 2 and '<div class="admonition failure' in page  # the display formula's box


PAGE_WITH_A_FAILING_EXAMPLE = """\
# Page

```pycon
>>> ratio = 104 / 2
>>> print(ratio)
52.5

```

The ratio is {{ ratio:.0f }}.
"""


def test_in_live_mode_a_failing_example_shows_expected_and_got(live_mode) -> None:
    """Needs values.py's preprocessor to derive from `docs_build.live.Preprocessor`."""
    page = convert_with_values_and_katex(PAGE_WITH_A_FAILING_EXAMPLE)
    assert BOX in page, "values.py's ValuesPreprocessor must derive from docs_build.live.Preprocessor"
    box = page[page.index(BOX) : page.index("</div>")]
    assert "ComputedValueError" in box and "Expected:&#10;    52.5&#10;Got:&#10;    52.0" in box
    assert "<h1>Page</h1>" in page and "The ratio is {{ ratio:.0f }}." in page


def docs_with_two_pages(tmp_path: Path, monkeypatch) -> Path:
    """A docs folder with a good page and a page whose computed value fails, as notebooks' DOCS."""
    docs = tmp_path / "docs"
    (docs / "a").mkdir(parents=True)
    good = "# Good\n\n```pycon\n>>> x = 2\n\n```\n\nx is {{ x }}.\n"
    (docs / "a" / "good.md").write_text(good)
    (docs / "a" / "bad.md").write_text(good.replace("# Good", "# Bad").replace("{{ x }}", "{{ 1 / 0 }}"))
    monkeypatch.setattr(notebooks, "DOCS", docs)
    return docs


def test_the_prebuild_step_in_live_mode_keeps_a_failing_pages_notebook_and_writes_the_others(
    tmp_path: Path, monkeypatch, live_mode
) -> None:
    docs_with_two_pages(tmp_path, monkeypatch)
    out = tmp_path / "notebooks"
    (out / "a").mkdir(parents=True)
    (out / "a" / "bad.ipynb").write_text("previous")
    (out / "gone.ipynb").write_text("a page that no longer has examples")
    assert notebooks.write_all(out) == 1
    assert json.loads((out / "a" / "good.ipynb").read_text())["cells"]
    assert (out / "a" / "bad.ipynb").read_text() == "previous"
    assert not (out / "gone.ipynb").exists()
    assert any("a/bad.md:8: the computed value {{ 1 / 0 }} failed" in r.getMessage() for r in live_mode.records)


def test_the_prebuild_step_outside_live_mode_stops_naming_page_and_line(tmp_path: Path, monkeypatch, strict_mode):
    docs_with_two_pages(tmp_path, monkeypatch)
    with pytest.raises(ComputedValueError, match=r"a/bad\.md:8: the computed value \{\{ 1 / 0 \}\} failed"):
        notebooks.write_all(tmp_path / "notebooks")


def test_a_part_with_errors_shown_is_not_stamped_and_runs_again(tmp_path: Path, monkeypatch, live_mode) -> None:
    folder = tmp_path / "out"
    runs = []

    def write() -> int:
        runs.append(1)
        folder.mkdir(exist_ok=True)
        (folder / "kept").write_text("previous")
        live.report(ValueError("page.md:1: broken"))
        return 0

    monkeypatch.setattr(assets, "STAMP", tmp_path / "assets.json")
    monkeypatch.setattr(assets, "PARTS", {"part": (write, folder, list)})
    report = assets.generate(quiet=True)
    assert "1 failed (above), kept their previous files" in report["part"]
    stamp = tmp_path / "assets.json"
    assert "part" not in (json.loads(stamp.read_text()) if stamp.is_file() else {})
    assets.generate(quiet=True)
    assert len(runs) == 2


# The real servers ----------------------------------------------------------------------------

CONFIG = """\
site_name: live
strict: true
theme:
  name: material
  variant: classic
markdown_extensions:
  - docs_build.values
  - docs_build.katex
  - pymdownx.arithmatex:
      generic: true
  - pymdownx.superfences
"""

PAGE = """\
---
description: "A page being written."
---

# Ratios

```pycon
>>> ratio = 104 / 2
>>> print(ratio)
52.0

```

The ratio is {{ ratio:.0f }}.

In math, $r = {{ ratio:.1f }}$.
"""
WAIT = 60.0  # seconds for a start or a rebuild, on a loaded 2-core machine


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`mkdocs serve` or `zensical serve` of a tiny project in live mode, as `make serve` runs it."""

    def __init__(self, builder: str, project: Path) -> None:
        self.page, self.log = project / "docs" / "index.md", project / "serve.log"
        port = free_port()
        self.url = f"http://127.0.0.1:{port}/"
        program = (
            [sys.executable, "-m", "mkdocs"] if builder == "mkdocs" else [str(Path(sys.executable).parent / "zensical")]
        )
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [*program, "serve", "--dev-addr", f"127.0.0.1:{port}", "--config-file", str(project / "mkdocs.yml")],
                cwd=project,
                env={**ENV, live.VARIABLE: "1"},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def edit(self, old: str, new: str) -> None:
        text = self.page.read_text(encoding="utf-8")
        assert old in text
        self.page.write_text(text.replace(old, new), encoding="utf-8")

    def fetch(self) -> str:
        try:
            with urllib.request.urlopen(self.url, timeout=5) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, TimeoutError, ConnectionError):
            return ""

    def serves(self, wanted: str, unwanted: str | None = None) -> str:
        """The page once it holds `wanted` (and not `unwanted`), within WAIT seconds; the server alive."""
        end, page = time.monotonic() + WAIT, ""
        while time.monotonic() < end:
            if self.process.poll() is not None:
                pytest.fail(f"the server exited (code {self.process.returncode}):\n{self.log.read_text()[-3000:]}")
            page = self.fetch()
            if wanted in page and (unwanted is None or unwanted not in page):
                return page
            time.sleep(0.3)
        pytest.fail(
            f"not served within {WAIT:.0f} s: {wanted!r}\npage: {page[-2000:]}\nlog:\n{self.log.read_text()[-3000:]}"
        )

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(params=BUILDERS)
def server(request, tmp_path: Path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(PAGE, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    running = Server(request.param, tmp_path)
    yield running
    running.stop()


def test_the_server_shows_a_page_error_in_place_and_serves_the_fixed_page(server) -> None:
    server.serves("The ratio is 52.", unwanted=BOX)

    # A formula KaTeX cannot parse: the rest of the page renders, the box names page, line, formula.
    server.edit("$r = {{ ratio:.1f }}$", "$\\fracc{r}$")
    page = server.serves(BOX)
    assert "index.md:16: KaTeX could not render the formula '\\\\fracc{r}'" in page
    assert "Undefined control sequence" in page and "The ratio is 52." in page
    server.edit("$\\fracc{r}$", "$r = {{ ratio:.1f }}$")
    server.serves('<span class="katex">', unwanted=BOX)

    # A computed value that raises.
    server.edit("{{ ratio:.0f }}.", "{{ 1 / 0 }}.")
    page = server.serves(BOX)
    assert "index.md:14: the computed value {{ 1 / 0 }} failed: ZeroDivisionError" in page, (
        "values.py's ValuesPreprocessor must derive from docs_build.live.Preprocessor"
    )
    server.edit("{{ 1 / 0 }}.", "{{ ratio:.0f }}.")
    server.serves("The ratio is 52.", unwanted=BOX)

    assert server.process.poll() is None
    log = server.log.read_text()
    assert "shown on the page, fails a strict build: KatexError: index.md:16" in log
    assert "shown on the page, fails a strict build: ComputedValueError: index.md:14" in log


def test_the_live_log_is_on_standard_error_in_mkdocs_style() -> None:
    code = "from docs_build import live\ntry:\n    {}['page.md:1: x']\nexcept KeyError as e:\n    live.report(e)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**ENV, live.VARIABLE: "1"}, check=True
    )
    assert result.stderr.startswith("ERROR   -  shown on the page, fails a strict build: KeyError: 'page.md:1: x'")
    assert "Traceback" in result.stderr  # not one of our errors: where it came from is logged too
