"""The mixes (``simulator.generator.mixes``): each story's traffic has the device it promises,
and every mix names journeys that exist."""

from __future__ import annotations

from collections import Counter, defaultdict, deque

import pytest

from simulator.currents.catalogue import CATALOGUE
from simulator.generator import MIXES, device_class, generate
from simulator.generator.mixes import JOURNEYS
from tests.conftest import T0


def _max_in_window(times: list[int], seconds: int) -> int:
    """The most events in any window of ``seconds`` (times sorted, whole seconds)."""
    window: deque[int] = deque()
    best = 0
    for t in times:
        window.append(t)
        while window[0] <= t - seconds:
            window.popleft()
        best = max(best, len(window))
    return best


def test_misconfigured_mix_has_a_device_above_30_events_per_second_over_30_seconds() -> None:
    events = list(generate(10_000, seed=11, start=T0, mix="misconfigured"))
    by_device: dict[str, list[int]] = defaultdict(list)
    for e in events:
        if e.get("device_id"):
            by_device[e["device_id"]].append(e["time"])
    hot = [d for d in by_device if device_class(d) == "misconfigured"]
    assert len(hot) == 1
    assert _max_in_window(by_device[hot[0]], 30) / 30 > 30
    others = [_max_in_window(t, 30) for d, t in by_device.items() if d != hot[0]]
    assert max(others) / 30 < 30


@pytest.mark.slow
def test_quota_mix_has_a_device_with_500k_events_in_24_hours() -> None:
    n = 525_000
    counts: Counter[str] = Counter()
    first = last = None
    for e in generate(n, seed=13, start=T0, mix="quota"):
        device = e.get("device_id")
        if device is not None and device_class(device) == "quota":
            counts[device] += 1
            first = e["time"] if first is None else first
            last = e["time"]
    ((device, count),) = counts.items()
    assert count >= 500_000
    assert first is not None and last is not None and last - first < 24 * 3600


def test_every_catalogue_type_appears_in_the_all_mix() -> None:
    events = list(generate(3000, seed=2, start=T0, mix="all"))
    assert {e["event_type"] for e in events} == set(CATALOGUE)
    for e in events:  # each message comes from a campaign on the type's own channel
        name = e.get("campaign_name") or e.get("canvas_step_name")
        if e["event_type"].startswith("users.messages.sms.") and name:
            assert name.endswith("SMS"), (e["event_type"], name)


def test_mixes_only_name_known_journeys() -> None:
    for mix in MIXES.values():
        assert set(mix.journeys) <= set(JOURNEYS)
