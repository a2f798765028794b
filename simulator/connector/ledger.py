"""The ledger: one row per produced event, the only source of every reported figure.

Each row holds when the event was produced, its device and class, every attempt that carried
it (an index into the request log, which holds time and status), and its fate: delivered at T,
dropped at T with a reason, skipped (never sent) with a reason, or still queued (fate None).
Attempt lists hold indices so that a batch retried many times costs one pointer per event.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

DELIVERED = "delivered"
DROPPED = "dropped"
SKIPPED = "skipped"
QUEUED = "queued"


@dataclass(frozen=True, slots=True)
class Request:
    """One request the connector sent: when, how many events, the status it got."""

    at: float
    status: int
    n_events: int
    reaction: str


@dataclass(slots=True)
class Entry:
    """One event's life."""

    seq: int
    event_id: str
    produced_at: float
    device_id: str | None
    device_class: str
    attempts: list[int] = field(default_factory=list)
    fate: str | None = None  # DELIVERED, DROPPED, SKIPPED or None (still queued)
    fate_at: float | None = None
    reason: str | None = None

    @property
    def state(self) -> str:
        return self.fate or QUEUED

    @property
    def delay_s(self) -> float | None:
        if self.fate != DELIVERED or self.fate_at is None:
            return None
        return self.fate_at - self.produced_at


class Ledger:
    """Append-only record of events and requests."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.requests: list[Request] = []
        self._by_id: dict[str, Entry] = {}

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def produce(
        self, event_id: str, produced_at: float, device_id: str | None, device_class: str
    ) -> Entry:
        entry = Entry(len(self.entries), event_id, produced_at, device_id, device_class)
        self.entries.append(entry)
        self._by_id.setdefault(event_id, entry)  # a repeated id (at-least-once) keeps the first
        return entry

    def find(self, event_id: str) -> Entry | None:
        """The row of an event id (its first occurrence), or None."""
        return self._by_id.get(event_id)

    def skip(self, entry: Entry, reason: str) -> None:
        self._settle(entry, SKIPPED, entry.produced_at, reason)

    def attempt(self, entries: list[Entry], at: float, status: int, reaction: str) -> int:
        index = len(self.requests)
        self.requests.append(Request(at, status, len(entries), reaction))
        for entry in entries:
            entry.attempts.append(index)
        return index

    def deliver(self, entry: Entry, at: float) -> None:
        self._settle(entry, DELIVERED, at, None)

    def drop(self, entry: Entry, at: float, reason: str) -> None:
        self._settle(entry, DROPPED, at, reason)

    def attempts_of(self, entry: Entry) -> list[Request]:
        return [self.requests[i] for i in entry.attempts]

    @staticmethod
    def _settle(entry: Entry, fate: str, at: float, reason: str | None) -> None:
        if entry.fate is not None:
            raise ValueError(f"event {entry.event_id} already {entry.fate}")
        entry.fate, entry.fate_at, entry.reason = fate, at, reason
