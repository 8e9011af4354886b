"""Every test file on disk is collected by the test run `make test` and CI make.

pytest skips some folders by name (`norecursedirs`: by default any folder called `build`), so a
folder of tests can silently never run. This asks pytest, with the project's own configuration,
what it collects, and compares it with the test files on disk.
"""

from __future__ import annotations

import subprocess
import sys

from docs_build import ROOT


def collected_files() -> set[str]:
    """The files (relative to the project) of every item `pytest` collects by default."""
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, f"collection failed:\n{run.stdout[-5000:]}\n{run.stderr[-5000:]}"
    return {line.split("::")[0] for line in run.stdout.splitlines() if "::" in line}


def test_every_test_file_on_disk_is_collected():
    on_disk = {path.relative_to(ROOT).as_posix() for path in (ROOT / "tests").rglob("test_*.py")}
    assert on_disk, "no test files found"
    missing = sorted(on_disk - collected_files())
    assert not missing, f"test files that `make test` never runs (check norecursedirs, testpaths): {missing}"
