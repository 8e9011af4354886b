"""The portability gate: every doc-test, computed value and notebook comparison, as on other CPUs.

numpy picks SIMD code paths by CPU and OpenBLAS picks its kernels, so a reader's machine can print
other round-off than the one a page was written on. Each configuration below reruns, in a fresh
process, the checks whose output depends on that: the doc-tests of the pages, the docstrings and
the README; every computed value of the site (`tests/build/test_values.py`); the notebooks against
their pages (`tests/build/test_notebooks.py`); the exercise solutions. It emulates another CPU
with numpy's `NPY_DISABLE_CPU_FEATURES` (feature names asked of numpy itself: they differ between
numpy versions, and an unknown one raises a warning) and OpenBLAS's `OPENBLAS_CORETYPE`, with the
OpenBLAS variables a developer's machine may set removed.

A configuration this CPU cannot run (AVX-512 paths or kernels on a CPU without AVX-512) is
skipped with the reason shown in the summary (`-rs`), never silently. One configuration runs the
same checks with the oldest numpy that `pyproject.toml` allows, in a second virtual environment
kept in `.venv-oldest/` and rebuilt when `constraints.txt` or `pyproject.toml` change.

`make portability` runs the gate alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from docs_build import ROOT

# What each configuration reruns: everything whose printed output depends on round-off.
CHECKS = [
    "docs",
    "README.md",
    "gradient_docs",
    "tests/build/test_values.py::test_no_field_changes_if_every_example_below_it_is_deleted",
    "tests/build/test_notebooks.py::test_notebook_is_valid_runs_offline_and_prints_what_the_page_prints",
    "tests/build/test_exercises.py::test_each_solution_runs_on_its_own",
]

# OpenBLAS kernel -> the CPU feature (numpy's name) it needs to run at all.
KERNEL_NEEDS = {"Prescott": "SSE3", "Sandybridge": "AVX", "Haswell": "AVX2", "Zen": "AVX2", "SkylakeX": "AVX512_SKX"}
# numpy dispatch level -> the CPU feature it needs.
LEVEL_NEEDS = {"baseline": "SSE2", "AVX2": "AVX2", "AVX-512": "AVX512_SKX"}
MACHINE_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_VERBOSE", "NPY_DISABLE_CPU_FEATURES")

PROBE = "import json; from docs_build.checker import numpy_cpu; print(json.dumps(numpy_cpu()))"


@dataclass(frozen=True)
class Configuration:
    simd: str  # "baseline", "AVX2" or "AVX-512": the highest numpy dispatch level left on
    kernel: str | None  # OPENBLAS_CORETYPE, or None for the kernel OpenBLAS picks
    oldest_numpy: bool = False

    @property
    def name(self) -> str:
        numpy = "oldest numpy, " if self.oldest_numpy else ""
        return f"{numpy}{self.simd} SIMD, {self.kernel or 'native'} kernel"


CONFIGURATIONS = [
    Configuration("baseline", "Prescott"),
    Configuration("AVX2", "Sandybridge"),
    Configuration("AVX2", "Haswell"),
    Configuration("AVX-512", "SkylakeX"),
    Configuration("baseline", "Zen"),
    Configuration("AVX2", None, oldest_numpy=True),
]


def clean_environment() -> dict[str, str]:
    """This process's environment without CPU-pinning variables or pytest-xdist's worker ones."""
    return {k: v for k, v in os.environ.items() if k not in MACHINE_VARIABLES and not k.startswith("PYTEST_")}


def probe(python: str) -> dict:
    """numpy's version, the features it can dispatch to, and the ones this CPU has."""
    run = subprocess.run([python, "-c", PROBE], env=clean_environment(), capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


def disabled_features(level: str, numpy: dict) -> list[str]:
    """The dispatched features this CPU has above `level`, by numpy's own names."""
    above_avx2 = re.compile(r"AVX512|X86_V4|AVX10")

    def above(feature: str) -> bool:
        if level == "baseline":
            return True
        if level == "AVX2":
            return bool(above_avx2.match(feature))
        return False

    return [f for f in numpy["dispatch"] if f in numpy["features"] and above(f)]


def oldest_numpy() -> str:
    """The lowest numpy release that `pyproject.toml` allows, as a pip requirement."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    floor = re.search(r'"numpy>=([\d.]+)"', text)
    assert floor, "pyproject.toml declares no numpy floor"
    return f"numpy=={floor[1]}.*" if floor[1].count(".") == 1 else f"numpy=={floor[1]}"


def oldest_venv() -> str:
    """A second virtual environment with the oldest allowed numpy and every other pin as in
    `constraints.txt`; rebuilt only when those files change (stamp `.venv-oldest/.installed`)."""
    venv = ROOT / ".venv-oldest"
    python = venv / "bin" / "python"
    inputs = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes() + (ROOT / "constraints.txt").read_bytes()
    ).hexdigest()
    stamp = venv / ".installed"
    if stamp.is_file() and stamp.read_text() == inputs and python.is_file():
        return str(python)
    pins = [line for line in (ROOT / "constraints.txt").read_text().splitlines() if not line.startswith("numpy==")]
    venv.mkdir(exist_ok=True)
    constraints = venv / "constraints.txt"
    constraints.write_text("\n".join(pins) + "\n")
    env = clean_environment()
    steps = [
        [sys.executable, "-m", "venv", str(venv)],
        [str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip>=24"],
        [str(python), "-m", "pip", "install", "--quiet", "-c", str(constraints), oldest_numpy(), "-e", ".[docs,test]"],
    ]
    for step in steps:
        subprocess.run(step, cwd=ROOT, env=env, check=True, capture_output=True, timeout=900)
    stamp.write_text(inputs)
    return str(python)


def test_configurations_cover_every_dispatch_level_and_kernel_family() -> None:
    assert {c.simd for c in CONFIGURATIONS} == set(LEVEL_NEEDS)
    assert {"Prescott", "Haswell", "SkylakeX"} <= {c.kernel for c in CONFIGURATIONS}
    assert any(c.oldest_numpy for c in CONFIGURATIONS)


def test_feature_names_come_from_numpy_and_differ_by_level() -> None:
    numpy = probe(sys.executable)
    baseline, avx2, avx512 = (disabled_features(level, numpy) for level in ("baseline", "AVX2", "AVX-512"))
    assert set(avx512) <= set(avx2) <= set(baseline) <= set(numpy["dispatch"])
    assert avx512 == []
    if "AVX2" in numpy["features"]:
        assert set(baseline) - set(avx2), "the baseline level must switch off the AVX2 paths"


@pytest.mark.parametrize("configuration", CONFIGURATIONS, ids=lambda c: c.name)
def test_every_page_docstring_value_and_notebook_holds_on_another_cpu(configuration: Configuration) -> None:
    python = oldest_venv() if configuration.oldest_numpy else sys.executable
    numpy = probe(python)
    for needs, what in ((LEVEL_NEEDS[configuration.simd], "numpy's " + configuration.simd + " paths"),) + (
        ((KERNEL_NEEDS[configuration.kernel], "OpenBLAS's " + configuration.kernel + " kernel"),)
        if configuration.kernel
        else ()
    ):
        if needs not in numpy["features"]:
            pytest.skip(f"{configuration.name}: this CPU has no {needs}, which {what} need")
    env = clean_environment()
    env["NPY_DISABLE_CPU_FEATURES"] = " ".join(disabled_features(configuration.simd, numpy))
    if configuration.kernel:
        env["OPENBLAS_CORETYPE"] = configuration.kernel
    command = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", *CHECKS]
    start = time.perf_counter()
    run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200, check=False)
    seconds = time.perf_counter() - start
    summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else "(no output)"
    where = (
        f"{configuration.name} (numpy {numpy['numpy']}, NPY_DISABLE_CPU_FEATURES="
        f"{env['NPY_DISABLE_CPU_FEATURES']!r}, OPENBLAS_CORETYPE={env.get('OPENBLAS_CORETYPE', '')!r})"
    )
    print(f"{where}: {summary} [{seconds:.0f} s]")
    failures = "\n".join(line for line in run.stdout.splitlines() if line.startswith(("FAILED", "ERROR")))
    assert run.returncode == 0, f"{where}:\n{failures or run.stdout[-4000:]}\n{run.stderr[-2000:]}\n{summary}"
    assert re.search(r"\d+ passed", summary) and "skipped" not in summary, summary


def test_gate_venv_path_is_ignored_by_git() -> None:
    assert ".venv-oldest/" in Path(ROOT / ".gitignore").read_text().splitlines()
