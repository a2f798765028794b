"""Content comparison in bounded memory: produced Currents events vs received Amplitude events.

Two streaming passes over re-readable inputs (``Source``: a callable returning a fresh
iterable), with an on-disk SQLite database (stdlib ``sqlite3``, a temporary file removed on
``close``) holding the state:

1. every produced record goes through the reference transformer and is stored as
   ``(ordinal, insert_id, fingerprint)``; every received event as ``(seq, insert_id,
   fingerprint)``. A fingerprint is a 64-bit hash of the event's canonical JSON (``orjson``,
   sorted keys), so two events have the same fingerprint when they are equal as JSON objects;
   rows are a few dozen bytes, and Python holds one batch of them at a time;
2. SQL joins find missing, extra and duplicated ids and the pairs whose fingerprints differ.
   Only if there are any, the inputs are read again and just the events needed (both sides of
   each differing pair, plus a few examples) are stored whole, marked in two bitmaps
   (one bit per record); ``diff.diff_event`` then explains each pair field by field.

A clean run costs one pass; a run where every event differs costs two passes and disk, never
memory proportional to the input. Findings are counted in full but only the first
``Tally.examples_per_rule`` per rule are kept.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson

from simulator.conformance.diff import diff_event, show
from simulator.conformance.received import received_events
from simulator.conformance.report import Finding, Tally
from simulator.currents.catalogue import Profile
from simulator.transform import Skipped, transform

Source = Callable[[], Iterable[Any]]

_BATCH = 10_000
_SORTED = orjson.OPT_SORT_KEYS
_NO_ID = "\x00"  # prefix of the synthetic key of a received event without a usable insert_id

_SCHEMA = """
CREATE TABLE expected (ord INTEGER PRIMARY KEY, id TEXT NOT NULL, fp INTEGER NOT NULL);
CREATE TABLE skipped (id TEXT NOT NULL, reason TEXT NOT NULL);
CREATE TABLE received (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, fp INTEGER NOT NULL);
CREATE TABLE xexp (ord INTEGER PRIMARY KEY, blob BLOB NOT NULL);
CREATE TABLE xrec (seq INTEGER PRIMARY KEY, blob BLOB NOT NULL);
"""
_INDEX = """
CREATE TABLE efirst AS SELECT id, min(ord) AS ord FROM expected GROUP BY id;
CREATE UNIQUE INDEX efirst_id ON efirst(id);
CREATE TABLE rfirst AS SELECT id, min(seq) AS seq, count(*) AS n FROM received GROUP BY id;
CREATE UNIQUE INDEX rfirst_id ON rfirst(id);
CREATE INDEX skipped_id ON skipped(id);
CREATE TABLE pairs AS
  SELECT e.ord AS ord, r.seq AS seq, r.id AS id FROM rfirst r
  JOIN efirst e ON e.id = r.id JOIN expected ex ON ex.ord = e.ord
  JOIN received rx ON rx.seq = r.seq WHERE ex.fp != rx.fp;
"""
_MISSING = """
SELECT e.ord, e.id FROM efirst e WHERE NOT EXISTS (SELECT 1 FROM rfirst r WHERE r.id = e.id)
ORDER BY e.ord
"""
_EXTRA = """
SELECT r.seq, r.id, (SELECT s.reason FROM skipped s WHERE s.id = r.id LIMIT 1) FROM rfirst r
WHERE NOT EXISTS (SELECT 1 FROM efirst e WHERE e.id = r.id) ORDER BY r.seq
"""
_DUPLICATED = "SELECT id, n FROM rfirst WHERE n > 1 AND substr(id, 1, 1) != ? ORDER BY seq"
_PAIRS = """
SELECT p.id, xe.blob, xr.blob FROM pairs p
JOIN xexp xe ON xe.ord = p.ord JOIN xrec xr ON xr.seq = p.seq ORDER BY p.seq
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


class _Bits:
    """A set of small non-negative ints as a bitmap (1 bit per record)."""

    def __init__(self, size: int) -> None:
        self.data = bytearray((size >> 3) + 1)

    def add(self, i: int) -> None:
        self.data[i >> 3] |= 1 << (i & 7)

    def __contains__(self, i: int) -> bool:
        return bool(self.data[i >> 3] >> (i & 7) & 1)


