"""The ledger: one row per produced event, the only source of every reported figure.

Each row holds when the event was produced, its device and class, every attempt that carried
it (an index into the request log, which holds time and status), and its fate: delivered at T,
dropped at T with a reason, skipped (never sent) with a reason, or still queued (fate None).

Rows are stored as columns (typed arrays, small strings interned as codes into a table), not as
one object per event: a million simulated events cost about a hundred bytes each instead of
several hundred (issue 20), and the figures (``report``) are computed from whole columns.
While an event is in the connector's hands, the connector holds its ``Entry`` (the handle
``produce`` returns); every move of the ledger updates that handle and the columns alike.
Reading a row afterwards (``entry(i)``, iteration, ``find``) gives an ``Entry`` rebuilt from the
columns: a named record, equal to the handle.

A ledger built with ``keep_rows=False`` stores no columns: the handles are the only record of
their events (a sender or a relay that runs for long and keeps only counters).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field

DELIVERED = "delivered"
DROPPED = "dropped"
SKIPPED = "skipped"
QUEUED = "queued"

# The fate column's codes: a row's code is the index of its fate here (0: still queued).
FATES: tuple[str | None, ...] = (None, DELIVERED, DROPPED, SKIPPED)
FATE_CODES: dict[str | None, int] = {fate: code for code, fate in enumerate(FATES)}
NO_ATTEMPT = -1  # the attempt columns' "none": no first attempt yet, no next attempt


@dataclass(frozen=True, slots=True)
class Request:
    """One request the connector sent: when, how many events, the status it got."""

    at: float
    status: int
    n_events: int
    reaction: str


@dataclass(slots=True)
class Entry:
    """One event's life, as a named record."""

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


class Interned:
    """A column of small strings (device class, device id, reason) stored as codes into a
    table: each distinct value is kept once. Code 0 is None."""

    def __init__(self) -> None:
        self.values: list[str | None] = [None]
        self.codes_of: dict[str | None, int] = {None: 0}
        self.codes = array("I")

    def code(self, value: str | None) -> int:
        """The code of ``value``, a new one the first time it is seen."""
        code = self.codes_of.get(value)
        if code is None:
            code = self.codes_of[value] = len(self.values)
            self.values.append(value)
        return code

    def append(self, value: str | None) -> None:
        self.codes.append(self.code(value))

    def __getitem__(self, row: int) -> str | None:
        return self.values[self.codes[row]]

    def __setitem__(self, row: int, value: str | None) -> None:
        self.codes[row] = self.code(value)


class Texts:
    """A column of arbitrary strings (event ids) in one buffer, and the end of each.

    Each value is a tag byte and its bytes: a lowercase UUID (what Braze's ids and the
    generator's look like) as its 16 bytes, anything else as UTF-8 text. Every value reads back
    exactly as it was appended (an id that is not a lowercase UUID is simply kept as text)."""

    TEXT, UUID = b"\x00", b"\x01"

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.ends = array("Q")

    def append(self, text: str) -> None:
        self.buffer += self.encode(text)
        self.ends.append(len(self.buffer))

    @classmethod
    def encode(cls, text: str) -> bytes:
        if len(text) == 36 and text[8] == text[13] == text[18] == text[23] == "-":
            digits = text.replace("-", "")
            try:
                raw = bytes.fromhex(digits)
            except ValueError:
                raw = b""
            if len(raw) == 16 and raw.hex() == digits:
                return cls.UUID + raw
        return cls.TEXT + text.encode()

    def __getitem__(self, row: int) -> str:
        start = self.ends[row - 1] if row else 0
        value = bytes(self.buffer[start : self.ends[row]])
        if value[:1] == self.UUID:
            h = value[1:].hex()
            return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
        return value[1:].decode()

    def __len__(self) -> int:
        return len(self.ends)


class Columns:
    """The rows of a ledger, one array per field (row ``seq`` is index ``seq`` of each)."""

    def __init__(self) -> None:
        # one entry per row
        self.event_id = Texts()
        self.produced_at = array("d")
        self.device_id = Interned()
        self.device_class = Interned()
        self.fate = array("B")  # FATE_CODES
        self.fate_at = array("d")  # NaN while queued
        self.reason = Interned()
        self.first_attempt = array("i")  # NO_ATTEMPT, or an index into the attempt columns
        self.last_attempt = array("i")
        # one entry per attempt: the request, the row it carried, the row's next attempt
        self.attempt_request = array("i")
        self.attempt_row = array("i")
        self.attempt_next = array("i")

    def __len__(self) -> int:
        return len(self.produced_at)


