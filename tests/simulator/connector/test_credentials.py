"""Credential expiry: short outages lose nothing; long ones lose exactly the events still
undelivered one horizon after their first failed attempt. The oracle below recomputes the lost
set from the stream and the sink's own log of attempts, not from the connector's state."""

from __future__ import annotations

import random
from bisect import bisect_left

import pytest

from simulator.clock import ManualClock
from simulator.connector import (
    CREDENTIALS_EXPIRED,
    DROPPED,
    Connector,
    ConnectorConfig,
    RetryPolicy,
    Strategy,
)
from simulator.connector.credentials import FailureLog
from tests.simulator.connector.helpers import T0, ScriptedSink, invalid_key, ok, steady

HOUR = 3600
EXPIRES = T0 + 6 * HOUR


def run_outage(outage_h: float, horizon_h: float, strategy: Strategy, seed: int):
    fixed = EXPIRES + outage_h * HOUR

    accepted: dict[str, float] = {}  # insert_id -> when the receiver first stored it

    def script(now, key, events):
        if EXPIRES <= now < fixed:
            return invalid_key(key)
        for event in events:
            accepted.setdefault(event["insert_id"], now)
        return ok(now, key, events)

    clock = ManualClock(T0)
    sink = ScriptedSink(clock, script)
    config = ConnectorConfig(
        strategy=strategy, policy=RetryPolicy(credentials_horizon_s=horizon_h * HOUR)
    )
    conn = Connector(sink, clock, config, rng=random.Random(seed))
    records = list(steady(12, 900, 96 * HOUR))
    ledger = conn.run(records, until=T0 + 100 * HOUR)
    return records, sink, ledger, accepted


def oracle(records, calls, accepted, horizon_s: float) -> set[str]:
    """Events not yet stored by the receiver at the first credential failure at or after their
    production, when that failure came one horizon or more before the first successful request
    after it (or when no request succeeded after it)."""
    failures = [t for t, _, s in calls if s == 400]
    successes = [t for t, _, s in calls if s == 200]
    lost = set()
    for rec in records:
        i = bisect_left(failures, rec["time"])
        if i == len(failures):
            continue
        first_failure = failures[i]
        if accepted.get(rec["id"], float("inf")) < first_failure:
            continue  # delivered before the failure: not held by the connector then
        j = bisect_left(successes, first_failure)
        next_success = successes[j] if j < len(successes) else float("inf")
        if first_failure + horizon_s <= next_success:
            lost.add(rec["id"])
    return lost


@pytest.mark.parametrize("strategy", list(Strategy))
def test_an_outage_shorter_than_the_horizon_loses_nothing(strategy):
    _, sink, ledger, _ = run_outage(47.5, 48, strategy, seed=1)
    assert any(s == 400 for _, _, s in sink.calls)  # the outage did happen
    assert not any(e.fate == DROPPED for e in ledger)
    assert sum(e.fate is None for e in ledger) < 12 * 96 * HOUR / 900 * 0.01  # tail of the run


@pytest.mark.parametrize(("outage_h", "horizon_h", "seed"), [(60, 48, 0), (60, 48, 7), (30, 24, 3)])
@pytest.mark.parametrize("strategy", list(Strategy))
def test_a_longer_outage_loses_exactly_what_the_oracle_says(outage_h, horizon_h, seed, strategy):
    records, sink, ledger, accepted = run_outage(outage_h, horizon_h, strategy, seed)
    lost = {e.event_id for e in ledger if e.fate == DROPPED}
    expected = oracle(records, sink.calls, accepted, horizon_h * HOUR)
    assert lost == expected
    # about (outage - horizon) hours of events, starting where the key expired
    produced = {r["id"]: r["time"] for r in records}
    window = sorted(produced[i] for i in lost)
    assert EXPIRES - 300 <= window[0] <= EXPIRES + 300
    fixed = EXPIRES + outage_h * HOUR
    # the first retry after the fix comes at most 5 minutes after it
    assert fixed - horizon_h * HOUR - 600 <= window[-1] <= fixed - horizon_h * HOUR + 300
    assert all(e.reason == CREDENTIALS_EXPIRED for e in ledger if e.fate == DROPPED)


def test_dropped_events_leave_at_their_deadline_never_later_delivered():
    _, sink, ledger, _ = run_outage(60, 48, Strategy.BRAZE, seed=2)
    failures = FailureLog()
    for t, _, s in sink.calls:
        if s == 400:
            failures.record(t)
    for e in ledger:
        if e.fate == DROPPED:
            assert e.fate_at == failures.first_at_or_after(e.produced_at) + 48 * HOUR
