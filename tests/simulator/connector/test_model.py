"""The retry matrix and the two strategies, against a scripted sink."""

import random
from itertools import pairwise

import pytest

from simulator.clock import ManualClock
from simulator.connector import (
    CREDENTIALS_EXPIRED,
    DELIVERED,
    DROPPED,
    RETRIES_EXHAUSTED,
    SKIPPED,
    Connector,
    ConnectorConfig,
    RetryPolicy,
    Strategy,
)
from tests.simulator.connector.helpers import (
    T0,
    ScriptedSink,
    by_device,
    invalid_key,
    ok,
    record,
    status,
    steady,
)


def make(script, config=None, seed=0):
    clock = ManualClock(T0)
    sink = ScriptedSink(clock, script)
    conn = Connector(
        sink, clock, config or ConnectorConfig(), rng=random.Random(seed), classify_device=by_device
    )
    return conn, sink


def test_batches_close_at_size_then_at_the_wait():
    conn, sink = make(ok)
    ledger = conn.run((record(i, T0) for i in range(250)), until=T0 + 3600)
    assert [(t - T0, n) for t, n, _ in sink.calls] == [(0, 100), (0, 100), (300, 50)]
    assert all(e.fate == DELIVERED for e in ledger)


def test_skipped_events_are_never_sent():
    conn, sink = make(ok)
    records = [record(0, T0), record(1, T0, device=None, user=None), record(2, T0)]
    ledger = conn.run(records, until=T0 + 600)
    assert [e.fate for e in ledger] == [DELIVERED, SKIPPED, DELIVERED]
    assert ledger.entries[1].reason.startswith("no_ids")
    assert sum(n for _, n, _ in sink.calls) == 2


def test_5xx_backs_off_exponentially_then_delivers_the_whole_batch():
    answers = iter([503, 502, 500, 200])
    conn, sink = make(lambda now, key, events: status(next(answers)))
    ledger = conn.run([record(i, T0) for i in range(100)], until=T0 + 3600)
    times = [t for t, _, _ in sink.calls]
    gaps = [b - a for a, b in pairwise(times)]
    for gap, base in zip(gaps, [30, 60, 120], strict=True):
        assert base <= gap <= base * 1.5
    assert all(e.fate == DELIVERED and e.fate_at == times[-1] for e in ledger)
    assert all(len(e.attempts) == 4 for e in ledger)


def test_5xx_forever_drops_events_24h_after_their_first_failed_attempt():
    conn, _ = make(lambda now, key, events: status(503))
    ledger = conn.run([record(i, T0) for i in range(100)], until=T0 + 30 * 3600)
    assert all(e.fate == DROPPED and e.reason == RETRIES_EXHAUSTED for e in ledger)
    assert all(e.fate_at == T0 + 24 * 3600 for e in ledger)  # the batch closed and failed at T0


def test_400_splits_into_singles_and_drops_only_the_event_rejected_alone():
    def script(now, key, events):
        bad = [i for i, e in enumerate(events) if e["insert_id"] == "ev-0000007"]
        return (
            status(400, events_with_invalid_fields={"time": bad}) if bad else ok(now, key, events)
        )

    conn, sink = make(script)
    ledger = conn.run([record(i, T0) for i in range(100)], until=T0 + 600)
    assert [n for _, n, _ in sink.calls] == [100] + [1] * 100
    dropped = [e for e in ledger if e.fate == DROPPED]
    assert [e.event_id for e in dropped] == ["ev-0000007"]
    assert dropped[0].reason == "rejected: 400 alone"
    assert sum(e.fate == DELIVERED for e in ledger) == 99


def test_413_splits_until_the_batches_fit():
    def script(now, key, events):
        return status(413) if len(events) > 30 else ok(now, key, events)

    conn, sink = make(script)
    ledger = conn.run([record(i, T0) for i in range(100)], until=T0 + 600)
    assert all(e.fate == DELIVERED for e in ledger)
    sent = [n for _, n, s in sink.calls if s == 200]
    assert sum(sent) == 100 and max(sent) <= 30


def test_invalid_credentials_retry_every_two_to_five_minutes():
    conn, sink = make(lambda now, key, events: invalid_key(key))
    conn.run([record(i, T0) for i in range(100)], until=T0 + 6 * 3600)
    times = [t for t, _, _ in sink.calls]
    gaps = [b - a for a, b in pairwise(times)]
    assert len(gaps) > 60
    assert all(120 <= g <= 300 for g in gaps)


def test_a_fixed_key_resumes_delivery():
    conn, _ = make(
        lambda now, key, events: ok(now, key, events) if key == "new" else invalid_key(key)
    )
    from simulator.connector import Action

    fix = Action(T0 + 3600, lambda c: setattr(c, "api_key", "new"), "key fixed")
    ledger = conn.run([record(i, T0) for i in range(100)], until=T0 + 7200, actions=[fix])
    assert all(e.fate == DELIVERED for e in ledger)
    assert all(T0 + 3600 <= e.fate_at <= T0 + 3600 + 300 for e in ledger)


