"""Shared settings for the test suite."""

import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

# Property tests: enough examples to find a bad corner, a bound on time per example that a
# shared, noisy machine can meet, and a fixed derandomised profile for CI reproducibility.
settings.register_profile("default", max_examples=200, deadline=None)
settings.register_profile("ci", max_examples=200, deadline=None, derandomize=True)
settings.register_profile("thorough", max_examples=5000, deadline=None)  # HYPOTHESIS_PROFILE=thorough
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "default"))


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20261126)
