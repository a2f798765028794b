"""The stream: ordered, coherent journeys, hot devices, identity shares, determinism."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schemas
from simulator.generator import device_class, generate, generate_lines
from tests.conftest import T0

Events = list[dict[str, Any]]
PUSH, EMAIL = "users.messages.pushnotification.", "users.messages.email."


def test_exactly_n_events_sorted_by_time_within_the_window(default_stream: Events) -> None:
    assert len(default_stream) == 20_000
    times = [e["time"] for e in default_stream]
    assert times == sorted(times)
    assert times[0] >= T0 and times[-1] < T0 + 3600


def test_stream_events_are_valid(default_stream: Events) -> None:
    for event in default_stream[::20]:
        assert schemas.validate(f"currents/flat/{event['event_type']}", event) == []


def test_sessions_start_before_they_end(default_stream: Events) -> None:
    started: dict[str, int] = {}
    ends = 0
    for i, e in enumerate(default_stream):
        if e["event_type"] == "users.behaviors.app.SessionStart":
            started[e["session_id"]] = i
        elif e["event_type"] == "users.behaviors.app.SessionEnd":
            ends += 1
            assert e["session_id"] in started, "a session ended before it started"
            start = default_stream[started[e["session_id"]]]
            assert start["device_id"] == e["device_id"]
            assert e["duration"] >= 0 and e["time"] - start["time"] <= e["duration"] + 1
    assert ends > 100


def _index(events: Events, event_type: str) -> dict[tuple[str, str], int]:
    """Position of the first ``event_type`` per (user, dispatch)."""
    out: dict[tuple[str, str], int] = {}
    for i, e in enumerate(events):
        if e["event_type"] == event_type:
            out.setdefault((e["user_id"], e["dispatch_id"]), i)
    return out


def test_push_opens_follow_their_send_mostly(default_stream: Events) -> None:
    sends = _index(default_stream, PUSH + "Send")
    opens = [(i, e) for i, e in enumerate(default_stream) if e["event_type"] == PUSH + "Open"]
    matched = [(i, e) for i, e in opens if (e["user_id"], e["dispatch_id"]) in sends]
    assert len(matched) >= 0.95 * len(opens) and len(opens) > 100
    after = sum(sends[(e["user_id"], e["dispatch_id"])] < i for i, e in matched)
    assert 0.9 <= after / len(matched) < 1.0  # mostly after; a few recorded early, like Braze


def test_email_delivery_and_opens_follow_the_send(default_stream: Events) -> None:
    sends = _index(default_stream, EMAIL + "Send")
    checked = 0
    for i, e in enumerate(default_stream):
        if e["event_type"] in (EMAIL + "Delivery", EMAIL + "Open", EMAIL + "Click"):
            assert sends[(e["user_id"], e["dispatch_id"])] < i
            checked += 1
    assert checked > 100


def test_conversions_follow_a_message_of_the_same_campaign(default_stream: Events) -> None:
    seen: set[tuple[str, str]] = set()
    conversions = 0
    for e in default_stream:
        key = e.get("campaign_id") or e.get("canvas_id")
        if e["event_type"].startswith("users.messages.") and key:
            seen.add((e["user_id"], key))
        elif e["event_type"] in ("users.campaigns.Conversion", "users.canvas.Conversion"):
            conversions += 1
            assert (e["user_id"], key) in seen
    assert conversions > 20


def test_scheduled_dispatch_ids_are_shared_and_triggered_ones_per_user(
    default_stream: Events,
) -> None:
    users: dict[str, set[str]] = defaultdict(set)
    steps: dict[str, set[str]] = defaultdict(set)
    for e in default_stream:
        if e.get("dispatch_id") and e["event_type"].startswith("users.messages."):
            users[e["dispatch_id"]].add(e["user_id"])
            steps[e["dispatch_id"]].add(e.get("canvas_step_id") or e.get("campaign_id") or "")
    assert all(len(s) == 1 for s in steps.values())  # one dispatch, one send
    shared = [d for d, u in users.items() if len(u) > 1]
    assert shared and len(shared) < len(users)  # scheduled sends shared, triggered per user


def test_normal_devices_stay_well_under_one_event_per_second(default_stream: Events) -> None:
    per_device = Counter(e["device_id"] for e in default_stream if e.get("device_id"))
    classes = {device_class(d) for d in per_device}
    assert classes == {"normal", "heavy"}
    normal = [c for d, c in per_device.items() if device_class(d) == "normal"]
    heavy = [c for d, c in per_device.items() if device_class(d) == "heavy"]
    assert max(normal) / 3600 < 0.1
    assert sum(heavy) / len(heavy) > 3 * sum(normal) / len(normal)


@pytest.mark.parametrize(
    "shares",
    [
        {"identified": 0.8, "anonymous": 0.15, "neither": 0.05},
        {"identified": 0.5, "anonymous": 0.2, "neither": 0.3},
    ],
)
def test_identity_shares_match_within_two_percent(shares: dict[str, float]) -> None:
    events = list(generate(12_000, seed=3, start=T0, identity=shares))  # type: ignore[arg-type]
    seen: dict[str, set[str]] = defaultdict(set)
    for e in events:
        seen[e["user_id"]].add(
            "ext" if e.get("external_user_id") else "device" if e.get("device_id") else "none"
        )
    counted = Counter(
        "identified" if "ext" in s else "anonymous" if "device" in s else "neither"
        for s in seen.values()
    )
    assert len(seen) > 400
    for cls, share in shares.items():
        assert abs(counted[cls] / len(seen) - share) <= 0.02, (cls, counted)


@given(
    st.tuples(
        st.floats(min_value=0.0, max_value=1.0), st.floats(min_value=0.0, max_value=1.0)
    ).filter(lambda t: t[0] + t[1] <= 1.0)
)
@settings(max_examples=4, deadline=None)
def test_any_identity_shares_hold_within_two_percent(pair: tuple[float, float]) -> None:
    neither = max(0.0, 1.0 - pair[0] - pair[1])  # 1 - a - b may round below zero
    shares = {"identified": pair[0], "anonymous": pair[1], "neither": neither}
    seen: dict[str, set[str]] = defaultdict(set)
    for e in generate(6_000, seed=21, start=T0, identity=shares):  # type: ignore[arg-type]
        seen[e["user_id"]].add(
            "ext" if e.get("external_user_id") else "device" if e.get("device_id") else "none"
        )
    counted = Counter(
        "identified" if "ext" in s else "anonymous" if "device" in s else "neither"
        for s in seen.values()
    )
    for cls, share in shares.items():
        assert abs(counted[cls] / len(seen) - share) <= 0.02, (cls, counted, shares)


def test_users_with_neither_id_are_skipped_by_the_transformer() -> None:
    from simulator.transform import Skipped, transform

    events = list(generate(3000, seed=5, start=T0, identity={"neither": 1.0}))
    assert all(isinstance(transform(e), Skipped) for e in events)


def _dump(events: Events) -> bytes:
    return b"".join(orjson.dumps(e) + b"\n" for e in events)


@given(seed=st.integers(min_value=0, max_value=2**31))
@settings(max_examples=5, deadline=None)
def test_same_seed_identical_bytes_other_seed_differs(seed: int) -> None:
    one = _dump(list(generate(300, seed=seed, start=T0)))
    assert one == _dump(list(generate(300, seed=seed, start=T0)))
    assert one != _dump(list(generate(300, seed=seed + 1, start=T0)))


def test_start_is_injected_not_read() -> None:
    events = list(generate(50, seed=1, start=1_000_000_000.0, duration=60))
    assert all(1_000_000_000 <= e["time"] < 1_000_000_060 for e in events)


def test_bad_identity_shares_are_rejected() -> None:
    with pytest.raises(ValueError, match="identity"):
        list(generate(10, seed=1, start=T0, identity={"identified": -1.0}))  # type: ignore[dict-item]


@pytest.mark.parametrize("stream", [generate, generate_lines])
def test_a_misspelt_option_is_refused_by_name(stream: Any) -> None:
    with pytest.raises(TypeError, match="mixx"):
        list(stream(10, seed=1, start=T0, mixx="all"))


# sha256 of 3,000 lines of seed 0 (joined by newlines), as generated since the engine got its
# own modules: a change of the bytes a seed gives must be deliberate (users pin seeds in tests).
PINNED = {
    "default": "ce70d04cfbedb65e968de0f11a1196db5ed917d871a512cb148e08b8985b5fee",
    "all": "5a4716734e3fa7a9124eaea2cf19239245c5d48be612e3c2116b570744929628",
}


@pytest.mark.parametrize("mix", sorted(PINNED))
def test_a_seed_gives_the_same_bytes_from_version_to_version(mix: str) -> None:
    text = "\n".join(generate_lines(3000, seed=0, start=T0, mix=mix))
    assert hashlib.sha256(text.encode()).hexdigest() == PINNED[mix]
