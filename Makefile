# gradient-docs: `make serve` to write, `make test` to check. Both set themselves up.
#
# The virtual environment and node_modules are rebuilt only when pyproject.toml /
# constraints.txt or package-lock.json change (stamp files below).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY_STAMP   := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

export NO_MKDOCS_2_WARNING := 1

.PHONY: help setup assets serve serve-zensical build build-zensical test test-fast portability lint chromium screenshots weight links bench constraints clean

CHROMIUM ?= /usr/bin/chromium
export CHROMIUM

help:
	@echo "make serve   set up, then serve the site at http://127.0.0.1:8000 with live reload (MkDocs)"
	@echo "make serve-zensical   the same with Zensical, Material's successor"
	@echo "make test    set up, lint, then pytest: unit, property, doc-tests, notebooks, both builders' sites, real-browser suite"
	@echo "make test-fast   the same without the real-browser suite (no Chromium needed)"
	@echo "make portability the doc-tests, values and notebooks on emulated other CPUs and the oldest numpy (part of make test)"
	@echo "make screenshots build, then screenshot every page light and dark into screenshots/"
	@echo "make weight  build, then report the bytes each page loads (budget 2 MB)"
	@echo "make links   build, then check internal links and anchors offline, list external ones"
	@echo "make build   build the site into site/ (MkDocs, --strict); make build-zensical: the same with Zensical"
	@echo "make bench   accuracy, cost and speed of numerical gradients against scipy and numdifftools"
	@echo "make clean   remove site/, .venv/, node_modules/ and caches"

setup: $(PY_STAMP) $(NODE_STAMP)

$(PY_STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is required; found " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[docs,test]"
	touch $@

$(NODE_STAMP): package.json package-lock.json
	@node -e 'const m = +process.versions.node.split(".")[0]; if (m < 18) { console.error("Node.js >= 18 is required; found " + process.version); process.exit(1); }' \
		|| { echo "Node.js >= 18 is required (https://nodejs.org or your package manager)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The pre-build step: figures, KaTeX's CSS and fonts, notebooks, into git-ignored folders of
# docs/. It skips every part whose inputs did not change (hashes in .docs-cache/assets.json).
assets: setup
	$(BIN)/python -m docs_build.assets

# Live mode (docs_build/live.py): a failing example, computed value, formula or figure does not
# stop the pre-build step or the server; the page shows the error in a box, the log names it, and
# the page is served fixed once its source is. The exported variable reaches `assets` too.
serve serve-zensical: export GRADIENT_DOCS_LIVE := 1

serve: assets
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

serve-zensical: assets
	$(BIN)/zensical serve --dev-addr 127.0.0.1:8000

build: assets
	$(BIN)/mkdocs build --strict

# Zensical's cache does not notice changed assets: always --clean. Its --strict checks nothing
# this site needs; the test suite checks its output instead.
build-zensical: assets
	$(BIN)/zensical build --clean

# Two workers share out every test (--dist loadgroup: a marked group stays on one worker), the
# browser ones included, each worker with its own Chromium. Both builders' sites are built once,
# under a lock, by the first worker that needs them, and served to both by one server per site.
PYTEST := $(BIN)/python -m pytest -n 2 --dist loadgroup

test: setup chromium lint assets
	$(PYTEST)

test-fast: setup lint assets
	$(PYTEST) -m "not browser"

# The portability gate alone (part of make test): doc-tests, computed values and notebooks under
# other numpy SIMD levels and OpenBLAS kernels, and with the oldest numpy allowed (.venv-oldest/).
portability: setup assets
	$(BIN)/python -m pytest -n 2 -rs -v tests/test_portability.py

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The browser suite drives Debian's Chromium; Playwright never downloads a browser here.
chromium:
	@test -x $(CHROMIUM) || { echo "Chromium not found at $(CHROMIUM): the real-browser tests need it."; \
		echo "Install it with: sudo apt-get install chromium   (or set CHROMIUM=/path/to/chromium)."; \
		echo "'make test-fast' runs everything except the browser suite."; exit 1; }

screenshots: build chromium
	$(BIN)/python -m docs_build.screenshots site screenshots

weight: build chromium
	$(BIN)/python -m docs_build.weight site

links: build
	$(BIN)/python -m docs_build.links site

BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): $(PY_STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[docs,test,bench]"
	touch $@

bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/numdiff.py

# Re-pin every Python dependency after changing pyproject.toml (then commit constraints.txt).
constraints:
	rm -rf /tmp/gradient-docs-pin && $(PYTHON) -m venv /tmp/gradient-docs-pin
	/tmp/gradient-docs-pin/bin/pip install --quiet --upgrade "pip>=24"
	/tmp/gradient-docs-pin/bin/pip install --quiet ".[docs,test,bench]"
	/tmp/gradient-docs-pin/bin/pip freeze --exclude gradient-docs > constraints.txt

clean:
	rm -rf site $(VENV) .venv-oldest node_modules .pytest_cache .hypothesis .cache .docs-cache docs/assets/katex docs/figures docs/notebooks .zensical-*.yml
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
