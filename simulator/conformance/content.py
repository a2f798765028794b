"""Content comparison in bounded memory: produced Currents events vs received Amplitude events.

Two streaming passes over re-readable inputs (``Source``: a callable returning a fresh
iterable); no event is ever held in memory whole:

1. every produced record goes through the reference transformer and leaves three 8-byte
   numbers: its ordinal, a 64-bit hash of its ``insert_id`` and a 64-bit *fingerprint* (hash of
   the event's canonical JSON: ``orjson``, sorted keys); every received event leaves its
   sequence number, id hash and fingerprint. That is 24 bytes per event per side, in
   ``array('q')`` buffers, instead of the ~1 KB event. Sorting those arrays (numpy, in C)
   finds missing, extra and duplicated ids and the pairs whose fingerprints differ;
2. only if something must be explained (differing pairs, plus the first few missing, extra
   and duplicated examples) are the inputs read again, and just the events marked in two
   bitmaps (one byte per record) are stored whole, in a temporary on-disk SQLite file
   (stdlib ``sqlite3``, removed on ``close``); ``diff.diff_event`` explains each pair there.

A clean run costs one pass and ~50 bytes per event; a run where every event differs costs two
passes and disk. Two different ids colliding on a 64-bit hash is ~3e-8 likely at a million
events (birthday bound); the ids shown in findings are read back from the events themselves.
Findings are counted in full, but only the first ``Tally.examples_per_rule`` per rule are kept.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson

from simulator.conformance.diff import diff_event, show
from simulator.conformance.received import received_events
from simulator.conformance.report import Finding, Tally
from simulator.currents.catalogue import Profile
from simulator.transform import Skipped, Transformed, transform

Source = Callable[[], Iterable[Any]]
Ints = npt.NDArray[np.int64]

_BATCH = 10_000
_SORTED = orjson.OPT_SORT_KEYS
_NO_ID = "\x00"  # prefix of the synthetic key of a received event without a usable insert_id

_SCHEMA = """
CREATE TABLE xexp (ord INTEGER PRIMARY KEY, blob BLOB NOT NULL);
CREATE TABLE xrec (seq INTEGER PRIMARY KEY, blob BLOB NOT NULL);
CREATE TABLE pairs (ord INTEGER NOT NULL, seq INTEGER NOT NULL);
"""
_PAIRS = """
SELECT xe.blob, xr.blob FROM pairs p
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


def _canonical(event: Any) -> bytes:
    try:
        return orjson.dumps(event, option=_SORTED)
    except (orjson.JSONEncodeError, TypeError):
        return orjson.dumps(repr(event))


