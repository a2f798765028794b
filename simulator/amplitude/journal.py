"""The event journal and the request log: bounded, oldest dropped, counters kept.

Every event that reached the model is journaled once per request with its ``outcome``
(``OUTCOMES``), ``received_at`` (ms, model clock) and the id of the request it came in; the
request log keeps one line per request (time, endpoint, api_key, status, event count, body).
The event itself is kept as compact JSON bytes (orjson) plus the few fields filters need, so a
million entries stay well under 1 GB. Paging uses a cursor that is the next sequence number, so
dropping old entries never shifts a page.
"""

from __future__ import annotations

import itertools
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass
from itertools import repeat
from typing import Any, Final, NamedTuple

import orjson

INGESTED = "ingested"
THROTTLED = "throttled"
QUOTA_EXCEEDED = "quota_exceeded"
INVALID = "invalid"
UNAUTHORIZED = "unauthorized"
DEDUPLICATED = "deduplicated"
PAYLOAD_TOO_LARGE = "payload_too_large"
# Identify and group identify calls are not events ([IDENT]: "no event is created"): they are
# journaled under this kind of their own, never as ingested events.
IDENTIFIED = "identified"
OUTCOMES = (
    INGESTED,
    THROTTLED,
    QUOTA_EXCEEDED,
    INVALID,
    UNAUTHORIZED,
    DEDUPLICATED,
    PAYLOAD_TOO_LARGE,
    IDENTIFIED,
)
FILTERS = ("api_key", "user_id", "device_id", "event_type", "insert_id", "outcome")


class Entry(NamedTuple):
    """One journaled event. The journal stores it as a *plain* tuple of atomic values (the
    cyclic GC untracks those, so a million entries cost no collection time; ~100 bytes plus the
    event's JSON text) and wraps it in ``Entry`` only when read. Filters on event fields search
    ``raw`` (see ``matcher``)."""

    seq: int
    api_key: str | None
    request_id: int
    received_at: int
    outcome: str
    reason: str | None
    raw: str  # the event as received, compact JSON (orjson)

    def to_dict(self) -> dict[str, Any]:
        """The event as received plus ``outcome``, ``received_at`` and its request's id."""
        event = orjson.loads(self.raw)
        out: dict[str, Any] = event if isinstance(event, dict) else {"event": event}
        out.update(
            outcome=self.outcome,
            received_at=self.received_at,
            request_id=self.request_id,
            api_key=self.api_key,
        )
        if self.reason is not None:
            out["reason"] = self.reason
        return out


def serialise(event: Any) -> str:
    """Compact JSON of an event (its ``repr`` as a JSON string when it is not JSON-able).

    A ``str``, not orjson's ``bytes``: those keep orjson's whole output buffer (~4 KB each,
    measured), so a million journaled ``bytes`` took 4 GB; ``decode`` makes a right-sized
    copy."""
    try:
        return orjson.dumps(event).decode()
    except (orjson.JSONEncodeError, TypeError):
        return orjson.dumps(repr(event)).decode()


Row = tuple[int, str | None, int, int, str, str | None, str]  # an Entry as stored
# A Row's field positions, in ``Entry``'s order (tests/simulator/amplitude/test_journal.py holds
# them to it): plain indexes keep rows plain tuples, which the garbage collector untracks.
SEQ: Final = 0
API_KEY: Final = 1
REQUEST_ID: Final = 2
RECEIVED_AT: Final = 3
OUTCOME: Final = 4
REASON: Final = 5
RAW: Final = 6

EVENT_FIELDS = ("user_id", "device_id", "event_type", "insert_id")


