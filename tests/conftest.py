"""Shared settings of the test suite, and the built site under both builders.

`make test` runs pytest with two workers (pytest-xdist, `--dist loadgroup`), which share out every
test, the real-browser ones included (each worker drives its own Chromium). The site is built
once per run, by whichever worker needs it first, under a file lock: the pre-build step, then
MkDocs and Zensical side by side; then each site is served, for every worker, by one server
process that ends with the run.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from docs_build import ROOT, assets
from docs_build.site import BUILDERS, build_with

pytest_plugins = ["browser_fixtures", "doctest_hints", "pytester"]  # browser fixtures; doc-test hints; testing pytest

# Property tests: the everyday run (every `make test`, CI derandomised for reproducibility) takes
# 60 examples per property, enough to find a bad corner that is not rare and cheap enough for the
# 2-minute budget; `HYPOTHESIS_PROFILE=thorough` takes 5000 before a release or after touching
# numerics. No deadline on a shared, noisy machine.
settings.register_profile("default", max_examples=60, deadline=None)
settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True)
settings.register_profile("thorough", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "default"))

SITES = ROOT / ".docs-cache" / "test-sites"  # inside the project: Zensical builds nowhere else


@dataclass(frozen=True)
class BuiltSite:
    builder: str
    folder: Path
    port: int  # the site was built for http://127.0.0.1:<port>/ (Material's instant navigation)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


def _free_port(taken: set[int]) -> int:
    """A free port below Linux's ephemeral range (32768-60999), so that no outgoing connection
    (the browser's, Playwright's) can take it between the build and the server binding it."""
    start = 20000 + (os.getpid() % 2000) * 5
    for port in range(start, 32000):
        if port in taken:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    raise RuntimeError("no free port between 20000 and 32000 on 127.0.0.1")


def _build_all(run_id: str) -> dict:
    assets.generate(quiet=True)
    plan: dict[str, tuple[Path, int]] = {}
    for builder in BUILDERS:
        plan[builder] = (SITES / builder, _free_port({port for _, port in plan.values()}))

    def one(builder: str):
        folder, port = plan[builder]
        result = build_with(builder, folder, f"http://127.0.0.1:{port}/")
        return builder, {
            "folder": str(folder),
            "port": port,
            "returncode": result.returncode,
            "log": (result.stdout + result.stderr)[-20000:],
        }

    with ThreadPoolExecutor(len(BUILDERS)) as pool:
        builds = dict(pool.map(one, BUILDERS))
    for build in builds.values():
        if build["returncode"] == 0:
            _serve(Path(build["folder"]), build["port"])
    return {"run": run_id, "builds": builds}


def _serve(folder: Path, port: int) -> None:
    """Serve a built site on its port for the rest of the run, to every worker: a process that
    exits with pytest's main process (the workers' parent under xdist). Spawned, not a Popen:
    nothing of it is left for this process to reap or to warn about."""
    main = os.getppid() if os.environ.get("PYTEST_XDIST_WORKER") else os.getpid()
    quiet = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_WRONLY, 0) for fd in (1, 2)]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    command = [sys.executable, "-m", "docs_build.site", str(folder), str(port), str(main)]
    os.posix_spawn(sys.executable, command, env, file_actions=quiet, setsid=True)
    for _ in range(200):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"the server of {folder} did not start on port {port}")


@pytest.fixture(scope="session")
def sites(request) -> dict[str, BuiltSite]:
    """Both builders' sites, built once per test run (shared by the xdist workers)."""
    worker_input = getattr(request.config, "workerinput", None)
    run_id = worker_input["testrunuid"] if worker_input else uuid.uuid4().hex
    SITES.mkdir(parents=True, exist_ok=True)
    with open(SITES / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        marker = SITES / "built.json"
        record = json.loads(marker.read_text()) if marker.is_file() else {}
        if record.get("run") != run_id:
            record = _build_all(run_id)
            marker.write_text(json.dumps(record))
    for builder, build in record["builds"].items():
        assert build["returncode"] == 0, f"{builder} build failed:\n{build['log']}"
    return {b: BuiltSite(b, Path(v["folder"]), v["port"]) for b, v in record["builds"].items()}


@pytest.fixture(scope="session", params=BUILDERS)
def built(request, sites) -> BuiltSite:
    """Each builder's site in turn: a test using it runs once per builder."""
    return sites[request.param]
