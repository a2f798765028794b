"""Braze's storage delivery (S3, Azure Blob, GCS), decided in the core: which events go in which
Avro file, under which key, and when a file is complete. Writing the bytes is the shell's job
(``senders.storage``); time is an injected ``Clock``.

What Braze does (BRAZE_CURRENTS.md §4.1 [EDS]; braze-docs ``event_delivery_semantics.md``):

- One file per event type at a time; a file is written every **5 minutes or 15,000 events**,
  whichever is first, and **empty files are never written**. (Under heavy load Braze may write up
  to 100,000 events a file; we keep the normal rule.)
- Keys: ``<prefix>/dataexport.<cluster>.<S3|AzureBlob|GCS>.integration.<integration-id>/
  event_type=<type>/date=<YYYY-MM-DD-HH>/<schema>/<zone>/dataexport.<cluster>.<conn>.integration.
  <integration-id>+<partition>+<offset>.avro``. ``date`` is the hour the events were *queued*,
  UTC: here the clock's hour when the event is offered, so a file never spans two hours (an hour
  that ends closes the open file). ``offset`` differs between files of one hour: like the Kafka
  offset it is named after, it counts the events of the type written before the file.
- The schema segment: the older page calls it ``<schema-id>`` (an integer); the newer one names it
  ``version=<currents_version>`` and shows a real key, ``currents-export/dataexport.prod-01.S3.
  integration.69cadaaed2d51b7c75b1a3e5/event_type=users.messages.pushnotification.Send/
  date=2025-04-01-17/version=6/us-01/dataexport.prod-01.S3.integration.69cadaaed2d51b7c75b1a3e5
  +0+123456.avro`` (braze-docs, ``_lang/ja/.../event_delivery_semantics.md``). We follow that
  real key, with the Currents version of our schemas (v10); both segments are parameters.

Records are Braze's flat storage records (``simulator.generator.avro.avro_record``: every field of
the type's schema); an event type without a storage schema in the catalogue cannot be written and
is counted as skipped.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from simulator.clock import Clock
from simulator.currents.catalogue import CATALOGUE
from simulator.currents.shapes import detect_shape, http_to_flat
from simulator.generator.avro import avro_record

FILE_EVENTS = 15_000
FILE_WAIT_S = 300.0
CONNECTIONS = ("S3", "AzureBlob", "GCS")
NO_SCHEMA = "no_schema"
HOUR = 3600


@dataclass(frozen=True, slots=True)
class StorageLayout:
    """Where Braze puts a connector's files; every segment of the key is a field."""

    integration_id: str
    prefix: str = ""
    cluster: str = "prod-01"
    connection: str = "S3"
    schema: str = "version=10"
    zone: str = "us-01"
    partition: int = 0

    def __post_init__(self) -> None:
        if self.connection not in CONNECTIONS:
            raise ValueError(f"connection must be one of {', '.join(CONNECTIONS)}")

    @property
    def export(self) -> str:
        """``dataexport.<cluster>.<connection>.integration.<id>``: folder and file stem."""
        return f"dataexport.{self.cluster}.{self.connection}.integration.{self.integration_id}"

    def key(self, event_type: str, hour: int, offset: int) -> str:
        """The key of a file of ``event_type`` queued in ``hour`` (hours since the epoch)."""
        prefix = self.prefix.strip("/")
        path = self.path(event_type, hour, offset)
        return f"{prefix}/{path}" if prefix else path

    def path(self, event_type: str, hour: int, offset: int) -> str:
        """The key below the prefix (the same in every store)."""
        date = datetime.fromtimestamp(hour * HOUR, UTC).strftime("%Y-%m-%d-%H")
        parts = [
            self.export,
            f"event_type={event_type}",
            f"date={date}",
            self.schema,
            self.zone,
            f"{self.export}+{self.partition}+{offset}.avro",
        ]
        return "/".join(parts)


@dataclass(frozen=True, slots=True)
class StorageFile:
    """A complete file: its key (``path`` below the prefix), its type and its records, in the
    order they were queued."""

    key: str
    path: str
    event_type: str
    records: list[dict[str, Any]]
    opened_at: float
    closed_at: float


