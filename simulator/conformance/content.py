"""Content comparison in bounded memory: produced Currents events vs received Amplitude events.

Two streaming passes over re-readable inputs (``Source``: a callable returning a fresh
iterable); no event is ever held in memory whole:

1. every produced record goes through the reference transformer and leaves three 8-byte
   numbers: its ordinal, a 64-bit hash of its ``insert_id`` and a 64-bit *fingerprint* (hash of
   the event's canonical JSON: ``orjson``, sorted keys); every received event leaves its
   sequence number, id hash and fingerprint. Those rows go to ``spill.Sorter``s, which keep
   them in memory up to a budget (``memory``, default 64 MiB) and beyond it spill sorted runs
   to a temporary directory. Reading the sorters back by id-hash range (``spill.key_ranges``),
   each range holds every row of its ids on both sides, so missing, extra and duplicated ids
   and the pairs whose fingerprints differ are found range by range, with numpy. Counts are
   exact; only the first few examples per verdict are kept, and the differing pairs (as many
   as the events) go to two more sorters, by ordinal and by sequence number;
2. only if something must be explained are the inputs read again, each in its own order: the
   produced events of differing pairs are stored whole in a temporary on-disk SQLite file
   (stdlib ``sqlite3``) keyed by ordinal; then, walking the received events, each one of a
   differing pair is explained against its stored reference (``diff.diff_event``), in the
   order it arrived. The events shown as examples are stored there too.

The comparison's memory stays within about ``memory`` (SQLite's page cache included; measured
by ``bench_conformance``), whatever the input size or the number of examples asked for; the
result does not depend on whether anything was spilled. A clean run costs one pass; a run
where every event differs costs two passes and disk. Two different ids colliding on a 64-bit
hash is ~3e-8 likely at a million events (birthday bound); the ids shown in findings are read
back from the events themselves.
"""

from __future__ import annotations

import heapq
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import orjson

from simulator.conformance.diff import diff_event, show
from simulator.conformance.received import received_events
from simulator.conformance.report import Finding, Tally
from simulator.conformance.spill import Budget, Columns, Ints, Sorter, Spool, ascending, key_ranges
from simulator.currents.catalogue import Profile
from simulator.transform import Skipped, Transformed, transform

Source = Callable[[], Iterable[Any]]

