"""The date and the machine a benchmark ran on, for the results files the pages include."""

from __future__ import annotations

import datetime
import importlib.metadata
import os
import platform
from pathlib import Path


def _processor() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def description() -> dict:
    """Date (UTC), processor and core count, OS, and the versions of the numerical packages."""
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d"),
        "machine": f"{_processor()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "numpy": _version("numpy"),
        "scipy": _version("scipy"),
        "numdifftools": _version("numdifftools"),
        "mpmath": _version("mpmath"),
    }
