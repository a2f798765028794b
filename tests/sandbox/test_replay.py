"""The model's persistence API, in process: a model rebuilt from its journal (``replay``) and
``export_state`` answers exactly as the original (what ``serve --data-dir`` relies on)."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.amplitude import AmplitudeModel, Limits
from simulator.clock import ManualClock
from tests.conftest import T0

LIMITS = Limits(eps_httpapi=2, daily_quota=150)


def _traffic(model: AmplitudeModel, clock: ManualClock, seed: int, requests: int) -> None:
    rng = random.Random(seed)
    for _ in range(requests):
        clock.advance(rng.choice([0, 0.5, 3, 20]))
        key = rng.choice(["key-aaaa", "key-bbbb"])
        events = [
            {
                "event_type": rng.choice(["Played", "$identify"]),
                "device_id": f"device-{rng.randrange(3):04d}",
                "user_id": rng.choice([None, "user-0001"]),
                "insert_id": f"ins-{rng.randrange(40)}",
                "user_properties": {"$add": {"plays": 1}},
            }
            for _ in range(rng.randrange(1, 25))
        ]
        model.upload("httpapi", {"api_key": key, "events": events}, size_bytes=100)
        if rng.random() < 0.05:
            model.reset(key)


def _rebuilt(model: AmplitudeModel, clock: ManualClock) -> AmplitudeModel:
    """A fresh model fed the original's journal, request log and exported state."""
    copy = AmplitudeModel(clock, LIMITS)
    changes = model.changes_since(0, 0)
    requests = {r.id: r for r in changes.requests}
    rows: dict[int, list] = {}
    for row in changes.rows:
        rows.setdefault(row[2], []).append(row)
    for request_id in sorted(requests.keys() | rows.keys()):
        copy.replay(rows.get(request_id, []), requests.get(request_id))
    copy.apply_state(changes.state)
    return copy


def _answers(model: AmplitudeModel, clock: ManualClock) -> list:
    """What the model says now and what it answers to more traffic."""
    seen = [model.stats(), model.nearest_limits("key-aaaa", 5), model.positions()]
    seen.append(model.user_properties("key-aaaa", user_id="user-0001"))
    _traffic(model, clock, 99, 20)
    seen += [model.events(limit=10_000).items, model.stats()]
    return seen


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 60))
def test_a_model_replayed_from_its_journal_answers_as_the_original(seed, requests):
    clock = ManualClock(T0)
    original = AmplitudeModel(clock, LIMITS)
    _traffic(original, clock, seed, requests)
    copy_clock = ManualClock(clock.now())
    copy = _rebuilt(original, copy_clock)
    assert _answers(copy, copy_clock) == _answers(original, clock)
