"""The scenarios, scaled down so each runs in about a second, on the Amplitude model."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.clock import ManualClock
from simulator.connector import DROPPED, SinkResponse, Strategy
from simulator.connector.scenarios import (
    HOUR,
    SCENARIOS,
    START,
    ControlledSink,
    Scenario,
    in_process,
    run_scenario,
    simulate,
    stream,
)
from simulator.transform import Skipped, transform

SMALL: dict[str, dict[str, Any]] = {
    "misconfigured-device": {"events": 8_000, "hours": 0.2, "drain_h": 1.0},
    "credential-expiry": {"events": 2_000, "hours": 12.0, "key_expires_h": 1.0, "outage_h": 6.0,
                          "horizon_h": 4.0},
    "quota-exhaustion": {"events": 3_000, "hours": 4.0, "drain_h": 1.0},
    "amplitude-5xx-storm": {"events": 3_000, "hours": 4.0},
}  # fmt: skip


def small(name: str, **more: Any) -> Scenario:
    scenario = replace(SCENARIOS[name], **{**SMALL[name], **more})
    if name == "quota-exhaustion":  # keep the device past its (scaled) quota
        scenario = replace(scenario, limits=replace(scenario.limits, daily_quota=1_000))
    return scenario


def test_every_scenario_has_a_small_version():
    assert set(SMALL) == set(SCENARIOS)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(sorted(SCENARIOS)),
    seed=st.integers(0, 10_000),
    strategy=st.sampled_from(list(Strategy)),
    scale=st.floats(0.05, 0.5),
    without_hot=st.booleans(),
)
def test_conservation_for_every_scenario_and_seed(name, seed, strategy, scale, without_hot):
    base = small(name)
    scenario = replace(base, events=max(1, int(base.events * scale)))
    run = simulate(scenario, strategy, seed=seed, without_hot=without_hot)
    r = run.report
    produced = sum(
        1 for _ in stream(scenario, seed, without=base.hot_class if without_hot else None)
    )
    assert r["produced"] == produced
    assert r["produced"] == r["delivered"] + r["lost"] + r["skipped"] + r["queued"]
    assert r["queued"] == r["still_queued_at_end"]
    if scenario.faults:  # a 500 after ingestion stores events the connector sends again
        assert r["delivered"] <= run.sink.ingested()
    else:
        assert r["delivered"] == run.sink.ingested()
    for cls in r["classes"].values():
        assert cls["produced"] == cls["delivered"] + cls["lost"] + cls["skipped"] + cls["queued"]


def test_misconfigured_device_braze_vs_per_device():
    report, _ = run_scenario(small("misconfigured-device"), seed=0)
    braze, per_device = report["strategies"]["braze"], report["strategies"]["per-device"]
    assert braze["requests_by_status"].get("429", 0) > 0  # the hot device was throttled
    alone = braze["other_devices_without_hot_device"]["delay_p95_s"]
    assert alone == per_device["other_devices_without_hot_device"]["delay_p95_s"]
    assert braze["other_devices"]["delay_p95_s"] >= alone + 30
    assert per_device["other_devices"]["delay_p95_s"] - alone < 300  # one batch interval


def test_quota_exhaustion_costs_other_devices_only_under_braze():
    report, _ = run_scenario(small("quota-exhaustion"), seed=1)
    braze, per_device = report["strategies"]["braze"], report["strategies"]["per-device"]
    assert braze["requests_by_status"].get("429", 0) > 0
    # blocked behind the over-quota device (the rolling 24 h count does not fall within the run)
    assert braze["other_devices"]["queued"] > braze["other_devices"]["produced"] / 3
    assert per_device["other_devices"]["queued"] == 0
    assert per_device["other_devices"]["delay_max_s"] <= 300


def test_5xx_storm_duplicates_are_exactly_what_insert_id_absorbed():
    report, _ = run_scenario(small("amplitude-5xx-storm"), seed=2)
    for figures in report["strategies"].values():
        assert figures["duplicates"] > 0
        assert figures["duplicates"] == figures["deduplicated_by_insert_id"]
        assert figures["lost"] == 0


@dataclass
class Recording:
    """Wraps a sink; keeps every call and when the receiver first stored each event."""

    inner: ControlledSink
    clock: ManualClock
    calls: list[tuple[float, int]] = field(default_factory=list)
    stored: dict[str, float] = field(default_factory=dict)

    def send(self, api_key: str, events: list[dict[str, Any]]) -> SinkResponse:
        response = self.inner.send(api_key, events)
        now = self.clock.now()
        self.calls.append((now, response.status))
        if response.status == 200:
            for e in events:
                self.stored.setdefault(e["insert_id"], now)
        return response

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@pytest.mark.parametrize(("outage_h", "lost"), [(3.5, False), (6.0, True), (9.0, True)])
@pytest.mark.parametrize("strategy", list(Strategy))
def test_credential_expiry_on_the_model_matches_the_oracle(outage_h, lost, strategy):
    scenario = small("credential-expiry", outage_h=outage_h)
    sinks: list[Recording] = []

    def factory(clock, sc, seed):
        sinks.append(Recording(in_process(clock, sc, seed), clock))
        return sinks[-1]

    run = simulate(scenario, strategy, seed=5, sink_factory=factory)
    calls, stored = sinks[0].calls, sinks[0].stored
    failures = [t for t, s in calls if s == 400]
    successes = [t for t, s in calls if s == 200]
    horizon = scenario.horizon_h * HOUR
    expected = set()
    for rec in stream(scenario, 5):
        if isinstance(transform(rec), Skipped):
            continue  # never sent: not the connector's to lose
        i = bisect_left(failures, rec["time"])
        if i == len(failures) or stored.get(rec["id"], float("inf")) < failures[i]:
            continue
        j = bisect_left(successes, failures[i])
        if failures[i] + horizon <= (successes[j] if j < len(successes) else float("inf")):
            expected.add(rec["id"])
    got = {e.event_id for e in run.ledger if e.fate == DROPPED}
    assert got == expected
    assert bool(got) is lost
    if lost:
        window = run.report["lost_window_h"]
        assert window["first"] >= scenario.key_expires_h - 300 / HOUR
        # the first retry after the fix comes at most 5 minutes after it
        assert window["last"] <= scenario.key_expires_h + outage_h - scenario.horizon_h + 300 / HOUR
    assert START < failures[0] <= START + (scenario.key_expires_h + 0.1) * HOUR