def fingerprint(event: Any) -> int:
    return hash(_canonical(event))


def _canonical(event: Any) -> bytes:
    try:
        return orjson.dumps(event, option=_SORTED)
    except (orjson.JSONEncodeError, TypeError):
        return orjson.dumps(repr(event))


class ContentCheck:
    """``run(produced, received, tally)`` once; use as a context manager, or call ``close``.

    ``pretransformed=True`` means ``produced`` yields reference Amplitude events already (e.g.
    the output of ``currents-sim transform``) instead of Currents records.
    """

    def __init__(
        self, profile: Profile = "page", workdir: str | None = None, *, pretransformed: bool = False
    ) -> None:
        self.profile: Profile = profile
        self.pretransformed = pretransformed
        self.result = ContentResult()
        fd, self._path = tempfile.mkstemp(prefix="conformance-", suffix=".sqlite", dir=workdir)
        os.close(fd)
        self._db = sqlite3.connect(self._path)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-32000",
                       "temp_store=FILE", "locking_mode=EXCLUSIVE"):  # fmt: skip
            self._db.execute(f"PRAGMA {pragma}")
        self._db.executescript(_SCHEMA)
        self._ords = self._seqs = 0  # records seen on each side (sizes of the pass-2 bitmaps)

    def __enter__(self) -> ContentCheck:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()
        if os.path.exists(self._path):
            os.unlink(self._path)

    def run(self, produced: Source, received: Source, tally: Tally) -> ContentResult:
        self._load_expected(produced)
        self._load_received(received)
        self._db.executescript(_INDEX)
        self._judge(produced, received, tally)
        return self.result

    # -- pass 1 ---------------------------------------------------------------------------------
    def _expected(
        self, produced: Source, first_pass: bool = False
    ) -> Iterator[tuple[int, dict[str, Any]]]:
        """(ordinal, reference event) for every exportable produced record; the first pass
        also counts the records and their skips, and stores the skipped ids."""
        result, profile = self.result, self.profile
        skipped: list[tuple[str, str]] = []
        ordinal = -1
        for ordinal, record in enumerate(produced()):
            if self.pretransformed:
                yield ordinal, record
                continue
            outcome = transform(record, profile) if isinstance(record, dict) else None
            if isinstance(outcome, Skipped) or outcome is None:
                if first_pass:
                    result.skipped[outcome.code if outcome else "malformed"] += 1
                    if outcome is not None and outcome.event_id is not None:
                        skipped.append((outcome.event_id, outcome.reason))
                    if len(skipped) >= _BATCH:
                        self._db.executemany("INSERT INTO skipped VALUES (?, ?)", skipped)
                        skipped = []
                continue
            yield ordinal, outcome.event
        if first_pass:
            self._db.executemany("INSERT INTO skipped VALUES (?, ?)", skipped)
            result.produced = self._ords = ordinal + 1

    def _load_expected(self, produced: Source) -> None:
        rows: list[tuple[int, str, int]] = []
        insert = "INSERT INTO expected VALUES (?, ?, ?)"
        for ordinal, event in self._expected(produced, first_pass=True):
            rows.append((ordinal, event["insert_id"], hash(orjson.dumps(event, option=_SORTED))))
            if len(rows) >= _BATCH:
                self._db.executemany(insert, rows)
                rows = []
        self._db.executemany(insert, rows)
        self.result.expected = self._count("expected")

    def _received(self, received: Source) -> Iterator[tuple[int, Any]]:
        seq = 0
        for doc in received():
            for event in received_events(doc):
                seq += 1
                yield seq, event

    def _load_received(self, received: Source) -> None:
        rows: list[tuple[int, str, int]] = []
        insert = "INSERT INTO received VALUES (?, ?, ?)"
        seq = 0
        for seq, event in self._received(received):
            rows.append((seq, _key(event, seq), fingerprint(event)))
            if len(rows) >= _BATCH:
                self._db.executemany(insert, rows)
                rows = []
        self._db.executemany(insert, rows)
        self.result.received = self._seqs = seq

    def _count(self, table: str) -> int:
        return int(self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    # -- verdicts (and pass 2 when anything needs explaining) -----------------------------------
    def _judge(self, produced: Source, received: Source, tally: Tally) -> None:
        db, result, keep = self._db, self.result, tally.examples_per_rule
        missing = db.execute(_MISSING).fetchmany(keep) if keep else []
        paired = self._scalar("SELECT count(*) FROM rfirst r JOIN efirst e ON e.id = r.id")
        result.missing = self._count("efirst") - paired
        extra = db.execute(_EXTRA).fetchmany(keep) if keep else []
        result.extra = self._count("rfirst") - paired
        n_pairs = self._count("pairs")
        if n_pairs or missing or extra:
            self._fetch_details(produced, received, [o for o, _ in missing], [s for s, *_ in extra])
        for ordinal, event_id in missing:
            tally.add(_missing(event_id, self._blob("xexp", "ord", ordinal)))
        tally.bump("missing", result.missing - len(missing))
        for seq, key, reason in extra:
            tally.add(_extra(key, self._blob("xrec", "seq", seq), reason))
        tally.bump("extra", result.extra - len(extra))
        for event_id, copies in db.execute(_DUPLICATED, (_NO_ID,)):
            result.duplicated += 1
            tally.add(Finding("duplicated", event_id, f"received {copies} times"))
        for event_id, expected, got in db.execute(_PAIRS):
            differences = diff_event(orjson.loads(expected), orjson.loads(got))
            if differences:
                result.mismatched += 1
                for rule, text in differences:
                    tally.add(Finding(rule, event_id, text))
        result.matched = paired - result.mismatched

    def _scalar(self, sql: str) -> int:
        return int(self._db.execute(sql).fetchone()[0])

    def _blob(self, table: str, column: str, key: int) -> Any:
        row = self._db.execute(f"SELECT blob FROM {table} WHERE {column} = ?", (key,)).fetchone()
        return orjson.loads(row[0])

    def _fetch_details(
        self, produced: Source, received: Source, ords: list[int], seqs: list[int]
    ) -> None:
        """Pass 2: store whole only the events that must be explained."""
        want_ord, want_seq = _Bits(self._ords), _Bits(self._seqs)
        for o in ords:
            want_ord.add(o)
        for s in seqs:
            want_seq.add(s)
        for o, s in self._db.execute("SELECT ord, seq FROM pairs"):
            want_ord.add(o)
            want_seq.add(s)
        self._store("xexp", ((o, e) for o, e in self._expected(produced) if o in want_ord))
        self._store("xrec", ((s, e) for s, e in self._received(received) if s in want_seq))

    def _store(self, table: str, items: Iterable[tuple[int, Any]]) -> None:
        rows: list[tuple[int, bytes]] = []
        for key, event in items:
            rows.append((key, _canonical(event)))
            if len(rows) >= _BATCH:
                self._db.executemany(f"INSERT OR IGNORE INTO {table} VALUES (?, ?)", rows)
                rows = []
        self._db.executemany(f"INSERT OR IGNORE INTO {table} VALUES (?, ?)", rows)


def _key(event: Any, seq: int) -> str:
    insert_id = event.get("insert_id") if isinstance(event, dict) else None
    if isinstance(insert_id, str) and insert_id and not insert_id.startswith(_NO_ID):
        return insert_id
    return f"{_NO_ID}{seq}"


def _missing(event_id: str, event: dict[str, Any]) -> Finding:
    who = event.get("user_id") or event.get("device_id")
    return Finding("missing", event_id, f"{event.get('event_type')} for {who!r} never arrived")


def _extra(key: str, event: Any, skip_reason: str | None) -> Finding:
    if not isinstance(event, dict):
        return Finding("extra", None, f"received a non-object: {show(event)}")
    if key.startswith(_NO_ID):
        return Finding("extra", None, f"{event.get('event_type')} received without an insert_id")
    if skip_reason is not None:
        return Finding("extra", key, f"sent although Braze skips it: {skip_reason}")
    return Finding("extra", key, f"{event.get('event_type')} matches no produced event")