class _Side:
    """Position, id hash and fingerprint of each event of one side, as parallel arrays."""

    def __init__(self) -> None:
        self.pos, self.key, self.fp = array("q"), array("q"), array("q")

    def first_of_each_key(self) -> tuple[Ints, Ints, Ints]:
        """(unique keys sorted, index of each key's first occurrence, occurrences per key)."""
        keys = np.frombuffer(self.key, dtype=np.int64) if self.key else np.empty(0, np.int64)
        order = np.argsort(keys, kind="stable").astype(np.int64)
        ordered = keys[order]
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if len(keys) else order
        counts = np.diff(np.r_[starts, len(keys)]).astype(np.int64)
        return ordered[starts], order[starts], counts

    def column(self, name: str) -> Ints:
        data = getattr(self, name)
        return np.frombuffer(data, dtype=np.int64) if data else np.empty(0, np.int64)


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
        self.workdir = workdir
        self.result = ContentResult()
        self._expected_side, self._received_side = _Side(), _Side()
        self._skipped_keys = array("q")
        self._skipped_reason: dict[int, str] = {}  # id hash -> reason, first few only
        self._db: sqlite3.Connection | None = None
        self._path: str | None = None

    def __enter__(self) -> ContentCheck:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._path is not None and os.path.exists(self._path):
            os.unlink(self._path)

    def _database(self) -> sqlite3.Connection:
        if self._db is None:
            fd, self._path = tempfile.mkstemp(prefix="conformance-", suffix=".sqlite",
                                              dir=self.workdir)  # fmt: skip
            os.close(fd)
            self._db = sqlite3.connect(self._path)
            for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-16000",
                           "locking_mode=EXCLUSIVE"):  # fmt: skip
                self._db.execute(f"PRAGMA {pragma}")
            self._db.executescript(_SCHEMA)
        return self._db

    def run(self, produced: Source, received: Source, tally: Tally) -> ContentResult:
        self._load_expected(produced)
        self._load_received(received)
        self._judge(produced, received, tally)
        return self.result

    # -- pass 1 ---------------------------------------------------------------------------------
    def _expected(self, produced: Source) -> Iterator[tuple[int, dict[str, Any]]]:
        """(ordinal, reference event) for every exportable produced record (pass 2)."""
        for ordinal, record in enumerate(produced()):
            if self.pretransformed:
                yield ordinal, record
                continue
            outcome = transform(record, self.profile) if isinstance(record, dict) else None
            if isinstance(outcome, Transformed):
                yield ordinal, outcome.event

    def _note_skip(self, outcome: Skipped | None) -> None:
        self.result.skipped[outcome.code if outcome else "malformed"] += 1
        if outcome is not None and outcome.event_id is not None:
            key = hash(outcome.event_id)
            self._skipped_keys.append(key)
            if len(self._skipped_reason) < 10_000:
                self._skipped_reason.setdefault(key, outcome.reason)

    def _load_expected(self, produced: Source) -> None:
        """Pass 1: transform, count skips, keep (ordinal, id hash, fingerprint) per event."""
        side = self._expected_side
        pos, key, fp = side.pos.append, side.key.append, side.fp.append
        dumps, profile, pretransformed = orjson.dumps, self.profile, self.pretransformed
        ordinal = -1
        for ordinal, record in enumerate(produced()):
            if pretransformed:
                event = record
            else:
                outcome = transform(record, profile) if isinstance(record, dict) else None
                if not isinstance(outcome, Transformed):
                    self._note_skip(outcome)
                    continue
                event = outcome.event
            pos(ordinal)
            key(hash(event["insert_id"]))
            fp(hash(dumps(event, option=_SORTED)))
        self.result.produced = ordinal + 1
        self.result.expected = len(side.pos)

    def _received(self, received: Source) -> Iterator[tuple[int, Any]]:
        seq = 0
        for doc in received():
            for event in received_events(doc):
                seq += 1
                yield seq, event

    def _load_received(self, received: Source) -> None:
        side = self._received_side
        key, fp = side.key.append, side.fp.append
        dumps, no_id = orjson.dumps, _NO_ID
        seq = 0
        for doc in received():
            # Fast path for a plain HTTP API event; any other shape goes through received_events.
            if type(doc) is dict and "insert_id" in doc and "outcome" not in doc:
                events: Iterable[Any] = (doc,)
            else:
                events = received_events(doc)
            for event in events:
                seq += 1
                insert_id = event.get("insert_id") if type(event) is dict else None
                if type(insert_id) is not str or not insert_id or insert_id[0] == no_id:
                    insert_id = f"{no_id}{seq}"
                key(hash(insert_id))
                try:
                    fp(hash(dumps(event, option=_SORTED)))
                except (orjson.JSONEncodeError, TypeError):
                    fp(hash(orjson.dumps(repr(event))))
        side.pos.extend(range(1, seq + 1))
        self.result.received = seq

    # -- verdicts (and pass 2 when anything needs explaining) -----------------------------------
    def _judge(self, produced: Source, received: Source, tally: Tally) -> None:
        result, keep = self.result, tally.examples_per_rule
        exp, rec = self._expected_side, self._received_side
        e_keys, e_first, _ = exp.first_of_each_key()
        r_keys, r_first, r_counts = rec.first_of_each_key()
        ie, ir = _match(e_keys, r_keys)
        e_ord, r_seq = exp.column("pos"), rec.column("pos")
        paired = len(ie)
        result.missing = len(e_keys) - paired
        result.extra = len(r_keys) - paired
        unmatched_e = np.ones(len(e_keys), bool)
        unmatched_e[ie] = False
        unmatched_r = np.ones(len(r_keys), bool)
        unmatched_r[ir] = False
        missing = np.sort(e_ord[e_first[unmatched_e]])[:keep]
        extra_first = r_first[unmatched_r]
        extra_order = np.argsort(r_seq[extra_first], kind="stable")[:keep]
        extra = r_seq[extra_first[extra_order]]
        extra_keys = rec.column("key")[extra_first[extra_order]]
        dup = r_counts > 1
        result.duplicated = int(dup.sum())
        dup_order = np.argsort(r_seq[r_first[dup]], kind="stable")[:keep]
        duplicated = r_seq[r_first[dup][dup_order]]
        dup_counts = r_counts[dup][dup_order]
        differ = exp.column("fp")[e_first[ie]] != rec.column("fp")[r_first[ir]]
        pair_ord, pair_seq = e_ord[e_first[ie][differ]], r_seq[r_first[ir][differ]]
        if len(pair_ord) or len(missing) or len(extra) or len(duplicated):
            self._fetch_details(produced, received, np.r_[missing, pair_ord],
                                np.r_[extra, duplicated, pair_seq])  # fmt: skip
            self._pairs(pair_ord, pair_seq)
        for ordinal in missing.tolist():
            tally.add(_missing(self._blob("xexp", "ord", ordinal)))
        tally.bump("missing", result.missing - len(missing))
        skipped_keys = set(np.intersect1d(extra_keys, self.skipped_keys()).tolist())
        for seq, key in zip(extra.tolist(), extra_keys.tolist(), strict=True):
            reason = None
            if key in skipped_keys:
                reason = self._skipped_reason.get(key, "no ids or not exported")
            tally.add(_extra(self._blob("xrec", "seq", seq), reason))
        tally.bump("extra", result.extra - len(extra))
        for seq, copies in zip(duplicated.tolist(), dup_counts.tolist(), strict=True):
            event = self._blob("xrec", "seq", seq)
            tally.add(Finding("duplicated", _event_id(event), f"received {copies} times"))
        tally.bump("duplicated", result.duplicated - len(duplicated))
        if len(pair_ord):
            for expected, got in self._database().execute(_PAIRS):
                self._explain(orjson.loads(expected), orjson.loads(got), tally)
        result.matched = paired - result.mismatched

    def skipped_keys(self) -> Ints:
        if not self._skipped_keys:
            return np.empty(0, np.int64)
        return np.frombuffer(self._skipped_keys, np.int64)

    def _explain(self, expected: dict[str, Any], got: dict[str, Any], tally: Tally) -> None:
        differences = diff_event(expected, got)
        if differences:
            self.result.mismatched += 1
            for rule, text in differences:
                tally.add(Finding(rule, _event_id(expected), text))

    def _pairs(self, ords: Ints, seqs: Ints) -> None:
        db = self._database()
        for start in range(0, len(ords), _BATCH):
            rows = zip(ords[start : start + _BATCH].tolist(), seqs[start : start + _BATCH].tolist(),
                       strict=True)  # fmt: skip
            db.executemany("INSERT INTO pairs VALUES (?, ?)", rows)

    def _blob(self, table: str, column: str, key: int) -> Any:
        db = self._database()
        row = db.execute(f"SELECT blob FROM {table} WHERE {column} = ?", (key,)).fetchone()
        return orjson.loads(row[0])

    def _fetch_details(self, produced: Source, received: Source, ords: Ints, seqs: Ints) -> None:
        """Pass 2: store whole only the events that must be explained."""
        want_ord = np.zeros(self.result.produced + 1, bool)
        want_ord[ords] = True
        want_seq = np.zeros(self.result.received + 1, bool)
        want_seq[seqs] = True
        self._store("xexp", ((o, e) for o, e in self._expected(produced) if want_ord[o]))
        self._store("xrec", ((s, e) for s, e in self._received(received) if want_seq[s]))

    def _store(self, table: str, items: Iterable[tuple[int, Any]]) -> None:
        db = self._database()
        rows: list[tuple[int, bytes]] = []
        for key, event in items:
            rows.append((key, _canonical(event)))
            if len(rows) >= _BATCH:
                db.executemany(f"INSERT OR IGNORE INTO {table} VALUES (?, ?)", rows)
                rows = []
        db.executemany(f"INSERT OR IGNORE INTO {table} VALUES (?, ?)", rows)


