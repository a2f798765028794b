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
from dataclasses import replace
from functools import cache
from typing import Any

import gevent
import orjson
from locust import FastHttpUser, task
from locust.exception import StopUser

from simulator.clock import ManualClock
from simulator.connector import Connector, ConnectorConfig, RetryPolicy, SinkResponse, Strategy
from simulator.generator import MIXES, device_class, generate
from simulator.generator.stream import HotDevice, Mix
from simulator.rng import derive

ENV = "CURRENTS_LOAD"


@cache
def config() -> dict[str, Any]:
    """The run's configuration, written by ``load.runner`` (same in every worker process)."""
    raw = os.environ.get(ENV)
    if not raw:
        raise RuntimeError(f"{ENV} is not set: start scenarios with `currents-sim load`")
    doc: dict[str, Any] = json.loads(raw)
    return doc


class PacedClock(ManualClock):
    """The mock's clock as seen from here: moves with the wall, scaled; ``set`` waits for it."""

    def __init__(self, sim_now: float, scale: float) -> None:
        super().__init__(sim_now)
        self._anchor_sim, self._anchor_wall, self._scale = sim_now, time.monotonic(), scale

    def now(self) -> float:
        return self._anchor_sim + (time.monotonic() - self._anchor_wall) * self._scale

    def set(self, t: float) -> None:
        wait = (t - self.now()) / self._scale
        if wait > 0:
            gevent.sleep(wait)

    def advance(self, seconds: float) -> None:
        self.set(self.now() + seconds)


class LocustSink:
    """The connector's ``Sink`` over Locust's HTTP client (stats, failures, timings)."""

    def __init__(self, client: Any, path: str = "/2/httpapi") -> None:
        self.client, self.path = client, path

    def send(self, api_key: str, events: list[dict[str, Any]]) -> SinkResponse:
        payload = orjson.dumps({"api_key": api_key, "events": events})
        headers = {"Content-Type": "application/json"}
        with self.client.post(self.path, data=payload, headers=headers, catch_response=True,
                              name=self.path) as resp:  # fmt: skip
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
            return SinkResponse(status, body)


_local_index = itertools.count()


def user_index(workers: int, worker_index: int) -> int:
    """A run-wide index, the same set of indices whether one process or N workers run them."""
    return worker_index + next(_local_index) * max(1, workers)


def mock_now(client: Any) -> float:
    with client.get("/_mock/clock", name="/_mock/clock", catch_response=True) as resp:
        if resp.status_code != 200:
            resp.failure("the target has no /_mock/clock")
            raise StopUser()
        return float(orjson.loads(resp.content)["now_ms"]) / 1000.0


def scenario_mix(params: dict[str, Any]) -> Mix:
    """The generator mix a scenario names, with its hot device (if any) sized for the run."""
    base = MIXES[params["mix"]]
    hot = params.get("hot")
    return replace(base, hot=(HotDevice(**hot),)) if hot else replace(base, hot=())


class ConnectorUser(FastHttpUser):
    """One Braze connector (one partition of Braze's queue) with its own seeded event stream."""

    abstract = True

    @task
    def run_connector(self) -> None:
        cfg, params = config(), config()["params"]
        runner = self.environment.runner
        index = user_index(cfg.get("workers", 0), getattr(runner, "worker_index", 0))
        start = cfg["sim_start_ms"] / 1000.0
        clock = PacedClock(mock_now(self.client), cfg["clock_scale"])
        connector = Connector(
            LocustSink(self.client),
            clock,
            ConnectorConfig(
                api_key=cfg["api_key"],
                batch_size=params["batch_size"],
                batch_wait_s=params["flush_s"],
                strategy=Strategy(params["strategy"]),
                policy=RetryPolicy(),
            ),
            rng=derive(cfg["seed"], f"connector-{index}"),
            classify_device=lambda record: device_class(record.get("device_id")) or "no-device",
        )
        stream = generate(params["events_per_user"], seed=cfg["seed"] * 1000 + index,
                          start=start, duration=params["production_s"], mix=scenario_mix(params))  # fmt: skip
        connector.run(stream, until=start + params["production_s"] + params["drain_s"])
        raise StopUser()
