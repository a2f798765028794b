"""A ledger that counts instead of remembering: a relay runs for months, so it keeps figures
(events by fate and reason, requests by status) and only the events still in flight.

Each event also knows the stored request body (the outbox *row*) it came from, and the tally
counts, per row, the events not yet settled (delivered, dropped or skipped). A row is *finished*
when all its events are settled: only then may the shell forget it, so a crash at any point
replays at most rows some of whose events were already delivered (Amplitude's ``insert_id``
dedupe absorbs those re-sends).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from simulator.connector.ledger import DELIVERED, DROPPED, SKIPPED, Entry, Ledger

NO_ROW = -1


@dataclass(slots=True)
class RowEntry(Entry):
    """An event's life, plus the outbox row it came from."""

    row: int = NO_ROW


def _code(reason: str) -> str:
    """The stable part of a reason: the connector writes reasons as ``code: detail``."""
    return reason.partition(":")[0]


class Tally(Ledger):
    """Counts of fates and reasons, the in-flight rows, and the rows just finished."""

    def __init__(self) -> None:
        super().__init__()
        self.produced = 0
        self.sent = 0
        self.fates: Counter[str] = Counter()
        self.dropped: Counter[str] = Counter()
        self.skipped: Counter[str] = Counter()
        self.statuses: Counter[int] = Counter()
        self.row = NO_ROW  # the row being offered
        self.pending: dict[int, int] = {}  # row -> events not settled (+1 while it is open)
        self.finished: list[int] = []  # rows all of whose events are settled, not yet collected

    def __len__(self) -> int:
        return self.produced

    # -- rows -----------------------------------------------------------------------------------
    def open_row(self, row: int) -> None:
        """Events produced from now on come from ``row`` (held open until ``close_row``)."""
        self.row = row
        self.pending[row] = 1

    def close_row(self) -> None:
        self._settled(self.row)
        self.row = NO_ROW

    def collect_finished(self) -> list[int]:
        """The rows finished since the last call."""
        done, self.finished = self.finished, []
        return done

    def in_flight(self) -> int:
        """Events produced and not yet settled."""
        return self.produced - sum(self.fates.values())

    # -- the Ledger interface, counting ----------------------------------------------------------
    def produce(
        self, event_id: str, produced_at: float, device_id: str | None, device_class: str
    ) -> Entry:
        entry = RowEntry(self.produced, event_id, produced_at, device_id, device_class)
        entry.row = self.row
        self.produced += 1
        if self.row != NO_ROW:
            self.pending[self.row] += 1
        return entry

    def find(self, event_id: str) -> Entry | None:
        return None  # settled events are not remembered

    def attempt(self, entries: list[Entry], at: float, status: int, reaction: str) -> int:
        self.sent += 1
        self.statuses[status] += 1
        return self.sent - 1

    def skip(self, entry: Entry, reason: str) -> None:
        self.skipped[_code(reason)] += 1
        self._settle_entry(entry, SKIPPED)

    def deliver(self, entry: Entry, at: float) -> None:
        self._settle_entry(entry, DELIVERED)

    def drop(self, entry: Entry, at: float, reason: str) -> None:
        self.dropped[_code(reason)] += 1
        self._settle_entry(entry, DROPPED)

    def _settle_entry(self, entry: Entry, fate: str) -> None:
        if entry.fate is not None:
            raise ValueError(f"event {entry.event_id} already {entry.fate}")
        entry.fate = fate
        self.fates[fate] += 1
        if isinstance(entry, RowEntry) and entry.row != NO_ROW:
            self._settled(entry.row)

    def _settled(self, row: int) -> None:
        left = self.pending[row] - 1
        if left:
            self.pending[row] = left
        else:
            del self.pending[row]
            self.finished.append(row)
