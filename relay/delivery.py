"""Two threads drive the core's ``RelayEngine`` on the wall clock: one prepares, one sends.

Receiving threads ``submit`` each stored row. While no backlog waits, a receiving thread
transforms its own row there (``RelayEngine.prepare``) and queues it *ready*; otherwise the row
waits in the *backlog* as its id alone, and the preparing thread reads it back from the outbox
and transforms it, in order, as room frees up. So the sending thread never transforms: per event
it only batches and settles, and every transform happens while it waits on Amplitude.

The sending thread owns the engine: it takes ready rows, steps the engine (one Amplitude request
per step, so each is stamped with the time it went out), forgets the rows the engine says are
settled (in one transaction per ``FORGET_BATCH`` rows while rows wait: each forget waits for the
outbox lock the receiving threads hold while they store), and otherwise sleeps until the engine's
next due instant or the next ready row. ``stats`` is a snapshot refreshed after every step, so
``GET /stats`` never waits behind a request in flight.

Memory is bounded whatever the backlog (a 48-hour credential outage, Braze posting faster than
Amplitude takes): the engine is fed only while it holds fewer than ``max_in_engine`` events, at
most ``max_ready`` events wait prepared (give or take one row each), and only as their identity
and Amplitude event (``Prepared``); everything else waits on disk, in the outbox, and in memory
as part of a run of row ids (``RowRuns``: a few runs, however many rows). Each budget is two
Amplitude batches (at least 1,000 events, ``budget``): one request is in flight at a time, so
more would only hold memory, not speed anything up.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from typing import Any, NamedTuple

from relay.backlog import RowRuns
from relay.outbox import Outbox
from simulator.clock import Clock
from simulator.relay import Prepared, RelayEngine, parse_events

IDLE_WAKE_S = 1.0  # an idle thread still wakes now and then to check for a stop
BATCHES_AHEAD = 2  # each budget: one Amplitude request in flight, the next one filling
MIN_BUDGET = 1_000  # events, whatever the batch size (rows come ~100 events at a time)
FORGET_BATCH = 32  # settled rows deleted together while rows wait (at once when none waits)

Events = list[dict[str, Any]]


class Ready(NamedTuple):
    """A row waiting for room in the engine, its events transformed."""

    row: int
    events: int
    accepted_at: float | None  # None: when the engine takes it
    prepared: list[Prepared]


def budget(batch_size: int) -> int:
    """Events each of the two in-memory places holds at most (the engine; the ready queue)."""
    return max(MIN_BUDGET, BATCHES_AHEAD * batch_size)


class Delivery:
    """The sending thread running ``engine`` and the preparing thread feeding it; rows come in
    through ``submit``."""

    def __init__(
        self,
        engine: RelayEngine,
        outbox: Outbox,
        clock: Clock,
        *,
        max_in_engine: int | None = None,
        max_ready: int | None = None,
    ) -> None:
        self.engine, self.outbox, self.clock = engine, outbox, clock
        default = budget(engine.connector.config.batch_size)
        self.max_in_engine = default if max_in_engine is None else max_in_engine
        self.max_ready = default if max_ready is None else max_ready
        self._ready: deque[Ready] = deque()
        self._ready_events = 0
        self._backlog = RowRuns()  # rows to read back from the outbox, in order
        self._preparing = False  # a backlog row is being read back (rows after it must wait)
        self._waiting = 0  # events submitted and not yet taken by the engine
        self._wake = threading.Condition()
        self._stopping = False
        self._snapshot: dict[str, Any] = engine.stats()
        self._settled: list[int] = []  # rows settled, not yet deleted from the outbox
        self._threads = [
            threading.Thread(target=self._send_loop, name="relay-delivery", daemon=True),
            threading.Thread(target=self._prepare_loop, name="relay-prepare", daemon=True),
        ]

    def start(self) -> Delivery:
        for thread in self._threads:
            thread.start()
        return self

    def submit(
        self,
        row: int,
        count: int,
        events: Events | None = None,
        accepted_at: float | None = None,
    ) -> None:
        """Row ``row`` (``count`` events, accepted at ``accepted_at``; default: when the
        engine takes it) is stored; ``events`` saves reading it back. Called by receiving
        threads: the transform happens here, outside the lock, when the row can go straight to
        the ready queue (checked again under the lock). A row submitted without its events is
        read back, ``accepted_at`` included."""
        prepared = self.engine.prepare(events) if events is not None and self._fits() else None
        with self._wake:
            if prepared is not None and self._fits():
                self._make_ready(Ready(row, count, accepted_at, prepared))
            else:
                self._backlog.append(row)
            self._waiting += count
            self._wake.notify_all()

    def held(self) -> dict[str, int]:
        """What is held in memory: events in the engine (as of its last step) and prepared
        waiting for it; the rows waiting on disk, and the runs of ids that stand for them."""
        with self._wake:
            return {
                "engine": self._snapshot["queued"],
                "ready": self._ready_events,
                "backlog_rows": len(self._backlog),
                "backlog_runs": self._backlog.runs(),
            }

    def stats(self) -> dict[str, Any]:
        snapshot = dict(self._snapshot)
        snapshot["queued"] += self._waiting
        return snapshot

    def stop(self, timeout_s: float = 30.0) -> None:
        """Stop after the request in flight (what is undelivered stays in the outbox)."""
        with self._wake:
            self._stopping = True
            self._wake.notify_all()
        for thread in self._threads:
            if thread.is_alive():
                thread.join(timeout_s)

    # -- under the lock -------------------------------------------------------------------------
    def _fits(self) -> bool:
        """A new row may skip the backlog: none waits before it and the ready queue has room."""
        return not self._backlog and not self._preparing and self._ready_events < self.max_ready

    def _make_ready(self, ready: Ready) -> None:
        self._ready.append(ready)
        self._ready_events += ready.events

    # -- the preparing thread -------------------------------------------------------------------
    def _prepare_loop(self) -> None:
        while (row := self._next_backlog_row()) is not None:
            stored = self.outbox.read(row)
            parsed = parse_events(stored.body)
            prepared = self.engine.prepare(parsed if isinstance(parsed, list) else [])
            with self._wake:  # stored bodies are valid: ``parsed`` is a list
                self._make_ready(Ready(row, stored.events, stored.accepted_at, prepared))
                self._preparing = False
                self._wake.notify_all()

    def _next_backlog_row(self) -> int | None:
        """The oldest backlog row once the ready queue has room; None when stopping."""
        with self._wake:
            while not self._stopping and not (
                self._backlog and self._ready_events < self.max_ready
            ):
                self._wake.wait(IDLE_WAKE_S)
            if self._stopping:
                return None
            self._preparing = True
            return self._backlog.popleft()

    # -- the sending thread ---------------------------------------------------------------------
    def _send_loop(self) -> None:
        while True:
            taken = self._take()
            if taken is None:
                self._forget()
                return
            now = self.clock.now()
            for row, _, accepted_at, prepared in taken:
                self.engine.accept_prepared(row, prepared, now, accepted_at=accepted_at)
            self.engine.step(self.clock.now())
            self._settled += self.engine.finished_rows()
            if len(self._settled) >= FORGET_BATCH or not self._waiting:
                self._forget()
            self._snapshot = self.engine.stats()

    def _forget(self) -> None:
        """Delete the settled rows (a crash before this only replays rows already delivered,
        which Amplitude's ``insert_id`` dedupe absorbs)."""
        rows, self._settled = self._settled, []
        self.outbox.forget(rows)

    def _take(self) -> list[Ready] | None:
        """Ready rows to feed the engine (as many as it has room for) once there is something
        to do; None when stopping."""
        with self._wake:
            while not self._stopping and not self._room_for_ready():
                wait = self.engine.due() - self.clock.now()
                if wait <= 0:
                    break
                self._wake.wait(IDLE_WAKE_S if math.isinf(wait) else min(wait, IDLE_WAKE_S))
            if self._stopping:
                return None
            room = self.max_in_engine - self.engine.tally.in_flight()
            taken: list[Ready] = []
            while self._ready and room > 0:
                ready = self._ready.popleft()
                taken.append(ready)
                room -= ready.events
                self._waiting -= ready.events
                self._ready_events -= ready.events
            if taken:
                self._wake.notify_all()  # the preparing thread may have room now
            return taken

    def _room_for_ready(self) -> bool:
        return bool(self._ready) and self.engine.tally.in_flight() < self.max_in_engine
