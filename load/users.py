"""Connector-like Locust users: each user *is* the connector model, paced in real time.

A ``ConnectorUser`` runs ``simulator.connector.Connector`` (the same code the ``simulate``
command runs in simulated time) over a ``LocustSink`` that posts each batch to the target's
``/2/httpapi`` through Locust's FastHttp client, on a ``PacedClock`` that reads the mock's clock
and *sleeps* instead of jumping: the connector's waits (batch deadlines, 30 s backoffs, 2–5 min
credential retries) take real time, divided by the mock clock's scale. Its events come from the
Faker generator (``simulator.generator``), one seeded stream per user.

Every request is a Locust request named ``/2/httpapi``; an answer Amplitude gives by design
(JSON with ``code`` equal to the status: 200, 400, 413, 429) counts as a success, anything else
(5xx, no JSON, no connection) as a failure, so ``error_ratio`` measures transport trouble, not
throttling.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from functools import cache
from typing import Any

import gevent
import orjson
from locust import FastHttpUser, task
from locust.exception import StopUser
from locust.runners import STATE_RUNNING, STATE_SPAWNING, WorkerRunner

from clients.admin import MockAdmin
from clients.transport import MockAdminError
from load.connectors import connector as build_connector
from load.connectors import stream
from simulator.clock import ManualClock
from simulator.connector import DELIVERED, DROPPED, QUEUED, SKIPPED, Ledger, SinkResponse

ENV = "CURRENTS_LOAD"
CLOCK_TIMEOUT_S = 60.0


@cache
def config() -> dict[str, Any]:
    """The run's configuration, written by ``load.runner`` (same in every worker process)."""
    raw = os.environ.get(ENV)
    if not raw:
        raise RuntimeError(f"{ENV} is not set: start scenarios with `currents-sim load`")
    doc: dict[str, Any] = json.loads(raw)
    return doc


class PacedClock(ManualClock):
    """A ``ManualClock`` whose ``set`` waits for the mock's (scaled) clock to get there.

    Between two ``set`` calls the connector sees a fixed instant, exactly as in a simulation;
    ``set(t)`` sleeps (cooperatively, other users run meanwhile) until the target's clock, which
    runs ``scale`` times faster than the wall, reaches ``t``.
    """

    def __init__(self, sim_now: float, scale: float, end: float = float("inf")) -> None:
        super().__init__(sim_now)
        self._anchor_sim, self._anchor_wall, self._scale = sim_now, time.monotonic(), scale
        self._end = end  # the run's last instant: jumping there (to finish) needs no wait
        self.lateness: list[tuple[float, float]] = []  # (our instant, target ahead by), observe

    def observe(self) -> None:
        """Note how far the target's clock has run ahead of the connector's instant. A busy
        machine starves the user and answers take time, so a request the connector sent "at t"
        reached the mock up to this much later: near a deadline (a key's expiry or its
        restore) that decides an event's fate, which the judge must allow for."""
        self.lateness.append((self.now(), self.target_now() - self.now()))

    def target_now(self) -> float:
        return self._anchor_sim + (time.monotonic() - self._anchor_wall) * self._scale

    def set(self, t: float) -> None:
        wait = (t - self.target_now()) / self._scale
        if wait > 0 and t < self._end:
            gevent.sleep(wait)
        super().set(t)


class LocustSink:
    """The connector's ``Sink`` over Locust's HTTP client (stats, failures, timings)."""

    def __init__(
        self, client: Any, path: str = "/2/httpapi", clock: PacedClock | None = None
    ) -> None:
        self.client, self.path, self.clock = client, path, clock

    def send(self, api_key: str, events: list[dict[str, Any]]) -> SinkResponse:
        payload = orjson.dumps({"api_key": api_key, "events": events})
        headers = {"Content-Type": "application/json"}
        with self.client.post(
            self.path, data=payload, headers=headers, catch_response=True, name=self.path
        ) as resp:
            status = resp.status_code or 0
            try:
                body = orjson.loads(resp.content or b"")
            except orjson.JSONDecodeError:
                body = None
            if isinstance(body, dict) and body.get("code") == status:
                resp.success()
            else:
                resp.failure(f"status {status} without Amplitude's JSON body")
                body = body if isinstance(body, dict) else None
        if self.clock is not None:
            self.clock.observe()  # at the answer: the request's whole trip counts
        return SinkResponse(status, body)


