"""Locust users that play Braze in front of a connector under test.

Each ``BrazeSender`` is one partition of Braze's Custom HTTP delivery
(``simulator.delivery.HttpDelivery``: per-type queues, 100-event batches, the §4.3 retry matrix)
posting to the connector through Locust's HTTP client (so Locust's statistics show the
connector's answers). It produces its seeded events (``load.sut.streams``) at their own instants on
the mock's clock, which runs in real time, then waits up to ``drain_s`` for the connector to
acknowledge what is still queued, and hands its ledger to the judge.

Any answer the connector gives is a Locust success when it is 2xx; every other answer counts as
a failure, so ``error_ratio`` shows how often the connector refused Braze.
"""

from __future__ import annotations

import time
from typing import Any

import gevent
import orjson
from locust import FastHttpUser, task
from locust.exception import StopUser

from clients import MockAdmin
from load.sut.streams import class_of, events
from load.users import config, report_ledger, user_index
from simulator.connector import DELIVERED, DROPPED
from simulator.delivery import HEADERS, Answer, DeliveryConfig, DeliveryLedger, HttpDelivery
from simulator.rng import derive

CONNECTOR_REQUEST = "connector"


class LiveClock:
    """The mock's clock as the wall runs it (scale 1): an anchor read once, then monotonic."""

    def __init__(self, mock_now_s: float) -> None:
        self._anchor_mock, self._anchor_wall = mock_now_s, time.monotonic()

    def now(self) -> float:
        return self._anchor_mock + (time.monotonic() - self._anchor_wall)

    def sleep_until(self, t: float) -> None:
        wait = t - self.now()
        if wait > 0:
            gevent.sleep(wait)


class LocustTransport:
    """``simulator.delivery.Transport`` over Locust's client, to the connector's path."""

    def __init__(self, client: Any, path: str, token: str | None) -> None:
        self.client, self.path = client, path
        self.headers = dict(HEADERS)
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def post(self, body: bytes) -> Answer:
        started = time.perf_counter()
        with self.client.post(
            self.path, data=body, headers=self.headers, catch_response=True, name=CONNECTOR_REQUEST
        ) as resp:
            status = int(resp.status_code or 0)
            if 200 <= status < 300:
                resp.success()
            else:
                resp.failure(f"the connector answered {status}")
            try:
                parsed = orjson.loads(resp.content or b"")
            except orjson.JSONDecodeError:
                parsed = None
            error = None if status else str(getattr(resp, "error", "") or "no answer")
        latency = time.perf_counter() - started
        return Answer(status, parsed if isinstance(parsed, dict) else None, latency, error)


def ledger_rows(ledger: DeliveryLedger, classes: dict[str, str]) -> list[list[Any]]:
    """The partition's ledger as JSON-able rows: id, device class, first send, fate."""
    rows = []
    for entry in ledger:
        sent_at = ledger.requests[entry.attempts[0]].at if entry.attempts else None
        if entry.fate == DELIVERED:
            fate = "acknowledged"
        elif entry.fate == DROPPED:
            fate = f"dropped: {entry.reason}"
        else:
            fate = "unsent" if sent_at is None else "not acknowledged by the end"
        rows.append([entry.event_id, classes.get(entry.event_id, "all"), sent_at, fate])
    return rows


class BrazeSender(FastHttpUser):
    """One Braze partition posting Custom HTTP Currents to the connector under test."""

    abstract = True

    @task
    def deliver(self) -> None:
        cfg, params = config(), config()["params"]
        index = user_index(
            cfg.get("workers", 0), getattr(self.environment.runner, "worker_index", 0)
        )
        with MockAdmin(cfg["host_mock"]) as admin:
            clock = LiveClock(mock_now_s=admin.now_ms() / 1000.0)
        delivery = HttpDelivery(
            LocustTransport(self.client, cfg["connector_path"], cfg.get("connector_token")),
            clock,
            DeliveryConfig(batch_size=params["batch_size"], max_wait_s=params["max_wait_s"]),
            ledger=DeliveryLedger(),
            rng=derive(cfg["seed"], f"braze-{index}"),
        )
        classes: dict[str, str] = {}
        try:
            self._produce(delivery, clock, cfg, index, classes)
            self._drain(
                delivery, clock, cfg["start_s"] + params["production_s"] + params["drain_s"]
            )
        finally:  # also when Locust's time bound stops the user mid-run
            report_ledger(
                self.environment, {"index": index, "rows": ledger_rows(delivery.ledger, classes)}
            )
        raise StopUser()

    @staticmethod
    def _produce(
        delivery: HttpDelivery, clock: LiveClock, cfg: dict[str, Any], index: int,
        classes: dict[str, str],
    ) -> None:  # fmt: skip
        for record in events(cfg, index):
            at = float(record["time"])
            while delivery.next_due() <= at:
                clock.sleep_until(delivery.next_due())
                delivery.pump()
            clock.sleep_until(at)
            classes[str(record["id"])] = class_of(record)
            delivery.offer(record)
        delivery.finish()

    @staticmethod
    def _drain(delivery: HttpDelivery, clock: LiveClock, until: float) -> None:
        while delivery.held() and clock.now() < until:
            clock.sleep_until(min(delivery.next_due(), until))
            delivery.pump()
