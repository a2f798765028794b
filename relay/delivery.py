"""The delivery thread: drives the core's ``RelayEngine`` on the wall clock.

Receiving threads ``submit`` each stored row; this one thread owns the engine: it takes what was
submitted, steps the engine (one Amplitude request per step, so each is stamped with the time it
went out), forgets the rows the engine says are settled, and otherwise sleeps until the engine's
next due instant or the next submission. ``stats`` is a snapshot refreshed after every step, so
``GET /stats`` never waits behind a request in flight.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from typing import Any

from relay.outbox import Outbox
from simulator.clock import Clock
from simulator.relay import RelayEngine

IDLE_WAKE_S = 1.0  # an idle thread still wakes now and then to check for a stop


class Delivery:
    """One thread running ``engine``; rows come in through ``submit``."""

    def __init__(self, engine: RelayEngine, outbox: Outbox, clock: Clock) -> None:
        self.engine, self.outbox, self.clock = engine, outbox, clock
        self._intake: deque[tuple[int, list[dict[str, Any]]]] = deque()
        self._waiting = 0  # events submitted and not yet taken by the thread
        self._wake = threading.Condition()
        self._stopping = False
        self._snapshot: dict[str, Any] = engine.stats()
        self._thread = threading.Thread(target=self._run, name="relay-delivery", daemon=True)

    def start(self) -> Delivery:
        self._thread.start()
        return self

    def submit(self, row: int, events: list[dict[str, Any]]) -> None:
        with self._wake:
            self._intake.append((row, events))
            self._waiting += len(events)
            self._wake.notify()

    def stats(self) -> dict[str, Any]:
        snapshot = dict(self._snapshot)
        snapshot["queued"] += self._waiting
        return snapshot

    def stop(self, timeout_s: float = 30.0) -> None:
        """Stop after the request in flight (what is undelivered stays in the outbox)."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
        if self._thread.is_alive():
            self._thread.join(timeout_s)

    # -- the thread -----------------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            taken = self._take()
            if taken is None:
                return
            now = self.clock.now()
            for row, events in taken:
                self.engine.accept(row, events, now)
            self.engine.step(self.clock.now())
            self.outbox.forget(self.engine.finished_rows())
            self._snapshot = self.engine.stats()

    def _take(self) -> list[tuple[int, list[dict[str, Any]]]] | None:
        """What was submitted, once there is something to do; None when stopping."""
        with self._wake:
            while not self._stopping and not self._intake:
                wait = self.engine.due() - self.clock.now()
                if wait <= 0:
                    break
                self._wake.wait(IDLE_WAKE_S if math.isinf(wait) else min(wait, IDLE_WAKE_S))
            if self._stopping:
                return None
            taken = list(self._intake)
            self._intake.clear()
            self._waiting = 0
            return taken