DEFAULT_MEMORY = 64 * 2**20
# Rows per SQLite insert: orjson's output keeps its 4 KiB buffer, so 500 rows hold ~2 MiB.
_BATCH = 500
_SORTED = orjson.OPT_SORT_KEYS
_NO_ID = "\x00"  # prefix of the synthetic key of a received event without a usable insert_id
_SKIP_REASONS = 10_000  # reasons kept for the first skipped events (the rest: a generic one)
_SCHEMA = """
CREATE TABLE xexp (ord INTEGER PRIMARY KEY, blob BLOB NOT NULL);
CREATE TABLE xrec (seq INTEGER PRIMARY KEY, blob BLOB NOT NULL);
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


class _Smallest:
    """The ``keep`` rows with the smallest ``by`` values offered so far (values unique)."""

    def __init__(self, keep: int, by: str) -> None:
        self.keep, self.by = keep, by
        self.rows: Columns = {}

    def offer(self, columns: Columns) -> None:
        if not self.keep or not len(columns[self.by]):
            return
        columns = _first(columns, self.by, self.keep)
        if self.rows:
            columns = {k: np.concatenate([self.rows[k], v]) for k, v in columns.items()}
        order = np.argsort(columns[self.by], kind="stable")[: self.keep]
        self.rows = {k: v[order] for k, v in columns.items()}

    def column(self, name: str) -> list[int]:
        return self.rows[name].tolist() if self.rows else []


def _first(columns: Columns, by: str, keep: int) -> Columns:
    """At most ``keep`` rows: those with the smallest ``by`` values (in no particular order)."""
    if len(columns[by]) <= keep:
        return columns
    if not keep:
        return {k: v[:0] for k, v in columns.items()}
    chosen = np.argpartition(columns[by], keep - 1)[:keep]
    return {k: v[chosen] for k, v in columns.items()}


class ContentCheck:
    """``run(produced, received, tally)`` once; use as a context manager, or call ``close``.

    ``pretransformed=True`` means ``produced`` yields reference Amplitude events already (e.g.
    the output of ``currents-sim transform``) instead of Currents records. ``memory`` (bytes)
    bounds what the comparison holds; ``workdir`` is where its temporary files go.
    """

    def __init__(
        self,
        profile: Profile = "page",
        workdir: str | None = None,
        *,
        pretransformed: bool = False,
        memory: int = DEFAULT_MEMORY,
    ) -> None:
        self.profile: Profile = profile
        self.pretransformed = pretransformed
        self.memory = memory
        self.result = ContentResult()
        self._spool = Spool(workdir)
        self._expected_rows = Sorter(("key", "ord", "fp"), self._spool)
        self._received_rows = Sorter(("key", "fp", "seq"), self._spool, count="count")
        self._skipped_rows = Sorter(("key",), self._spool)
        # How ``memory`` is shared (peaks measured with bench_conformance): pass 1 buffers 1/3
        # (sorting a full one to spill it takes ~1.5x its size more); reading runs back 1/8 and
        # the differing pairs' buffers 1/8; pass 2: reading pairs 1/8, SQLite's page cache 1/4.
        self._budget = Budget(
            memory // 3, (self._expected_rows, self._received_rows, self._skipped_rows)
        )
        self._skipped_reason: dict[int, str] = {}  # id hash -> reason, first few only
        self._db: sqlite3.Connection | None = None
        self.spilled = False  # whether the fingerprints outgrew ``memory`` and went to disk

    def __enter__(self) -> ContentCheck:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        self._spool.close()

    def _database(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = sqlite3.connect(self._spool.new_file(".sqlite"))
            cache_kib = max(self.memory // 4, 2**20) // 1024
            for pragma in ("journal_mode=OFF", "synchronous=OFF", f"cache_size=-{cache_kib}",
                           "locking_mode=EXCLUSIVE"):  # fmt: skip
                self._db.execute(f"PRAGMA {pragma}")
            self._db.executescript(_SCHEMA)
        return self._db

    def run(self, produced: Source, received: Source, tally: Tally) -> ContentResult:
        self._load_expected(produced)
        self._load_received(received)
        self.spilled = any(s.spilled for s in self._budget.sorters)
        self._budget.finish()
        self._judge(produced, received, tally)
        return self.result

    # -- pass 1 ---------------------------------------------------------------------------------
    def _note_skip(self, outcome: Skipped | None) -> None:
        self.result.skipped[outcome.code if outcome else "malformed"] += 1
        if outcome is not None and outcome.event_id is not None:
            key = hash(outcome.event_id)
            self._skipped_rows.buffers[0].append(key)
            if len(self._skipped_reason) < _SKIP_REASONS:
                self._skipped_reason.setdefault(key, outcome.reason)

    def _load_expected(self, produced: Source) -> None:
        """Pass 1: transform, count skips, keep (id hash, ordinal, fingerprint) per event."""
        key, pos, fp = (buffer.append for buffer in self._expected_rows.buffers)
        dumps, profile, pretransformed = orjson.dumps, self.profile, self.pretransformed
        budget, every = self._budget, self._budget.rows_between_checks
        check_at, ordinal, expected = every, -1, 0
        for ordinal, record in enumerate(produced()):
            if ordinal == check_at:
                budget.check()
                check_at += every
            if pretransformed:
                event = record
            else:
                outcome = transform(record, profile) if isinstance(record, dict) else None
                if not isinstance(outcome, Transformed):
                    self._note_skip(outcome)
                    continue
                event = outcome.event
            expected += 1
            key(hash(event["insert_id"]))
            pos(ordinal)
            fp(hash(dumps(event, option=_SORTED)))
        self.result.produced = ordinal + 1
        self.result.expected = expected

    def _load_received(self, received: Source) -> None:
        key, fp, seqs = self._received_rows.buffers
        add_key, add_fp = key.append, fp.append
        dumps, no_id = orjson.dumps, _NO_ID
        budget, every = self._budget, self._budget.rows_between_checks
        seq = numbered = 0
        check_at = every
        for doc in received():
            # Fast path for a plain HTTP API event; any other shape goes through received_events.
            if type(doc) is dict and "insert_id" in doc and "outcome" not in doc:
                events: Iterable[Any] = (doc,)
            else:
                events = received_events(doc)
            for event in events:
                seq += 1
                if seq == check_at:  # sequence numbers are filled in here, in bulk
                    seqs.extend(range(numbered + 1, seq))
                    numbered = seq - 1
                    budget.check()
                    check_at += every
                insert_id = event.get("insert_id") if type(event) is dict else None
                if type(insert_id) is not str or not insert_id or insert_id[0] == no_id:
                    insert_id = f"{no_id}{seq}"
                add_key(hash(insert_id))
                try:
                    add_fp(hash(dumps(event, option=_SORTED)))
                except (orjson.JSONEncodeError, TypeError):
                    add_fp(hash(orjson.dumps(repr(event))))
        seqs.extend(range(numbered + 1, seq + 1))
        self.result.received = seq

    # -- verdicts, range by range ---------------------------------------------------------------
    def _judge(self, produced: Source, received: Source, tally: Tally) -> None:
        result, keep = self.result, tally.examples_per_rule
        missing, extra = _Smallest(keep, "ord"), _Smallest(keep, "seq")
        duplicated = _Smallest(keep, "seq")
        by_ord = Sorter(("ord",), self._spool)
        by_seq = Sorter(("seq", "ord"), self._spool)
        pairs = Budget(self.memory // 8, (by_ord, by_seq))
        paired = 0
        ranges = key_ranges(
            (self._expected_rows, self._received_rows, self._skipped_rows), self.memory // 8
        )
        for exp, rec, skipped in ranges:
            ie, ir = _match(exp["key"], rec["key"])
            paired += len(ie)
            unmatched_e = np.ones(len(exp["key"]), bool)
            unmatched_e[ie] = False
            unmatched_r = np.ones(len(rec["key"]), bool)
            unmatched_r[ir] = False
            result.missing += int(unmatched_e.sum())
            missing.offer({"ord": exp["ord"][unmatched_e]})
            result.extra += int(unmatched_r.sum())
            first = _first({"seq": rec["seq"][unmatched_r], "key": rec["key"][unmatched_r]},
                           "seq", keep)  # fmt: skip
            first["skipped"] = np.isin(first["key"], skipped["key"]).astype(np.int64)
            extra.offer(first)
            dup = rec["count"] > 1
            result.duplicated += int(dup.sum())
            duplicated.offer({"seq": rec["seq"][dup], "count": rec["count"][dup]})
            differ = exp["fp"][ie] != rec["fp"][ir]
            pair_ord, pair_seq = exp["ord"][ie][differ], rec["seq"][ir][differ]
            by_ord.extend((pair_ord,))
            by_seq.extend((pair_seq, pair_ord))
            pairs.check()
        pairs.finish()
        examples = {*extra.column("seq"), *duplicated.column("seq")}
        if by_ord.runs or missing.rows:
            self._store_expected(produced, missing.column("ord"), by_ord)
        if by_seq.runs or examples:
            self._explain_received(received, examples, by_seq, tally)
        for ordinal in missing.column("ord"):
            tally.add(_missing(self._blob("xexp", "ord", ordinal)))
        tally.bump("missing", result.missing - len(missing.column("ord")))
        for seq, key, skip in zip(extra.column("seq"), extra.column("key"),
                                  extra.column("skipped"), strict=True):  # fmt: skip
            reason = self._skipped_reason.get(key, "no ids or not exported") if skip else None
            tally.add(_extra(self._blob("xrec", "seq", seq), reason))
        tally.bump("extra", result.extra - len(extra.column("seq")))
        for seq, copies in zip(duplicated.column("seq"), duplicated.column("count"), strict=True):
            event = self._blob("xrec", "seq", seq)
            tally.add(Finding("duplicated", _event_id(event), f"received {copies} times"))
        tally.bump("duplicated", result.duplicated - len(duplicated.column("seq")))
        result.matched = paired - result.mismatched

    # -- pass 2 (only when anything needs explaining) -------------------------------------------
    def _wanted(self, sorter: Sorter) -> Iterator[Columns]:
        return ascending(sorter, self.memory // 8)

    def _store_expected(self, produced: Source, examples: list[int], by_ord: Sorter) -> None:
        """The reference events of the examples and of the differing pairs, into SQLite."""
        wanted = heapq.merge(examples, (o for (o,) in _rows(self._wanted(by_ord), "ord")))
        db = self._database()
        rows: list[tuple[int, bytes]] = []
        want = next(wanted, None)
        for ordinal, event in self._expected(produced):
            if ordinal != want:
                continue
            rows.append((ordinal, _canonical(event)))
            if len(rows) >= _BATCH:
                db.executemany("INSERT INTO xexp VALUES (?, ?)", rows)
                rows = []
            want = next(wanted, None)
            if want is None:
                break
        db.executemany("INSERT INTO xexp VALUES (?, ?)", rows)

    def _explain_received(
        self,
        received: Source,
        examples: set[int],
        by_seq: Sorter,
        tally: Tally,
    ) -> None:
        """Walk the received events: store the examples, explain each differing pair in turn."""
        pairs = _rows(self._wanted(by_seq), "seq", "ord")
        pair = next(pairs, None)
        remaining = len(examples)
        execute = self._database().execute
        for seq, event in self._received(received):
            if seq in examples:
                execute("INSERT INTO xrec VALUES (?, ?)", (seq, _canonical(event)))
                remaining -= 1
            if pair is not None and pair[0] == seq:
                (blob,) = execute("SELECT blob FROM xexp WHERE ord = ?", (pair[1],)).fetchone()
                self._explain(orjson.loads(blob), orjson.loads(_canonical(event)), tally)
                pair = next(pairs, None)
            if pair is None and not remaining:
                break

    def _blob(self, table: str, column: str, key: int) -> Any:
        row = self._database().execute(f"SELECT blob FROM {table} WHERE {column} = ?", (key,))
        return orjson.loads(row.fetchone()[0])

    def _expected(self, produced: Source) -> Iterator[tuple[int, dict[str, Any]]]:
        """(ordinal, reference event) for every exportable produced record."""
        for ordinal, record in enumerate(produced()):
            if self.pretransformed:
                yield ordinal, record
                continue
            outcome = transform(record, self.profile) if isinstance(record, dict) else None
            if isinstance(outcome, Transformed):
                yield ordinal, outcome.event

    def _received(self, received: Source) -> Iterator[tuple[int, Any]]:
        seq = 0
        for doc in received():
            for event in received_events(doc):
                seq += 1
                yield seq, event

    def _explain(self, expected: dict[str, Any], got: Any, tally: Tally) -> None:
        differences = diff_event(expected, got)
        if differences:
            self.result.mismatched += 1
            for rule, text in differences:
                tally.add(Finding(rule, _event_id(expected), text))


def _rows(chunks: Iterable[Columns], *names: str) -> Iterator[tuple[int, ...]]:
    for chunk in chunks:
        yield from zip(*(chunk[name].tolist() for name in names), strict=True)


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
