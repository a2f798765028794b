"""Waits count from when the answer arrived (``SinkResponse.answered_at``), not from when the
request went out: on a wall clock a request takes time, and Amplitude's 30 s pause starts when
the 429 is read."""

import random
from dataclasses import replace

from simulator.clock import ManualClock
from simulator.connector import Connector, ConnectorConfig, SinkResponse, Strategy
from tests.simulator.connector.helpers import T0, ScriptedSink, by_device, ok, record

LATENCY_S = 2.0


def _late(answer):
    """A script whose answers arrive LATENCY_S after the request went out."""

    def script(now, key, events):
        return replace(answer(now, key, events), answered_at=now + LATENCY_S)

    return script


def _throttle_once(now, key, events):
    if now == T0:
        return SinkResponse(429, {"code": 429, "throttled_events": list(range(len(events)))})
    return ok(now, key, events)


def _send_times(strategy):
    clock = ManualClock(T0)
    sink = ScriptedSink(clock, _late(_throttle_once))
    config = ConnectorConfig(strategy=strategy, batch_size=1)
    conn = Connector(sink, clock, config, rng=random.Random(0), classify_device=by_device)
    conn.run([record(0, T0)], until=T0 + 300)
    return [t for t, _, _ in sink.calls]


def test_a_throttled_device_is_held_30_s_from_the_answer():
    first, second = _send_times(Strategy.PER_DEVICE)
    assert second - first == 30.0 + LATENCY_S


def test_a_backoff_counts_from_the_answer():
    first, second = _send_times(Strategy.BRAZE)
    assert second - first >= 30.0 + LATENCY_S


def test_an_answer_stamped_before_the_request_never_shortens_the_wait():
    clock = ManualClock(T0)

    def early(now, key, events):
        response = _throttle_once(now, key, events)
        return replace(response, answered_at=now - 100.0)

    sink = ScriptedSink(clock, early)
    config = ConnectorConfig(strategy=Strategy.PER_DEVICE, batch_size=1)
    Connector(sink, clock, config, rng=random.Random(0)).run([record(0, T0)], until=T0 + 300)
    first, second = (t for t, _, _ in sink.calls)
    assert second - first == 30.0
