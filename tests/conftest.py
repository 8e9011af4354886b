"""Shared settings for the test suite."""

import os
from pathlib import Path

import pytest
from hypothesis import settings
from sitebuild import DOCS, ROOT, build, serve  # noqa: F401 - DOCS and ROOT are shared

pytest_plugins = ["browser_fixtures"]  # the real-browser suite's fixtures (tests/browser/)

# Property tests: enough examples to find a bad corner, a bound on time per example that a
# shared, noisy machine can meet, and a fixed derandomised profile for CI reproducibility.
settings.register_profile("default", max_examples=200, deadline=None)
settings.register_profile("ci", max_examples=200, deadline=None, derandomize=True)
settings.register_profile("thorough", max_examples=5000, deadline=None)  # HYPOTHESIS_PROFILE=thorough
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "default"))


@pytest.fixture(scope="session")
def served_site(tmp_path_factory) -> tuple[Path, str]:
    """The real site, built once with --strict and served on 127.0.0.1; (folder, base URL).

    The build's site_url is the server's address, as Material's instant navigation requires.
    """
    folder = tmp_path_factory.mktemp("site")
    server, url = serve(folder)
    result = build(ROOT / "mkdocs.yml", folder, site_url=url)
    assert result.returncode == 0, result.stderr
    yield folder, url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def site(served_site) -> Path:
    return served_site[0]
