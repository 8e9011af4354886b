"""Build-time code of the site, used alike by MkDocs and by Zensical.

The flow is one way: pages in `docs/` are read by this package (their code fences, their
computed values, their math), which imports the library `gradient_docs`; the library never
imports this package.

- `fences`: the one reader of a page's code fences (doc-tests, computed values, notebooks).
- `pages`: which page a Markdown extension is rendering, and its front matter.
- `values`: Markdown extension, values computed by the page's own examples shown in prose.
- `checker`: the one doc-test output checker (`+ROUNDOFF`), of the build and of pytest.
- `live`: a page's build error: raised (strict) or shown on the page while serving
  (`make serve`), and its line in the file.
- `katex`: Markdown extension, math rendered to HTML with KaTeX at build time.
- `figures`: the figures, each drawn from the package's numbers.
- `figure_markup`: Markdown extension, `![alt](figure:name "caption")` as a themed figure.
- `notebooks`: a Jupyter notebook per page with examples.
- `assets`: the pre-build step writing figures, KaTeX's CSS and fonts, and notebooks into
  git-ignored folders under `docs/` (`python -m docs_build.assets`).
- `site`: build, serve and browse the site (tests and scripts).
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