def _throttle_hot(now, key, events):
    hot = [i for i, e in enumerate(events) if e["device_id"] == "hot-device"]
    if hot:
        return status(429, throttled_events=hot, throttled_devices={"hot-device": 40})
    return ok(now, key, events)


def test_per_device_holds_back_only_throttled_events():
    config = ConnectorConfig(strategy=Strategy.PER_DEVICE)
    conn, sink = make(_throttle_hot, config)
    ledger = conn.run(steady(50, 10, 600, hot=2), until=T0 + 900)
    normal = [e for e in ledger if e.device_class == "normal"]
    hot = [e for e in ledger if e.device_class == "hot"]
    assert all(e.fate == DELIVERED for e in normal)
    assert all(len(e.attempts) <= 2 for e in normal)  # at most: the 429'd batch, then the rest
    assert all(e.fate is None for e in hot)  # still held: the script throttles it forever
    assert conn.backlog() == len(hot)
    # the hot device's partition is tried again every 30 s, one batch at a time
    # (after the first batches, which already held hot events when the partition was made)
    retries = [t for t, _, s in sink.calls if s == 429 and t > T0 + 300]
    assert len(retries) >= 15
    assert all(b - a >= 30 for a, b in pairwise(retries))


def test_braze_blocks_the_whole_queue_behind_a_throttled_batch():
    conn, _ = make(_throttle_hot, ConnectorConfig(strategy=Strategy.BRAZE))
    ledger = conn.run(steady(50, 10, 600, hot=2), until=T0 + 900)
    normal = [e for e in ledger if e.device_class == "normal"]
    assert not any(e.fate == DELIVERED for e in normal)  # every batch holds a hot event


def test_a_429_without_throttled_events_backs_off_the_whole_batch_in_per_device_too():
    answers = iter([429, 200])
    conn, sink = make(
        lambda now, key, events: status(next(answers)),
        ConnectorConfig(strategy=Strategy.PER_DEVICE),
    )
    conn.run([record(i, T0) for i in range(100)], until=T0 + 600)
    assert [(n, s) for _, n, s in sink.calls] == [(100, 429), (100, 200)]
    assert sink.calls[1][0] - sink.calls[0][0] >= 30


def test_credential_deadline_beats_the_24h_rule_only_when_earlier():
    policy = RetryPolicy(credentials_horizon_s=3600)
    conn, _ = make(lambda now, key, events: invalid_key(key), ConnectorConfig(policy=policy))
    ledger = conn.run([record(i, T0) for i in range(10)], until=T0 + 3 * 3600)
    assert all(e.fate == DROPPED and e.reason == CREDENTIALS_EXPIRED for e in ledger)


@pytest.mark.parametrize("strategy", list(Strategy))
def test_runs_repeat_exactly_for_a_seed(strategy):
    def run(seed):
        rng = random.Random(seed)

        def flaky(now, key, events):
            return status(503) if rng.random() < 0.3 else ok(now, key, events)

        conn, _ = make(flaky, ConnectorConfig(strategy=strategy), seed=seed)
        ledger = conn.run(steady(20, 30, 1800), until=T0 + 7200)
        return [(e.fate, e.fate_at, tuple(e.attempts)) for e in ledger]

    assert run(3) == run(3)
    assert run(3) != run(4)


def test_per_device_waits_30s_from_each_events_own_429():
    """A batch already queued when the device got paused is throttled later: its events must
    wait 30 s from *their* 429, not leave with the earlier pause (which would resend early)."""
    answers = iter([429, 429, 200, 200, 200])
    first_429: dict[str, float] = {}

    def script(now, key, events):
        code = next(answers)
        for e in events:
            if code == 429:
                first_429.setdefault(e["insert_id"], now)
        return (
            status(code, throttled_events=list(range(len(events))))
            if code == 429
            else ok(now, key, events)
        )

    config = ConnectorConfig(strategy=Strategy.PER_DEVICE, batch_size=10, batch_wait_s=20)
    conn, sink = make(script, config)
    # 10 events close a batch (429 at T0: the device pauses); 5 more stay in the open batch,
    # which closes by age at T0+20 and gets its own 429 while the device is still paused.
    ledger = conn.run([record(i, T0) for i in range(15)], until=T0 + 600)
    assert [(t - T0, n, s) for t, n, s in sink.calls][:2] == [(0, 10, 429), (20, 5, 429)]
    assert all(e.fate == DELIVERED for e in ledger)
    for entry in ledger:
        insert_id = entry.event_id
        assert entry.fate_at - first_429[insert_id] >= 30, insert_id
