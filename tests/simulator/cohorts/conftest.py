"""A small in-process world for the sync tests: an Amplitude project with a cohort, a Braze
workspace, on the test's clock."""

from __future__ import annotations

import pytest

from simulator.clock import ManualClock
from tests.simulator.cohorts.world import World


@pytest.fixture
def world(clock: ManualClock) -> World:
    return World.build(clock)