@dataclass(frozen=True, slots=True)
class Written:
    """What the ledger keeps of a written file (not its records)."""

    key: str
    event_type: str
    events: int
    opened_at: float
    closed_at: float


class Store(Protocol):
    """Anything that writes a complete file (None) or says why it could not (the error)."""

    def put(self, file: StorageFile) -> str | None: ...


@dataclass(slots=True)
class _OpenFile:
    hour: int
    opened_at: float
    records: list[dict[str, Any]] = field(default_factory=list)


class StorageDelivery:
    """Braze's storage writer for one connector: a rolling file per event type."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        layout: StorageLayout,
        *,
        max_events: int = FILE_EVENTS,
        max_wait_s: float = FILE_WAIT_S,
    ) -> None:
        if max_events < 1 or max_wait_s <= 0:
            raise ValueError("a file holds at least 1 event and waits more than 0 seconds")
        self.store, self.clock, self.layout = store, clock, layout
        self.max_events, self.max_wait_s = max_events, max_wait_s
        self.open: dict[str, _OpenFile] = {}
        self.offsets: Counter[str] = Counter()
        self.written: list[Written] = []
        self.produced = 0
        self.skipped: Counter[str] = Counter()
        self.dropped: Counter[str] = Counter()  # a store that failed: Braze loses the data
        self._wakeups: list[tuple[float, str]] = []

    def offer(self, record: Mapping[str, Any]) -> None:
        """Queue one Currents event (flat record or HTTP envelope) at ``clock.now()``."""
        self.produced += 1
        data = dict(record)
        flat = http_to_flat(data) if detect_shape(data) == "http" else data
        event_type = flat.get("event_type")
        if not isinstance(event_type, str) or event_type not in CATALOGUE:
            self.skipped[f"{NO_SCHEMA}: {event_type}"] += 1
            return
        now = self.clock.now()
        hour = math.floor(now / HOUR)
        current = self.open.get(event_type)
        if current is not None and current.hour != hour:
            self._close(event_type, now)
            current = None
        if current is None:
            current = self.open[event_type] = _OpenFile(hour, now)
            heapq.heappush(self._wakeups, (now + self.max_wait_s, event_type))
        current.records.append(avro_record(flat))
        if len(current.records) >= self.max_events:
            self._close(event_type, now)

    def next_due(self) -> float:
        return self._wakeups[0][0] if self._wakeups else math.inf

    def pump(self) -> None:
        """Write the files whose first event has waited ``max_wait_s``."""
        now = self.clock.now()
        while self._wakeups and self._wakeups[0][0] <= now:
            _, event_type = heapq.heappop(self._wakeups)
            current = self.open.get(event_type)
            if current is not None and current.opened_at + self.max_wait_s <= now:
                self._close(event_type, now)

    def finish(self) -> None:
        """The input has ended: write every open file now."""
        now = self.clock.now()
        for event_type in list(self.open):
            self._close(event_type, now)
        self._wakeups.clear()

    def held(self) -> int:
        return sum(len(f.records) for f in self.open.values())

    def _close(self, event_type: str, now: float) -> None:
        current = self.open.pop(event_type)
        offset = self.offsets[event_type]
        self.offsets[event_type] += len(current.records)
        key = self.layout.key(event_type, current.hour, offset)
        path = self.layout.path(event_type, current.hour, offset)
        done = StorageFile(key, path, event_type, current.records, current.opened_at, now)
        error = self.store.put(done)
        if error is None:
            self.written.append(Written(key, event_type, len(done.records), done.opened_at, now))
        else:
            self.dropped[f"store_failed: {error}"] += len(done.records)

    def summary(self) -> dict[str, Any]:
        events = sum(f.events for f in self.written)
        return {
            "produced": self.produced,
            "written": events,
            "files": len(self.written),
            "skipped": dict(sorted(self.skipped.items())),
            "dropped": dict(sorted(self.dropped.items())),
            "undelivered": self.held(),
        }
