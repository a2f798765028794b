"""Shared fixtures: a manual clock, a seeded rng, and the path to Braze's reference samples."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from simulator.clock import ManualClock

REPO = Path(__file__).resolve().parents[1]
# Braze's public sample output lives beside the checkout (../shared/reference); a user's
# clone has no such folder, so tests that need it skip cleanly.
REFERENCE = Path(
    os.environ.get("CURRENTS_REFERENCE", REPO.parent / "shared" / "reference" / "currents-examples")
)

T0 = 1_700_000_000.0  # 2023-11-14T22:13:20Z: a fixed instant for every test clock


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


@pytest.fixture
def rng() -> random.Random:
    return random.Random(0)


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    if not REFERENCE.is_dir():
        pytest.skip(f"Braze reference samples not found at {REFERENCE}")
    return REFERENCE


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/**/*.expected.json from the current code (review the diff!)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))
