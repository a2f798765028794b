"""Sync cadences: when each schedule runs, and how a failed one-time sync is retried."""

from __future__ import annotations

import pytest

from simulator.cohorts import schedule
from tests.simulator.cohorts.world import World


@pytest.mark.parametrize(
    ("cadence", "runs"), [("one-time", 1), ("hourly", 25), ("daily", 2), ("real-time", 1441)]
)
def test_schedules_run_at_their_cadence(world: World, cadence: str, runs: int) -> None:
    sync = world.sync(cadence)
    world.clock.advance(86_400)
    assert len(sync.step()) == runs


def test_a_failed_one_time_sync_is_retried_hourly_until_it_succeeds(world: World) -> None:
    world.change(world.persons[:3], "ADD")
    sync = world.sync("one-time")
    world.workspace.locked = True
    world.clock.advance(2 * 3600)
    assert [r.ok for r in sync.step()] == [False, False, False]
    world.workspace.locked = False
    world.clock.advance(3600)
    assert [r.ok for r in sync.step()] == [True]
    world.clock.advance(10 * 3600)
    assert sync.step() == []


def test_unknown_schedule_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown schedule"):
        schedule("weekly")
