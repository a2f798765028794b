"""Conservation over random fault mixes: every produced event is delivered, lost, skipped or still
queued, and the ledger agrees with the receiver (what it stored) and the connector (what it
still holds)."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.clock import ManualClock
from simulator.connector import (
    DELIVERED,
    DROPPED,
    SKIPPED,
    Connector,
    ConnectorConfig,
    RetryPolicy,
    Strategy,
)
from simulator.connector.report import summarize
from tests.simulator.connector.helpers import T0, ScriptedSink, invalid_key, ok, record, status

ANSWERS = ["ok", "400", "invalid_key", "401", "413", "429", "500", "503", "0"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**16),
    strategy=st.sampled_from(list(Strategy)),
    weights=st.lists(st.integers(0, 5), min_size=len(ANSWERS), max_size=len(ANSWERS)),
    n=st.integers(0, 400),
    batch_size=st.integers(1, 120),
    horizon_h=st.floats(0.5, 6),
    until_h=st.floats(0.1, 12),
)
def test_produced_equals_delivered_lost_skipped_and_queued(
    seed, strategy, weights, n, batch_size, horizon_h, until_h
):
    rng = random.Random(seed)
    weights[0] += 3  # mostly successes
    stored: set[str] = set()

    def script(now, key, events):
        answer = rng.choices(ANSWERS, weights)[0]
        if answer == "ok":
            stored.update(e["insert_id"] for e in events)
            return ok(now, key, events)
        if answer == "invalid_key":
            return invalid_key(key)
        if answer == "429":
            hot = [i for i in range(len(events)) if rng.random() < 0.5]
            return status(429, throttled_events=hot)
        return status(int(answer))

    records = []
    for i in range(n):
        ids = rng.random() > 0.05  # a few events without ids: skipped
        t = T0 + int(i * rng.uniform(0, 60))
        records.append(record(i, t, f"d-{i % 7:04d}" if ids else None, None))
    records.sort(key=lambda r: r["time"])
    clock = ManualClock(T0)
    policy = RetryPolicy(credentials_horizon_s=horizon_h * 3600, retry_horizon_s=horizon_h * 1800)
    config = ConnectorConfig(batch_size=batch_size, strategy=strategy, policy=policy)
    conn = Connector(ScriptedSink(clock, script), clock, config, rng=random.Random(seed))
    ledger = conn.run(records, until=T0 + until_h * 3600)
    report = summarize(ledger)

    end = clock.now()
    assert report["produced"] == sum(r["time"] <= end for r in records)  # the rest comes later
    assert report["produced"] == (
        report["delivered"] + report["lost"] + report["skipped"] + report["queued"]
    )
    assert {e.event_id for e in ledger if e.fate == DELIVERED} == stored
    assert report["queued"] == conn.backlog()
    for e in ledger:
        if e.fate == DELIVERED:
            assert ledger.requests[e.attempts[-1]].status == 200
            assert ledger.requests[e.attempts[-1]].at == e.fate_at
            deadline = conn.horizons.deadline(e.produced_at)
            assert deadline is None or e.fate_at < deadline.at
        elif e.fate == DROPPED:
            assert e.produced_at <= e.fate_at <= end
        elif e.fate == SKIPPED:
            assert not e.attempts
