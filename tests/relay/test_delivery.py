"""The delivery threads keep memory bounded whatever the backlog: rows beyond the budgets wait as
ids and are read back from the outbox (and transformed) by the preparing thread as room frees up,
never by the sending thread; all are delivered in the end, in the order they came."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import orjson
import pytest

from relay.delivery import MIN_BUDGET, Delivery, budget
from relay.outbox import Outbox
from simulator.clock import SystemClock
from simulator.connector import ConnectorConfig, RetryPolicy, SinkResponse
from simulator.currents.catalogue import Profile
from simulator.relay import RelayEngine
from simulator.transform import Result, transform
from tests.relay.helpers import batch

BACKOFF = RetryPolicy(backoff_base_s=0.05)
ACCEPTED_AT = 1_000.0  # row ``n`` (from 0) is accepted at ACCEPTED_AT + 100 n


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


def _backlogged(
    tmp_path: Path, sink: GatedSink, config: ConnectorConfig, rows: int = 20
) -> tuple[Delivery, Outbox]:
    """A started delivery (budgets of 250 events) with ``rows`` rows of 100 submitted while the
    sink refuses, after the backlog has had time to build up."""
    outbox = Outbox(tmp_path)
    engine = RelayEngine(sink, config, start=SystemClock().now())
    delivery = Delivery(engine, outbox, SystemClock(), max_in_engine=250, max_ready=250).start()
    for start in range(0, rows * 100, 100):
        body = batch(start)
        row = outbox.append(body, 100, ACCEPTED_AT + start)
        delivery.submit(row, 100, orjson.loads(body)["events"], ACCEPTED_AT + start)
    time.sleep(0.3)  # Amplitude refuses: the backlog builds up
    return delivery, outbox


def _drain(sink: GatedSink, outbox: Outbox) -> None:
    sink.open.set()
    deadline = time.monotonic() + 30
    while outbox.count()[0] and time.monotonic() < deadline:
        time.sleep(0.02)


def test_a_backlog_beyond_the_budgets_waits_on_disk_and_is_all_delivered(tmp_path: Path) -> None:
    sink = GatedSink()
    config = ConnectorConfig(batch_wait_s=0.01, policy=BACKOFF)
    delivery, outbox = _backlogged(tmp_path, sink, config)
    try:
        held = delivery.held()
        assert 0 < held["engine"] <= 250 + 100  # the budget, give or take the last row taken
        assert 0 < held["ready"] <= 250 + 100
        assert delivery.stats()["queued"] == 2000
        assert held["backlog_rows"] > 0  # the rest waits on disk, as one run of row ids
        assert held["backlog_runs"] == 1
        _drain(sink, outbox)
        assert sorted(sink.delivered) == [f"ev-{n:08d}" for n in range(2000)]
        assert outbox.count() == (0, 0)
        assert delivery.held() == {"engine": 0, "ready": 0, "backlog_rows": 0, "backlog_runs": 0}
    finally:
        delivery.stop()
        outbox.close()


def test_rows_that_waited_on_disk_are_delivered_in_the_order_they_came(tmp_path: Path) -> None:
    sink = GatedSink()
    config = ConnectorConfig(batch_wait_s=0.01, policy=BACKOFF)
    delivery, outbox = _backlogged(tmp_path, sink, config)
    try:
        _drain(sink, outbox)
        assert sink.delivered == [f"ev-{n:08d}" for n in range(2000)]
    finally:
        delivery.stop()
        outbox.close()


def test_the_sending_thread_never_transforms_even_rows_read_back(tmp_path: Path) -> None:
    threads: set[str] = set()

    def recording(record: dict[str, Any], profile: Profile) -> Result:
        threads.add(threading.current_thread().name)
        return transform(record, profile)

    sink = GatedSink()
    config = ConnectorConfig(batch_wait_s=0.01, policy=BACKOFF, transformer=recording)
    delivery, outbox = _backlogged(tmp_path, sink, config)
    try:
        _drain(sink, outbox)
        assert len(sink.delivered) == 2000
        assert "relay-prepare" in threads  # the backlog was read back and transformed there
        assert "relay-delivery" not in threads
    finally:
        delivery.stop()
        outbox.close()


def test_rows_left_by_a_previous_run_are_read_back_page_by_page_oldest_first(
    tmp_path: Path,
) -> None:
    outbox = Outbox(tmp_path)
    try:
        rows = [outbox.append(batch(n, size=1), 1, 0.0) for n in range(25)]
        outbox.forget(rows[3:5])
        assert list(outbox.pending(page=4)) == [(row, 1) for row in rows[:3] + rows[5:]]
        assert outbox.read(rows[0]) == (1, 0.0, batch(0, size=1))  # events, accepted at, body
    finally:
        outbox.close()


def test_every_row_reaches_the_engine_with_the_instant_it_was_accepted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read back or not: the horizons count from acceptance, not from when room freed up."""
    fed: dict[int, float | None] = {}
    accept = RelayEngine.accept_prepared

    def recording(self: RelayEngine, row: int, *args: Any, **kwargs: Any) -> None:
        fed[row] = kwargs.get("accepted_at")
        accept(self, row, *args, **kwargs)

    monkeypatch.setattr(RelayEngine, "accept_prepared", recording)
    sink = GatedSink()
    delivery, outbox = _backlogged(
        tmp_path, sink, ConnectorConfig(batch_wait_s=0.01, policy=BACKOFF)
    )
    try:
        assert delivery.held()["backlog_rows"] > 0  # some rows are read back
        _drain(sink, outbox)
        assert fed == {row: ACCEPTED_AT + 100 * (row - 1) for row in range(1, 21)}
    finally:
        delivery.stop()
        outbox.close()


def test_each_budget_is_two_amplitude_batches_and_never_under_the_minimum() -> None:
    assert budget(100) == MIN_BUDGET
    assert budget(1000) == 2000
    assert budget(2000) == 4000