def matcher(filters: dict[str, str]) -> Callable[[Row], bool]:
    """A predicate for ``filters``: key and outcome compared directly; event fields found by a
    substring search of the compact JSON (``"user_id":"u1"``), confirmed by parsing."""
    api_key, outcome = filters.get("api_key"), filters.get("outcome")
    fields = {k: v for k, v in filters.items() if k in EVENT_FIELDS}
    needles = [f'"{k}":{orjson.dumps(v).decode()}' for k, v in fields.items()]

    def match(entry: Row) -> bool:
        if api_key is not None and entry[API_KEY] != api_key:
            return False
        if outcome is not None and entry[OUTCOME] != outcome:
            return False
        if not needles:
            return True
        raw = entry[RAW]
        if not all(needle in raw for needle in needles):
            return False
        event = orjson.loads(raw)
        return isinstance(event, dict) and all(event.get(k) == v for k, v in fields.items())

    return match


MultiFilters = dict[str, frozenset[str]]  # a filter name -> the values any of which matches


def any_matcher(
    filters: MultiFilters, since_ms: int | None = None, until_ms: int | None = None
) -> Callable[[Row], bool]:
    """A predicate for several values per filter (any value of each filter, every filter) and a
    ``received_at`` range (inclusive): the dashboard's journal view and the event stream."""
    keys, outcomes = filters.get("api_key"), filters.get("outcome")
    fields = {k: v for k, v in filters.items() if k in EVENT_FIELDS and v}
    low = -1 if since_ms is None else since_ms
    high = None if until_ms is None else until_ms

    def match(entry: Row) -> bool:
        if keys and entry[API_KEY] not in keys:
            return False
        if outcomes and entry[OUTCOME] not in outcomes:
            return False
        if entry[RECEIVED_AT] < low or (high is not None and entry[RECEIVED_AT] > high):
            return False
        if not fields:
            return True
        event = orjson.loads(entry[RAW])
        return isinstance(event, dict) and all(event.get(k) in v for k, v in fields.items())

    return match


class Timeline:
    """Events per (api_key, outcome) per second of the model clock, for the last ``span_s``
    seconds: the dashboard's events/s chart, kept as requests arrive (a journal scan per
    refresh would cost as much as the journal is long)."""

    def __init__(self, span_s: int = 600) -> None:
        self.span_s = span_s
        self.buckets: Counter[tuple[str | None, str, int]] = Counter()
        self._pruned_at = 0

    def add(self, api_key: str | None, outcome: str, second: int, n: int) -> None:
        self.buckets[(api_key, outcome, second)] += n
        if second - self._pruned_at >= 10:  # prune every 10 s of model time
            self._pruned_at = second
            oldest = second - self.span_s
            for key in [k for k in self.buckets if k[2] < oldest]:
                del self.buckets[key]

    def series(self, keys: frozenset[str] | None, now_s: int, span_s: int) -> dict[str, list[int]]:
        """Per outcome, events in each second of ``(now_s - span_s, now_s]`` (oldest first) of
        ``keys`` (all keys when None)."""
        first = now_s - span_s + 1
        out: dict[str, list[int]] = {}
        for (api_key, outcome, second), n in self.buckets.items():
            if first <= second <= now_s and (keys is None or api_key in keys):
                out.setdefault(outcome, [0] * span_s)[second - first] += n
        return out

    def forget(self, api_key: str | None = None) -> None:
        if api_key is None:
            self.buckets.clear()
            return
        for key in [k for k in self.buckets if k[0] == api_key]:
            del self.buckets[key]


@dataclass(frozen=True)
class Page:
    total: int
    items: list[dict[str, Any]]
    next_cursor: str | None


@dataclass
class Request:
    """One line of the request log."""

    id: int
    time: int
    endpoint: str
    api_key: str | None
    status: int
    event_count: int
    body: dict[str, Any] | None
    fault: bool = False
    duration_ms: float | None = None  # the model's handling time, when it was given a timer

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "time": self.time,
            "endpoint": self.endpoint,
            "api_key": self.api_key,
            "status": self.status,
            "event_count": self.event_count,
            "body": self.body,
            "fault": self.fault,
            "duration_ms": self.duration_ms,
        }


