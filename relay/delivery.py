"""The delivery thread: drives the core's ``RelayEngine`` on the wall clock.

Receiving threads ``submit`` each stored row, transformed there (``RelayEngine.prepare``: they
transform while this thread waits on Amplitude, so per event it only batches and settles). This
one thread owns the engine: it takes what was submitted, steps the engine (one Amplitude request
per step, so each is stamped with the time it went out), forgets the rows the engine says are
settled (in one transaction per ``FORGET_BATCH`` rows while a backlog waits: each forget waits
for the outbox lock the receiving threads hold while they store), and otherwise sleeps until
the engine's next due instant or the next submission.
``stats`` is a snapshot refreshed after every step, so ``GET /stats`` never waits behind a
request in flight.

Memory is bounded whatever the backlog (a 48-hour credential outage, Braze posting faster than
Amplitude takes): the engine is fed only while it holds fewer than ``max_in_memory`` events, and
a submitted row keeps its parsed and transformed events only while fewer than that many wait; any
other row waits as its id alone and is read back from the outbox (and transformed here) when there
is room.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from typing import Any

from relay.outbox import Outbox
from simulator.clock import Clock
from simulator.relay import RelayEngine, parse_events
from simulator.transform import Result

IDLE_WAKE_S = 1.0  # an idle thread still wakes now and then to check for a stop
MAX_IN_MEMORY = 20_000  # events held parsed: in the engine, and again waiting in the intake
FORGET_BATCH = 32  # settled rows deleted together while rows wait (at once when none waits)

Events = list[dict[str, Any]]
# row, events in it, the events and their transformer results (or None: read back when taken)
Waiting = tuple[int, int, Events | None, list[Result] | None]


class Delivery:
    """One thread running ``engine``; rows come in through ``submit``."""

    def __init__(
        self,
        engine: RelayEngine,
        outbox: Outbox,
        clock: Clock,
        *,
        max_in_memory: int = MAX_IN_MEMORY,
    ) -> None:
        self.engine, self.outbox, self.clock = engine, outbox, clock
        self.max_in_memory = max_in_memory
        self._intake: deque[Waiting] = deque()
        self._parsed = 0  # events waiting in the intake with their parsed events
        self._waiting = 0  # events submitted and not yet taken by the thread
        self._wake = threading.Condition()
        self._stopping = False
        self._snapshot: dict[str, Any] = engine.stats()
        self._settled: list[int] = []  # rows settled, not yet deleted from the outbox
        self._thread = threading.Thread(target=self._run, name="relay-delivery", daemon=True)

    def start(self) -> Delivery:
        self._thread.start()
        return self

    def submit(self, row: int, count: int, events: Events | None = None) -> None:
        """Row ``row`` (``count`` events) is stored; ``events`` saves reading it back. Called
        by receiving threads: the transform happens here, outside the lock, when there is room
        to keep the events in memory (checked again under the lock)."""
        results = None
        if events is not None and self._parsed + count <= self.max_in_memory:
            results = self.engine.prepare(events)
        with self._wake:
            if results is not None and self._parsed + count <= self.max_in_memory:
                self._parsed += count
            else:
                events = results = None
            self._intake.append((row, count, events, results))
            self._waiting += count
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
                self._forget()
                return
            now = self.clock.now()
            for row, _, events, results in taken:
                if events is None:
                    parsed = parse_events(self.outbox.body(row))
                    events = parsed if isinstance(parsed, list) else []  # stored bodies are valid
                self.engine.accept(row, events, now, results)
            self.engine.step(self.clock.now())
            self._settled += self.engine.finished_rows()
            if len(self._settled) >= FORGET_BATCH or not self._intake:
                self._forget()
            self._snapshot = self.engine.stats()

    def _forget(self) -> None:
        """Delete the settled rows (a crash before this only replays rows already delivered,
        which Amplitude's ``insert_id`` dedupe absorbs)."""
        rows, self._settled = self._settled, []
        self.outbox.forget(rows)

    def _take(self) -> list[Waiting] | None:
        """Rows to feed the engine (as many as it has room for) once there is something to do;
        None when stopping."""
        with self._wake:
            while not self._stopping and not self._room_for_intake():
                wait = self.engine.due() - self.clock.now()
                if wait <= 0:
                    break
                self._wake.wait(IDLE_WAKE_S if math.isinf(wait) else min(wait, IDLE_WAKE_S))
            if self._stopping:
                return None
            room = self.max_in_memory - self.engine.tally.in_flight()
            taken: list[Waiting] = []
            while self._intake and room > 0:
                waiting = self._intake.popleft()
                _, count, events, _ = waiting
                taken.append(waiting)
                room -= count
                self._waiting -= count
                self._parsed -= count if events is not None else 0
            return taken

    def _room_for_intake(self) -> bool:
        return bool(self._intake) and self.engine.tally.in_flight() < self.max_in_memory