def _match(left: Ints, right: Ints) -> tuple[Ints, Ints]:
    """Indices (into each) of the keys both sorted unique arrays hold; O(n log n), no copies of
    the concatenated arrays (``np.intersect1d`` would sort both together)."""
    if not len(left) or not len(right):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    at = np.searchsorted(left, right)
    np.minimum(at, len(left) - 1, out=at)
    found = left[at] == right
    return at[found].astype(np.int64), np.flatnonzero(found).astype(np.int64)


def _event_id(event: Any) -> str | None:
    insert_id = event.get("insert_id") if isinstance(event, dict) else None
    return insert_id if isinstance(insert_id, str) and insert_id else None


def _missing(event: dict[str, Any]) -> Finding:
    who = event.get("user_id") or event.get("device_id")
    return Finding(
        "missing", _event_id(event), f"{event.get('event_type')} for {who!r} never arrived"
    )


def _extra(event: Any, skip_reason: str | None) -> Finding:
    if not isinstance(event, dict):
        return Finding("extra", None, f"received a non-object: {show(event)}")
    event_id = _event_id(event)
    if event_id is None:
        return Finding("extra", None, f"{event.get('event_type')} received without an insert_id")
    if skip_reason is not None:
        return Finding("extra", event_id, f"sent although Braze skips it: {skip_reason}")
    return Finding("extra", event_id, f"{event.get('event_type')} matches no produced event")