def _page(entries: deque[Any], matches: Any, cursor: str | None, limit: int, render: Any) -> Page:
    """Matching items of ``entries`` (ordered by seq/id) from ``cursor``, at most ``limit``."""
    start = int(cursor) if cursor else 0
    total = sum(1 for e in entries if matches(e))
    items: list[dict[str, Any]] = []
    next_cursor = None
    for entry in itertools.dropwhile(lambda e: _key(e) < start, entries):
        if not matches(entry):
            continue
        if len(items) == limit:
            next_cursor = str(_key(entry))
            break
        items.append(render(entry))
    return Page(total, items, next_cursor)


def _key(item: Any) -> int:
    return int(item[0]) if isinstance(item, tuple) else int(item.id)


class Journal:
    """Bounded event journal + request log with outcome counters that survive trimming."""

    def __init__(self, max_events: int, max_requests: int) -> None:
        self.entries: deque[Row] = deque(maxlen=max_events)
        self.requests: deque[Request] = deque(maxlen=max_requests)
        # Events per (api_key, endpoint, outcome), kept when entries are trimmed: what
        # ``/_mock/stats`` and ``/metrics`` count.
        self.counts: Counter[tuple[str | None, str, str]] = Counter()
        self.timeline = Timeline()
        self._last_seq = 0  # seq of the newest entry; entries count from 1
        self._last_request_id = 0  # the newest request id given out; requests count from 1

    @property
    def last_seq(self) -> int:
        """The seq of the newest entry ever journaled (0 before the first)."""
        return self._last_seq

    @property
    def last_request_id(self) -> int:
        """The newest request id given out (0 before the first)."""
        return self._last_request_id

    def next_request_id(self) -> int:
        self._last_request_id += 1
        return self._last_request_id

    def add(
        self,
        api_key: str | None,
        request_id: int,
        received_at: int,
        outcome: str,
        events: list[Any],
        reasons: dict[int, str] | None = None,
        default_reason: str | None = None,
        *,
        endpoint: str,
    ) -> None:
        """Journal ``events`` of one request with one outcome (``reasons`` by index override)."""
        append, first = self.entries.append, self._last_seq + 1
        for index, event in enumerate(events):
            why = reasons.get(index, default_reason) if reasons else default_reason
            append((first + index, api_key, request_id, received_at, outcome, why,
                    serialise(event)))  # fmt: skip
        self._last_seq += len(events)
        self.counts[(api_key, endpoint, outcome)] += len(events)
        if events:
            self.timeline.add(api_key, outcome, received_at // 1000, len(events))

    def add_each(
        self,
        api_key: str | None,
        request_id: int,
        received_at: int,
        outcomes: list[str],
        events: list[Any],
        *,
        endpoint: str,
    ) -> None:
        """Journal events with one outcome each (a 200 mixing ingested and deduplicated).

        The hot path of every accepted request: rows are serialised by ``map`` and built by
        ``zip`` (loops in C) rather than by a Python loop per event."""
        if len(outcomes) != len(events):
            raise ValueError("one outcome per event")
        try:
            raws = list(map(bytes.decode, map(orjson.dumps, events)))  # see serialise
        except (orjson.JSONEncodeError, TypeError):
            raws = list(map(serialise, events))
        first = self._last_seq + 1
        self._last_seq += len(raws)
        seqs = range(first, self._last_seq + 1)
        key, rid, at, why = repeat(api_key), repeat(request_id), repeat(received_at), repeat(None)
        self.entries.extend(zip(seqs, key, rid, at, outcomes, why, raws, strict=False))  # repeats
        counts, second = self.counts, received_at // 1000
        for outcome in set(outcomes):
            n = outcomes.count(outcome)
            counts[(api_key, endpoint, outcome)] += n
            self.timeline.add(api_key, outcome, second, n)

    def rows_after(self, seq: int) -> list[Row]:
        """The stored rows newer than ``seq``, oldest first (a store copying the journal)."""
        newer: list[Row] = []
        for entry in reversed(self.entries):
            if entry[SEQ] <= seq:
                break
            newer.append(entry)
        newer.reverse()
        return newer

    def restore(self, rows: list[Row], endpoint: str) -> None:
        """Put back rows journaled before a restart, with their seqs (``replay``); counters
        and timeline count them again."""
        if not rows:
            return
        self.entries.extend(rows)
        self._last_seq = max(self._last_seq, rows[-1][SEQ])
        for row in rows:
            self.counts[(row[API_KEY], endpoint, row[OUTCOME])] += 1
            self.timeline.add(row[API_KEY], row[OUTCOME], row[RECEIVED_AT] // 1000, 1)

    def continue_after(self, last_seq: int, last_request_id: int) -> None:
        """Number the next entries and requests after these (a restart: the newest ones may
        have been reset and so are not in the restored journal)."""
        self._last_seq = max(self._last_seq, last_seq)
        self._last_request_id = max(self._last_request_id, last_request_id)

    def log(self, request: Request) -> None:
        self.requests.append(request)

    def query(
        self, filters: dict[str, str], *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        wanted = {k: v for k, v in filters.items() if v is not None}
        return _page(self.entries, matcher(wanted), cursor, limit, lambda e: Entry(*e).to_dict())

    def since(self, seq: int, match: Callable[[Row], bool], limit: int) -> tuple[list[Entry], int]:
        """Matching entries newer than ``seq``, oldest first, at most ``limit``; and the seq to
        continue from (the last returned when cut by ``limit``, else the newest)."""
        newer: list[Row] = []
        for entry in reversed(self.entries):
            if entry[SEQ] <= seq:
                break
            newer.append(entry)
        found: list[Entry] = []
        for entry in reversed(newer):
            if match(entry):
                if len(found) == limit:
                    return found, found[-1].seq
                found.append(Entry(*entry))
        return found, max(seq, self._last_seq)

    def latest(
        self, match: Callable[[Row], bool], limit: int, before: int | None = None
    ) -> list[Entry]:
        """The newest matching entries (newest first), older than seq ``before`` when given."""
        found: list[Entry] = []
        for entry in reversed(self.entries):
            if before is not None and entry[SEQ] >= before:
                continue
            if match(entry):
                found.append(Entry(*entry))
                if len(found) == limit:
                    break
        return found

    def requests_since(self, request_id: int, keys: frozenset[str] | None) -> list[Request]:
        """Requests logged after ``request_id`` (of ``keys`` when given), oldest first."""
        newer: list[Request] = []
        for logged in reversed(self.requests):
            if logged.id <= request_id:
                break
            if keys is None or logged.api_key in keys:
                newer.append(logged)
        newer.reverse()
        return newer

    def count(self, filters: dict[str, str], since_seq: int = 0) -> tuple[int, int]:
        """Matching entries with ``seq > since_seq``, and the last seq seen (for waiters)."""
        match = matcher({k: v for k, v in filters.items() if v is not None})
        n, last = 0, since_seq
        for entry in reversed(self.entries):
            if entry[SEQ] <= since_seq:
                break
            last = max(last, entry[SEQ])
            if match(entry):
                n += 1
        return n, last

    def request_page(
        self, api_key: str | None = None, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        return _page(
            self.requests,
            lambda r: api_key is None or r.api_key == api_key,
            cursor,
            limit,
            lambda r: r.to_dict(),
        )

    def forget(self, api_key: str | None = None) -> None:
        """Drop entries (all, or one key's); counters of that key too."""
        if api_key is None:
            self.entries.clear()
            self.requests.clear()
            self.counts.clear()
            self.timeline.forget()
            return
        kept = [e for e in self.entries if e[API_KEY] != api_key]
        self.entries = deque(kept, maxlen=self.entries.maxlen)
        reqs = [r for r in self.requests if r.api_key != api_key]
        self.requests = deque(reqs, maxlen=self.requests.maxlen)
        for key in [k for k in self.counts if k[0] == api_key]:
            del self.counts[key]
        self.timeline.forget(api_key)

    @property
    def dropped(self) -> int:
        """Entries trimmed because the journal was full (their counts are kept)."""
        return max(0, sum(self.counts.values()) - len(self.entries))
