"""The connector against the Amplitude model in-process: the misconfigured-device story."""

from __future__ import annotations

import random

import pytest

from simulator.amplitude import AmplitudeModel
from simulator.clock import ManualClock
from simulator.connector import Connector, ConnectorConfig, InProcessSink, Strategy
from simulator.connector.report import summarize
from tests.simulator.connector.helpers import T0, by_device, steady

WAIT_S = 300.0


def normal_p95(strategy: Strategy, hot: int) -> float:
    clock = ManualClock(T0)
    sink = InProcessSink(AmplitudeModel(clock, seed=0))
    config = ConnectorConfig(strategy=strategy, batch_wait_s=WAIT_S)
    conn = Connector(sink, clock, config, rng=random.Random(0), classify_device=by_device)
    report = summarize(conn.run(steady(200, 60, 600, hot=hot), until=T0 + 3 * 3600))
    normal = report["classes"]["normal"]
    assert normal["produced"] == normal["delivered"] + normal["skipped"]  # nothing lost here
    return float(normal["delay_p95_s"])


@pytest.fixture(scope="module")
def baseline() -> float:
    return normal_p95(Strategy.BRAZE, hot=0)


def test_without_the_hot_device_both_strategies_agree(baseline):
    assert normal_p95(Strategy.PER_DEVICE, hot=0) == baseline


def test_braze_delays_normal_devices_by_at_least_the_30s_pause(baseline):
    assert normal_p95(Strategy.BRAZE, hot=35) >= baseline + 30


def test_per_device_keeps_normal_devices_within_one_batch_interval(baseline):
    p95 = normal_p95(Strategy.PER_DEVICE, hot=35)
    assert p95 - baseline < WAIT_S
    assert p95 <= WAIT_S
