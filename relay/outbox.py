"""The durable outbox: every accepted request body is a row in an embedded SQLite database
before the 2xx goes back, and is deleted only once every event in it is settled.

Rows are whole request bodies (one insert per batch of ~100 events, not per event): what was
received, byte for byte, so a restart replays exactly what Braze handed over.

Durability: WAL journal with ``synchronous=NORMAL``: a committed row survives the process being
killed (``kill -9``: the WAL is in the OS's cache); only a power loss or OS crash could lose the
last commits (SQLite, "Write-Ahead Logging" and "PRAGMA synchronous": in WAL mode NORMAL is
"safe from corruption" and durability is lost only "following a power loss or system crash",
https://www.sqlite.org/pragma.html#pragma_synchronous). ``durable=True`` (``FULL``) fsyncs each
commit for that case too.

One connection shared by the receiving threads and the delivery thread, behind a lock: SQLite
serialises writers anyway, and a commit without fsync takes microseconds.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

FILE_NAME = "outbox.sqlite3"
PAGE_ROWS = 10_000  # rows ``pending`` reads at a time
SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    row INTEGER PRIMARY KEY AUTOINCREMENT,
    accepted_at REAL NOT NULL,
    events INTEGER NOT NULL,
    body BLOB NOT NULL
)
"""


class Stored(NamedTuple):
    """One stored row: its events' count, when it was accepted, and the body as received."""

    events: int
    accepted_at: float
    body: bytes


class OutboxError(Exception):
    """The outbox cannot be opened (a data dir that is a file, not writable, not a database)."""


class Outbox:
    """Accepted batches not yet settled, in a SQLite file under ``data_dir``."""

    def __init__(self, data_dir: Path, *, durable: bool = False) -> None:
        self.path = data_dir / FILE_NAME
        self._lock = threading.Lock()
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise OutboxError(f"cannot open the outbox {self.path}: {exc}") from None
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
            self._db.execute(SCHEMA)
        except sqlite3.Error as exc:
            self._db.close()
            raise OutboxError(f"cannot open the outbox {self.path}: {exc}") from None

    def append(self, body: bytes, events: int, accepted_at: float) -> int:
        """Store one accepted request body (committed when this returns); its row id."""
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO outbox (accepted_at, events, body) VALUES (?, ?, ?)",
                (accepted_at, events, body),
            )
        row = cursor.lastrowid
        assert row is not None  # an INSERT always sets it
        return row

    def forget(self, rows: list[int]) -> None:
        """Delete settled rows, in one transaction."""
        if not rows:
            return
        with self._lock:
            self._db.execute("BEGIN")
            self._db.executemany("DELETE FROM outbox WHERE row = ?", [(r,) for r in rows])
            self._db.execute("COMMIT")

    def pending(self, page: int = PAGE_ROWS) -> Iterator[tuple[int, int]]:
        """(row, events) of the rows not yet settled, oldest first, read ``page`` rows at a
        time (a backlog of days is not loaded whole; bodies stay on disk until ``read``)."""
        after = 0
        while True:
            with self._lock:
                found = self._db.execute(
                    "SELECT row, events FROM outbox WHERE row > ? ORDER BY row LIMIT ?",
                    (after, page),
                ).fetchall()
            yield from found
            if len(found) < page:
                return
            after = found[-1][0]

    def read(self, row: int) -> Stored:
        """What was stored as ``row``."""
        with self._lock:
            found = self._db.execute(
                "SELECT events, accepted_at, body FROM outbox WHERE row = ?", (row,)
            ).fetchone()
        if found is None:
            raise KeyError(row)
        return Stored(int(found[0]), float(found[1]), bytes(found[2]))

    def count(self) -> tuple[int, int]:
        """Rows and events stored."""
        with self._lock:
            rows, events = self._db.execute(
                "SELECT count(*), coalesce(sum(events), 0) FROM outbox"
            ).fetchone()
        return int(rows), int(events)

    def close(self) -> None:
        with self._lock:
            self._db.close()
