"""A connector variant is a few lines: another 429 strategy, another transformer; and the
incremental loop (offer / due / step) that the wall-clock relay drives is the one run() uses."""

import random

from simulator.clock import ManualClock
from simulator.connector import (
    DELIVERED,
    DROPPED,
    Connector,
    ConnectorConfig,
    Strategy,
)
from simulator.transform import Transformed, transform
from tests.simulator.connector.helpers import T0, ScriptedSink, ok, record, status, steady


class DropOnThrottle:
    """A broken connector: drops a throttled batch instead of retrying it."""

    def on_throttled(self, connector, batch, response, now):
        connector.drop_head(now, "throttled")


def seconds_time(record, profile):
    """A broken transformer: Amplitude's time in seconds instead of milliseconds."""
    result = transform(record, profile)
    if isinstance(result, Transformed):
        result.event["time"] //= 1000
    return result


def make(script, config):
    clock = ManualClock(T0)
    sink = ScriptedSink(clock, script)
    return Connector(sink, clock, config, rng=random.Random(0)), sink


def test_a_custom_throttle_strategy_decides_what_a_429_does():
    answers = iter([429, 200])
    conn, _ = make(lambda *_: status(next(answers)), ConnectorConfig(strategy=DropOnThrottle()))
    ledger = conn.run([record(i, T0) for i in range(200)], until=T0 + 3600)
    fates = [e.fate for e in ledger]
    assert fates == [DROPPED] * 100 + [DELIVERED] * 100
    assert {e.reason for e in ledger if e.fate == DROPPED} == {"throttled"}


def test_a_custom_transformer_shapes_what_is_sent():
    seen = []

    def capture(now, key, events):
        seen.extend(events)
        return ok(now, key, events)

    conn, _ = make(capture, ConnectorConfig(transformer=seconds_time, batch_size=1))
    conn.run([record(0, T0)], until=T0 + 10)
    assert seen[0]["time"] == T0


def test_offering_and_stepping_by_hand_matches_run():
    records = list(steady(20, 2, 120, hot=40))

    def throttle_hot(now, key, events):
        hot = [i for i, e in enumerate(events) if e.get("device_id") == "hot-device"]
        return status(429, throttled_events=hot) if hot and int(now) % 7 else ok(now, key, events)

    config = ConnectorConfig(strategy=Strategy.PER_DEVICE, batch_size=50, batch_wait_s=5)
    by_run, run_sink = make(throttle_hot, config)
    by_run.run(iter(records), until=T0 + 600)

    by_hand, hand_sink = make(throttle_hot, config)
    clock = hand_sink.clock
    pending = iter(records)
    nxt = next(pending, None)
    while True:
        t = min(nxt["time"] if nxt is not None else float("inf"), by_hand.due())
        if t > T0 + 600:
            break
        clock.set(max(t, clock.now()))
        while nxt is not None and nxt["time"] <= clock.now():
            by_hand.offer(nxt, clock.now())
            nxt = next(pending, None)
        by_hand.step(clock.now())
    assert hand_sink.calls == run_sink.calls
    assert [(e.fate, e.fate_at) for e in by_hand.ledger] == [
        (e.fate, e.fate_at) for e in by_run.ledger
    ]
