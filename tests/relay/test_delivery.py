"""The delivery thread keeps memory bounded whatever the backlog: rows beyond its budget wait as
ids and are read back from the outbox when the engine has room; all are delivered in the end."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import orjson

from relay.delivery import Delivery
from relay.outbox import Outbox
from simulator.clock import SystemClock
from simulator.connector import ConnectorConfig, RetryPolicy, SinkResponse
from simulator.relay import RelayEngine
from tests.relay.helpers import batch


class GatedSink:
    """Answers 503 until ``open`` is set; remembers the insert_ids it delivered."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.delivered: list[str] = []

    def send(self, api_key: str, events: list[dict[str, Any]]) -> SinkResponse:
        if not self.open.is_set():
            return SinkResponse(503, {"code": 503})
        self.delivered.extend(e["insert_id"] for e in events)
        return SinkResponse(200, {"code": 200})


def test_a_backlog_beyond_the_budget_waits_on_disk_and_is_all_delivered(tmp_path: Path) -> None:
    sink = GatedSink()
    outbox = Outbox(tmp_path)
    config = ConnectorConfig(batch_wait_s=0.01, policy=RetryPolicy(backoff_base_s=0.05))
    engine = RelayEngine(sink, config, start=SystemClock().now())
    delivery = Delivery(engine, outbox, SystemClock(), max_in_memory=250).start()
    try:
        for start in range(0, 2000, 100):
            body = batch(start)
            row = outbox.append(body, 100, 0.0)
            delivery.submit(row, 100, orjson.loads(body)["events"])
        time.sleep(0.3)  # Amplitude refuses: the backlog builds up
        held = engine.tally.in_flight()
        assert 0 < held <= 250 + 100  # the budget, give or take the last row taken
        assert delivery.stats()["queued"] == 2000
        sink.open.set()
        deadline = time.monotonic() + 30
        while outbox.count()[0] and time.monotonic() < deadline:
            time.sleep(0.02)
        assert sorted(sink.delivered) == [f"ev-{n:08d}" for n in range(2000)]
        assert outbox.count() == (0, 0)
    finally:
        delivery.stop()
        outbox.close()