class Ledger:
    """Append-only record of events (as columns) and requests."""

    def __init__(self, *, keep_rows: bool = True) -> None:
        self.keep_rows = keep_rows
        self.requests: list[Request] = []
        self.columns = Columns()
        self._by_id: dict[str, int] = {}  # built on the first ``find``, then kept up to date
        self._indexed = 0
        self._next_seq = 0

    def __iter__(self) -> Iterator[Entry]:
        return (self.entry(i) for i in range(len(self)))

    def __len__(self) -> int:
        return len(self.columns)

    @property
    def entries(self) -> list[Entry]:
        """Every row as an ``Entry`` (a snapshot: builds one object per event)."""
        return list(self)

    def entry(self, seq: int) -> Entry:
        """Row ``seq`` as a named record."""
        c = self.columns
        attempts: list[int] = []
        a = c.first_attempt[seq]
        while a != NO_ATTEMPT:
            attempts.append(c.attempt_request[a])
            a = c.attempt_next[a]
        fate_at = c.fate_at[seq]
        return Entry(
            seq,
            c.event_id[seq],
            c.produced_at[seq],
            c.device_id[seq],
            c.device_class[seq] or "",  # never None: produce takes a str
            attempts,
            FATES[c.fate[seq]],
            None if math.isnan(fate_at) else fate_at,
            c.reason[seq],
        )

    def produce(
        self, event_id: str, produced_at: float, device_id: str | None, device_class: str
    ) -> Entry:
        """A new row; its handle (hold it while the event is in flight)."""
        seq, self._next_seq = self._next_seq, self._next_seq + 1
        entry = Entry(seq, event_id, produced_at, device_id, device_class)
        if self.keep_rows:  # the columns' appends, inlined: this runs once per event
            c = self.columns
            c.event_id.append(event_id)
            c.produced_at.append(produced_at)
            devices, classes = c.device_id, c.device_class
            code = devices.codes_of.get(device_id)
            devices.codes.append(devices.code(device_id) if code is None else code)
            code = classes.codes_of.get(device_class)
            classes.codes.append(classes.code(device_class) if code is None else code)
            c.fate.append(0)
            c.fate_at.append(math.nan)
            c.reason.codes.append(0)
            c.first_attempt.append(NO_ATTEMPT)
            c.last_attempt.append(NO_ATTEMPT)
        return entry

    def find(self, event_id: str) -> Entry | None:
        """The row of an event id (its first occurrence: an id repeated by at-least-once
        delivery keeps its first row), or None."""
        by_id, ids = self._by_id, self.columns.event_id
        for seq in range(self._indexed, len(ids)):
            by_id.setdefault(ids[seq], seq)
        self._indexed = len(ids)
        found = by_id.get(event_id)
        return None if found is None else self.entry(found)

    def skip(self, entry: Entry, reason: str) -> None:
        self._settle(entry, SKIPPED, entry.produced_at, reason)

    def attempt(self, entries: list[Entry], at: float, status: int, reaction: str) -> int:
        """Log one request that carried ``entries``; its index in ``requests``."""
        index = len(self.requests)
        self.requests.append(Request(at, status, len(entries), reaction))
        for entry in entries:
            entry.attempts.append(index)
        if self.keep_rows:
            self._link_attempts([entry.seq for entry in entries], index)
        return index

    def deliver(self, entry: Entry, at: float) -> None:
        self._settle(entry, DELIVERED, at, None)

    def drop(self, entry: Entry, at: float, reason: str) -> None:
        self._settle(entry, DROPPED, at, reason)

    def attempts_of(self, entry: Entry) -> list[Request]:
        return [self.requests[i] for i in entry.attempts]

    def _link_attempts(self, rows: list[int], request: int) -> None:
        """Append one attempt per row, chained after each row's previous attempt."""
        c = self.columns
        first, last, nxt = c.first_attempt, c.last_attempt, c.attempt_next
        a = len(nxt)
        c.attempt_request.extend([request] * len(rows))
        c.attempt_row.extend(rows)
        nxt.extend([NO_ATTEMPT] * len(rows))
        for seq in rows:
            previous = last[seq]
            if previous == NO_ATTEMPT:
                first[seq] = a
            else:
                nxt[previous] = a
            last[seq] = a
            a += 1

    def _settle(self, entry: Entry, fate: str, at: float, reason: str | None) -> None:
        seq, c = entry.seq, self.columns
        settled = FATES[c.fate[seq]] if self.keep_rows else entry.fate
        if settled is not None:
            raise ValueError(f"event {entry.event_id} already {settled}")
        entry.fate, entry.fate_at, entry.reason = fate, at, reason
        if self.keep_rows:
            c.fate[seq] = FATE_CODES[fate]
            c.fate_at[seq] = at
            if reason is not None:
                c.reason[seq] = reason
