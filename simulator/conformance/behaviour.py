"""Behaviour rules: how the connector reacted to Amplitude's answers, read from the mock's
request log (``GET /_mock/requests``: time, status, response body, event count) joined with its
journal (``GET /_mock/events?outcome=all``: each event of each request, in request order).

What is expected (rule table in ``rules.py``):

- ``throttle_pause`` — after a 429, each event listed in ``throttled_events`` is not sent again
  for 30 s (AMPLITUDE_API.md §4.1, §10: pause the throttled device or user for 30 s);
- ``head_of_line_blocking`` — after a 429, the batch's *other* events are resent without the
  throttled ones and without waiting the 30 s pause; resending them with the throttled events,
  or only after the pause, holds healthy devices behind a hot one (BRAZE_CURRENTS.md §4.4);
- ``invalid_key_backoff`` — after a 400 ``Invalid API key``, the next request comes 2 to 5 minutes
  later (BRAZE_CURRENTS.md §4.3, 401/403 row: re-sent after 2–5 min), and one does come if the
  log runs on for more than 5 minutes;
- ``split_on_400`` — a multi-event batch answered 400 (other than an invalid key) is resent as
  single-event batches (§4.3, 400 row);
- ``split_on_413`` — a multi-event batch answered 413 is resent in smaller batches (§4.3);
- ``batch_limits`` — at most 2000 events and 1 MB per ``/2/httpapi`` request (AMPLITUDE_API.md
  §4.4, ``simulator.amplitude.limits``); a 413 the mock gave on its own (not a scripted fault)
  means the sender went over one of them.

An event is followed by its ``insert_id``: "next sent" is the first later request carrying it.
Requests answered by a scripted fault are not journaled event by event; for those the split
rules fall back to the size of the very next request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson

from simulator.amplitude.limits import Limits
from simulator.conformance.report import Finding, Tally

PAUSE_MS = 30_000
CLOCK_SLACK_MS = 1  # the mock clock is whole milliseconds
KEY_RETRY_MS = (120_000, 300_000)
INVALID_KEY = "Invalid API key"
JOURNAL_KEYS = ("outcome", "received_at", "request_id", "api_key", "reason")


@dataclass(frozen=True, slots=True)
class EventRef:
    insert_id: str | None
    size: int  # bytes of the event's JSON


@dataclass(slots=True)
class Sent:
    """One request of the log, with the events it carried (when journaled)."""

    id: int
    time: int  # ms, mock clock
    status: int
    count: int
    body: dict[str, Any] | None
    fault: bool = False
    endpoint: str = "httpapi"
    events: list[EventRef] = field(default_factory=list)


def requests_from_log(
    log: Iterable[dict[str, Any]], journal: Iterable[dict[str, Any]]
) -> list[Sent]:
    """Join the request log with the journal (``request_id``), keeping request order."""
    sent = {}
    for row in log:
        body = row.get("body")
        sent[int(row["id"])] = Sent(
            int(row["id"]), int(row["time"]), int(row["status"]), int(row.get("event_count") or 0),
            body if isinstance(body, dict) else None, bool(row.get("fault")),
            str(row.get("endpoint") or "httpapi"),
        )  # fmt: skip
    for entry in journal:
        request = sent.get(int(entry.get("request_id", -1)))
        if request is None:
            continue
        event = {k: v for k, v in entry.items() if k not in JOURNAL_KEYS}
        insert_id = event.get("insert_id")
        request.events.append(
            EventRef(insert_id if isinstance(insert_id, str) else None, len(orjson.dumps(event)))
        )
    return sorted(sent.values(), key=lambda r: (r.time, r.id))


class _Timeline:
    """Requests in order, and where each insert_id was sent."""

    def __init__(self, sent: list[Sent]) -> None:
        self.sent = sent
        self.where: dict[str, list[int]] = {}
        for index, request in enumerate(sent):
            for ref in request.events:
                if ref.insert_id is not None:
                    self.where.setdefault(ref.insert_id, []).append(index)

    def next_of(self, insert_id: str | None, after: int) -> int | None:
        if insert_id is None:
            return None
        return next((i for i in self.where.get(insert_id, ()) if i > after), None)


def _throttled(request: Sent) -> set[int]:
    raw = request.body.get("throttled_events") if request.body else None
    if not isinstance(raw, list):
        return set()
    n = len(request.events)
    return {i for i in raw if isinstance(i, int) and not isinstance(i, bool) and 0 <= i < n}


def _error(request: Sent) -> str:
    error = request.body.get("error") if request.body else None
    return error if isinstance(error, str) else ""


def check_behaviour(
    sent: list[Sent], tally: Tally, *, observed_until: int | None = None,
    limits: Limits | None = None,
) -> int:  # fmt: skip
    """Add a finding per violation; returns the number of requests examined."""
    timeline = _Timeline(sent)
    limits = limits or Limits()
    for index, request in enumerate(sent):
        if request.status == 429:
            _after_429(timeline, index, tally)
        elif request.status == 400 and _error(request).startswith(INVALID_KEY):
            _after_invalid_key(timeline, index, tally, observed_until)
        elif request.status in (400, 413) and request.count > 1:
            _split(timeline, index, tally)
        _limits(request, tally, limits)
    return len(sent)


def _after_429(timeline: _Timeline, index: int, tally: Tally) -> None:
    request, sent = timeline.sent[index], timeline.sent
    throttled = _throttled(request)
    if not throttled:
        return
    throttled_ids = {request.events[i].insert_id for i in throttled} - {None}
    for i in sorted(throttled):
        insert_id = request.events[i].insert_id
        nxt = timeline.next_of(insert_id, index)
        if nxt is not None and sent[nxt].time - request.time < PAUSE_MS - CLOCK_SLACK_MS:
            waited = (sent[nxt].time - request.time) / 1000
            tally.add(Finding("throttle_pause", insert_id,
                              f"resent {waited:.1f} s after a 429 (request {request.id}), "
                              "expected a 30 s pause"))  # fmt: skip
    others = [ref for i, ref in enumerate(request.events) if i not in throttled]
    for ref in others:
        nxt = timeline.next_of(ref.insert_id, index)
        if nxt is None:
            continue
        carried = {r.insert_id for r in sent[nxt].events}
        waited = sent[nxt].time - request.time
        if carried & throttled_ids or waited >= PAUSE_MS - CLOCK_SLACK_MS:
            how = "with the throttled events" if carried & throttled_ids else "after the pause"
            tally.add(Finding("head_of_line_blocking", ref.insert_id,
                              f"request {request.id} got 429 for {len(throttled)} of "
                              f"{len(request.events)} events; the {len(others)} others were "
                              f"held back and resent {waited / 1000:.1f} s later {how} "
                              f"(request {sent[nxt].id})"))  # fmt: skip
            return


def _after_invalid_key(
    timeline: _Timeline, index: int, tally: Tally, observed_until: int | None
) -> None:
    request = timeline.sent[index]
    low, high = KEY_RETRY_MS
    if index + 1 < len(timeline.sent):
        gap = timeline.sent[index + 1].time - request.time
        if low - CLOCK_SLACK_MS <= gap <= high + CLOCK_SLACK_MS:
            return
        what = "kept sending" if gap < low else "stayed silent"
        tally.add(Finding("invalid_key_backoff", None,
                          f"after 'Invalid API key' (request {request.id}) it {what}: next "
                          f"request {gap / 1000:.1f} s later, expected 120-300 s"))  # fmt: skip
    elif observed_until is not None and observed_until - request.time > high:
        tally.add(Finding("invalid_key_backoff", None,
                          f"after 'Invalid API key' (request {request.id}) nothing was sent for "
                          f"{(observed_until - request.time) / 1000:.0f} s, expected a retry "
                          "within 5 minutes"))  # fmt: skip


def _split(timeline: _Timeline, index: int, tally: Tally) -> None:
    request, sent = timeline.sent[index], timeline.sent
    rule = "split_on_400" if request.status == 400 else "split_on_413"
    most = 1 if request.status == 400 else request.count - 1  # largest acceptable resend
    want = "single-event batches" if request.status == 400 else "smaller batches"
    if request.events:
        nexts = {timeline.next_of(ref.insert_id, index) for ref in request.events} - {None}
        sizes = [sent[i].count for i in sorted(n for n in nexts if n is not None)]
    else:  # a scripted fault: events not journaled, judge by the next request
        sizes = [sent[index + 1].count] if index + 1 < len(sent) else []
    bad = [n for n in sizes if n > most]
    if bad:
        tally.add(Finding(rule, None,
                          f"request {request.id} ({request.count} events) got "
                          f"{request.status}; its events were resent in batches of "
                          f"{max(bad)}, expected {want}"))  # fmt: skip


def _limits(request: Sent, tally: Tally, limits: Limits) -> None:
    cap = limits.max_bytes_for(request.endpoint)
    size = request.body.get("payload_size_bytes") if request.body else None
    if request.count > limits.max_events:
        why = f"{request.count} events (limit {limits.max_events})"
    elif isinstance(size, int) and size > cap:
        why = f"{size} bytes (limit {cap})"
    elif request.status == 413 and not request.fault:
        estimate = sum(ref.size for ref in request.events)
        why = f"answered 413 (events alone ~{estimate} bytes, limit {cap})"
    else:
        return
    tally.add(Finding("batch_limits", None, f"request {request.id}: {why}"))
