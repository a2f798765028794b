"""Replaying recorded events (``simulator.delivery.replay``): the clock follows the events' own
times, so storage files roll as they did when the events happened."""

from __future__ import annotations

from simulator.clock import ManualClock
from simulator.delivery.replay import replay
from tests.conftest import T0
from tests.simulator.delivery.bucket import event, storage


def test_a_replay_rolls_files_every_5_minutes_of_event_time() -> None:
    clock = ManualClock(0.0)
    delivery, bucket = storage(clock)
    replay([event(i, at=T0 + 60 * i) for i in range(12)], delivery, clock)  # one a minute
    assert [len(f.records) for f in bucket.files] == [5, 5, 2]
    assert [f.closed_at - f.opened_at for f in bucket.files[:2]] == [300.0, 300.0]