_local_index = itertools.count()
LEDGER_MESSAGE = "currents_ledger"


def ledger_summary(
    ledger: Ledger, lateness: list[tuple[float, float]] | None = None
) -> dict[str, Any]:
    """What one connector knows of its events: counts, the ids it dropped (with their
    production times, so the judge can compare them with the simulation's), the events it saw
    throttled, each delivered event's delay by device class (the truth when the target is not
    our mock), and how late its requests reached the target (``PacedClock.observe``)."""
    states = [entry.state for entry in ledger]
    delays: dict[str, list[float]] = {}
    for entry in ledger:
        if entry.delay_s is not None:
            delays.setdefault(entry.device_class, []).append(entry.delay_s)
    return {
        "produced": len(states),
        "skipped": states.count(SKIPPED),
        "queued": states.count(QUEUED),
        "delivered": states.count(DELIVERED),
        "throttled": sum(r.n_events for r in ledger.requests if r.status == 429),
        "dropped": {e.event_id: e.produced_at for e in ledger if e.fate == DROPPED},
        "delays": delays,
        "lateness": lateness or [],
    }


def report_ledger(environment: Any, summary: dict[str, Any]) -> None:
    """Hand a connector's ledger to the judge: a message to the master, or straight in."""
    runner = environment.runner
    if isinstance(runner, WorkerRunner):
        runner.send_message(LEDGER_MESSAGE, summary)
    else:
        collect_ledger(environment, summary)


LEDGERS: list[dict[str, Any]] = []  # the judge's collection (master or local runner)


def collect_ledger(environment: Any, summary: dict[str, Any]) -> None:
    """Keep a connector's ledger (master or local runner); the last one ends the run."""
    LEDGERS.append(summary)
    runner = environment.runner
    if (
        len(LEDGERS) >= config()["users"]
        and runner is not None
        and runner.state in (STATE_RUNNING, STATE_SPAWNING)
    ):
        gevent.spawn_later(0.2, runner.quit)


def user_index(workers: int, worker_index: int) -> int:
    """A run-wide index, the same set of indices whether one process or N workers run them."""
    return worker_index + next(_local_index) * max(1, workers)


def mock_now(environment: Any, host: str) -> float:
    """The target mock's clock (s). A target without one stops the user, and the run's report
    says why: a failed ``mock clock`` request."""
    with MockAdmin(host, timeout_s=CLOCK_TIMEOUT_S) as admin:
        try:
            return admin.now_ms() / 1000.0
        except MockAdminError as exc:
            environment.events.request.fire(
                request_type="GET",
                name="mock clock",
                response_time=0,
                response_length=0,
                exception=RuntimeError(f"the target has no mock clock: {exc}"),
                context={},
            )
            raise StopUser() from None


class ConnectorUser(FastHttpUser):
    """One Braze connector (one partition of Braze's queue) with its own seeded event stream."""

    abstract = True

    @task
    def run_connector(self) -> None:
        cfg = config()
        runner = self.environment.runner
        index = user_index(cfg.get("workers", 0), getattr(runner, "worker_index", 0))
        start, params = cfg["sim_start_ms"] / 1000.0, cfg["params"]
        end = start + params["production_s"] + params["drain_s"]
        now = mock_now(self.environment, cfg["host"]) if cfg["truth"] == "server" else time.time()
        clock = PacedClock(now, cfg["clock_scale"], end=end)
        connector = build_connector(LocustSink(self.client, clock=clock), clock, cfg, index)
        try:
            connector.run(stream(cfg, index), until=end)
        finally:  # also when Locust's time bound stops the user mid-run
            report_ledger(self.environment, ledger_summary(connector.ledger, clock.lateness))
        self._finish()

    def _finish(self) -> None:
        """Stop this user. The run ends when the judge holds every connector's ledger
        (``collect_ledger``), so it is bounded by count, not only by time. A worker must not
        quit on its own: Locust's master would hand its users to the remaining workers."""
        raise StopUser()
