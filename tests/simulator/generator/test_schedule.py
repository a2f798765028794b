"""The block scheduler: order across blocks, ties, a filled window, its limits."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from simulator.generator import generate, make_provider
from simulator.generator import schedule as schedule_module
from simulator.generator.mixes import Journey, Mix, Step
from simulator.generator.stream import event_stream
from tests.conftest import T0

SESSION = "users.behaviors.app."


def _positions(events: list[dict[str, Any]], event_type: str) -> dict[str, int]:
    return {e["session_id"]: i for i, e in enumerate(events) if e["event_type"] == event_type}


def test_events_at_the_same_instant_keep_their_step_order() -> None:
    events = list(generate(6000, seed=4, start=T0, mix="behaviors"))
    first_sessions = _positions(events, SESSION + "FirstSession")
    starts = _positions(events, SESSION + "SessionStart")
    tied = [
        s for s in first_sessions if events[first_sessions[s]]["time"] == events[starts[s]]["time"]
    ]
    assert len(tied) > 20  # a first session's start has no delay: the same instant
    assert all(first_sessions[s] < starts[s] for s in tied)


def test_small_blocks_still_give_exactly_n_events_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schedule_module, "BLOCK", 7)
    events = list(generate(3000, seed=9, start=T0))
    assert len(events) == 3000
    times = [e["time"] for e in events]
    assert times == sorted(times)
    starts = _positions(events, SESSION + "SessionStart")
    ends = _positions(events, SESSION + "SessionEnd")
    assert ends and all(starts[s] < i for s, i in ends.items())


def test_the_events_spread_evenly_over_the_window() -> None:
    window = 7200
    events = list(generate(8000, seed=6, start=T0, duration=window))
    quarters = Counter(int((e["time"] - T0) // (window / 4)) for e in events)
    assert sorted(quarters) == [0, 1, 2, 3]
    assert all(0.2 <= count / len(events) <= 0.3 for count in quarters.values()), quarters


def test_a_journey_with_more_events_than_tie_break_slots_is_refused() -> None:
    endless = Journey((Step("users.behaviors.CustomEvent", repeat=(1, 64)),))
    mix = Mix({"endless": 1.0})
    monkeypatched = {"endless": endless}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("simulator.generator.stream.JOURNEYS", monkeypatched)
        with pytest.raises(ValueError, match="tie-break"):
            list(event_stream(make_provider(1), 10, start=T0, mix=mix, identity={"identified": 1}))


def test_journeys_whose_first_step_may_not_happen_still_give_n_events() -> None:
    rare = Journey((Step("users.behaviors.CustomEvent", p=0.05), Step("users.behaviors.Location")))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("simulator.generator.stream.JOURNEYS", {"rare": rare})
        patch.setattr(schedule_module, "BLOCK", 3)
        events = list(
            event_stream(
                make_provider(2), 40, start=T0, mix=Mix({"rare": 1.0}), identity={"identified": 1}
            )
        )
    assert len(events) == 40
