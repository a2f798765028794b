"""Content comparison in bounded memory: produced Currents events vs received Amplitude events.

Both sides are streamed into an on-disk SQLite database (stdlib ``sqlite3``, a temporary file
removed on ``close``) as ``(insert_id, canonical JSON)`` rows, so a million events cost disk,
not RAM: Python holds one batch of rows at a time, SQLite a fixed page cache. The set logic
(missing, extra, duplicated, changed) runs as SQL joins; only events whose canonical bytes
differ are decoded again and explained field by field by ``diff.diff_event``. Findings are
counted in full, but only the first ``examples`` per rule are kept.

Canonical JSON = ``orjson`` with sorted keys, so two events are byte-equal exactly when they
are equal as JSON objects (up to ``1`` vs ``1.0``, which ``diff_event`` then forgives).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson

from simulator.conformance.diff import diff_event, show
from simulator.conformance.received import received_events
from simulator.conformance.report import Finding, Tally
from simulator.currents.catalogue import Profile
from simulator.transform import Skipped, transform

_BATCH = 20_000
_SORTED = orjson.OPT_SORT_KEYS
_NO_ID = "\x00"  # prefix of the synthetic key of a received event without a usable insert_id

_SCHEMA = """
CREATE TABLE expected (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, blob BLOB NOT NULL);
CREATE TABLE skipped (id TEXT NOT NULL, code TEXT NOT NULL, reason TEXT NOT NULL);
CREATE TABLE received (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, blob BLOB NOT NULL);
"""
_INDEX = """
CREATE TABLE efirst AS SELECT id, min(seq) AS seq FROM expected GROUP BY id;
CREATE UNIQUE INDEX efirst_id ON efirst(id);
CREATE TABLE rfirst AS SELECT id, min(seq) AS seq, count(*) AS n FROM received GROUP BY id;
CREATE UNIQUE INDEX rfirst_id ON rfirst(id);
CREATE INDEX skipped_id ON skipped(id);
"""
_MISSING = """
SELECT e.id, x.blob FROM efirst e JOIN expected x ON x.seq = e.seq
WHERE NOT EXISTS (SELECT 1 FROM rfirst r WHERE r.id = e.id) ORDER BY e.seq
"""
_EXTRA = """
SELECT r.id, x.blob, (SELECT s.reason FROM skipped s WHERE s.id = r.id LIMIT 1)
FROM rfirst r JOIN received x ON x.seq = r.seq
WHERE NOT EXISTS (SELECT 1 FROM efirst e WHERE e.id = r.id) ORDER BY r.seq
"""
_DUPLICATED = "SELECT id, n FROM rfirst WHERE n > 1 AND substr(id, 1, 1) != ? ORDER BY seq"
_CHANGED = """
SELECT r.id, ex.blob, rx.blob FROM rfirst r
JOIN efirst e ON e.id = r.id JOIN expected ex ON ex.seq = e.seq JOIN received rx ON rx.seq = r.seq
WHERE ex.blob != rx.blob ORDER BY r.seq
"""


@dataclass
class ContentResult:
    produced: int = 0
    expected: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    received: int = 0
    matched: int = 0
    missing: int = 0
    extra: int = 0
    duplicated: int = 0
    mismatched: int = 0


class ContentCheck:
    """Feed ``add_produced`` and ``add_received`` (any order, any number of calls), then
    ``finish(tally)``. Use as a context manager, or call ``close``."""

    def __init__(self, profile: Profile = "page", workdir: str | None = None) -> None:
        self.profile: Profile = profile
        self.result = ContentResult()
        fd, self._path = tempfile.mkstemp(prefix="conformance-", suffix=".sqlite", dir=workdir)
        os.close(fd)
        self._db = sqlite3.connect(self._path)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-32000",
                       "temp_store=FILE", "locking_mode=EXCLUSIVE"):  # fmt: skip
            self._db.execute(f"PRAGMA {pragma}")
        self._db.executescript(_SCHEMA)
        self._received_seq = 0

    def __enter__(self) -> ContentCheck:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()
        if os.path.exists(self._path):
            os.unlink(self._path)

    def add_produced(self, records: Iterable[Any]) -> None:
        """Currents records (flat or http); each is run through the reference transformer."""
        rows: list[tuple[str, bytes]] = []
        skipped: list[tuple[str, str, str]] = []
        result, profile, insert = self.result, self.profile, self._insert_expected
        for record in records:
            result.produced += 1
            outcome = transform(record, profile) if isinstance(record, dict) else None
            if outcome is None:
                result.skipped["malformed"] += 1
            elif isinstance(outcome, Skipped):
                result.skipped[outcome.code] += 1
                if outcome.event_id is not None:
                    skipped.append((outcome.event_id, outcome.code, outcome.reason))
            else:
                rows.append(
                    (outcome.event["insert_id"], orjson.dumps(outcome.event, option=_SORTED))
                )
                if len(rows) >= _BATCH:
                    insert(rows)
                    rows = []
        insert(rows)
        self.result.expected = self._count("expected")
        self._db.executemany("INSERT INTO skipped VALUES (?, ?, ?)", skipped)

    def add_expected_events(self, events: Iterable[dict[str, Any]]) -> None:
        """Already-transformed reference events (benchmarks, or a reference run elsewhere)."""
        rows = [(e["insert_id"], orjson.dumps(e, option=_SORTED)) for e in events]
        self._insert_expected(rows)
        self.result.produced += len(rows)
        self.result.expected = self._count("expected")

    def _insert_expected(self, rows: list[tuple[str, bytes]]) -> None:
        self._db.executemany("INSERT INTO expected (id, blob) VALUES (?, ?)", rows)

    def add_received(self, docs: Iterable[Any]) -> None:
        """Received documents in any shape ``received_events`` understands."""
        rows: list[tuple[int, str, bytes]] = []
        seq = self._received_seq
        for doc in docs:
            for event in received_events(doc):
                seq += 1
                rows.append((seq, _key(event, seq), _canonical(event)))
            if len(rows) >= _BATCH:
                self._insert_received(rows)
                rows = []
        self._insert_received(rows)
        self._received_seq = seq
        self.result.received = seq

    def _insert_received(self, rows: list[tuple[int, str, bytes]]) -> None:
        self._db.executemany("INSERT INTO received VALUES (?, ?, ?)", rows)

    def _count(self, table: str) -> int:
        return int(self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def finish(self, tally: Tally) -> ContentResult:
        db, result = self._db, self.result
        db.executescript(_INDEX)
        for event_id, blob in db.execute(_MISSING):
            result.missing += 1
            tally.add(_missing(event_id, blob))
        for key, blob, reason in db.execute(_EXTRA):
            result.extra += 1
            tally.add(_extra(key, blob, reason))
        for event_id, copies in db.execute(_DUPLICATED, (_NO_ID,)):
            result.duplicated += 1
            tally.add(Finding("duplicated", event_id, f"received {copies} times"))
        for event_id, expected, received in db.execute(_CHANGED):
            differences = diff_event(orjson.loads(expected), orjson.loads(received))
            if differences:
                result.mismatched += 1
                for rule, text in differences:
                    tally.add(Finding(rule, event_id, text))
        paired = int(db.execute("SELECT count(*) FROM rfirst r JOIN efirst e ON e.id = r.id")
                     .fetchone()[0])  # fmt: skip
        result.matched = paired - result.mismatched
        return result


def _key(event: Any, seq: int) -> str:
    insert_id = event.get("insert_id") if isinstance(event, dict) else None
    if isinstance(insert_id, str) and insert_id and not insert_id.startswith(_NO_ID):
        return insert_id
    return f"{_NO_ID}{seq}"


def _canonical(event: Any) -> bytes:
    try:
        return orjson.dumps(event, option=_SORTED)
    except (orjson.JSONEncodeError, TypeError):
        return orjson.dumps(repr(event))


def _missing(event_id: str, blob: bytes) -> Finding:
    event = orjson.loads(blob)
    who = event.get("user_id") or event.get("device_id")
    return Finding("missing", event_id, f"{event.get('event_type')} for {who!r} never arrived")


def _extra(key: str, blob: bytes, skip_reason: str | None) -> Finding:
    event = orjson.loads(blob)
    if key.startswith(_NO_ID):
        what = event.get("event_type") if isinstance(event, dict) else None
        if not isinstance(event, dict):
            return Finding("extra", None, f"received a non-object: {show(event)}")
        return Finding("extra", None, f"{what} received without an insert_id")
    if skip_reason is not None:
        return Finding("extra", key, f"sent although Braze skips it: {skip_reason}")
    return Finding("extra", key, f"{event.get('event_type')} matches no produced event")
