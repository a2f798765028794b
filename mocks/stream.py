"""``GET /_mock/stream``: Server-Sent Events of journal entries, requests and stats.

Query: ``api_key``, ``outcome``, ``user_id``, ``device_id``, ``event_type``, ``insert_id``
(each repeatable or comma-separated: any value matches), ``topics`` (``entries,requests,stats``
by default), ``since`` (a journal seq: replay the entries after it; default: only what comes
next), ``max_s`` (the stream's lifetime, default 120 s, at most 3600).

Messages: ``event: entries`` (a JSON list of journal entries, each with its ``seq``),
``event: requests`` (a list of request-log lines), ``event: stats`` (once a second: outcome
counts of the selected keys, the events/s timeline of the last minutes, the clock). Each message's
``id`` is ``<seq>:<request id>``: a browser's ``EventSource`` reconnects with it
(``Last-Event-ID``) and misses nothing still in the journal.

A stream holds one server thread, so it never lives forever: it ends after ``max_s`` (the
browser reconnects by itself, ``retry: 1000``), writes at least once a second (stats or a
comment) so a closed connection is noticed within a second, and at most ``MAX_STREAMS`` streams
run at once (beyond, a request waits up to ``SLOT_WAIT_S`` for a slot, then gets 503: the other
threads stay free for ingestion).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import orjson
from flask import Blueprint, Flask, Response, current_app, request

from mocks import bounds
from mocks.app import json_response, model_of
from mocks.filters import multi_filters
from mocks.server import CLOSE_HOOKS
from simulator.amplitude import OUTCOMES, AmplitudeModel
from simulator.amplitude.journal import MultiFilters, any_matcher

bp = Blueprint("mock_stream", __name__, url_prefix="/_mock")
SEMAPHORE = "stream_slots"
CLOSING = "streams_closing"  # set when the server closes: every stream ends
MAX_STREAMS = 4  # app.config["MAX_STREAMS"] overrides
# A page reloaded (or opened right after another closed) asks for a stream while the server has not
# yet noticed the old one is gone (at its next write, within a second): it waits this long for
# the slot rather than getting a 503 its browser logs as an error.
SLOT_WAIT_S = 2.0
DEFAULT_LIFETIME_S = 120.0
MAX_LIFETIME_S = 3600.0
TICK_S = 1.0  # stats / heartbeat period
MIN_GAP_S = 0.1  # at most ten messages a second: bursts are sent in batches
BATCH = 500  # entries per message
TIMELINE_SPAN_S = 300  # the chart's last five minutes
TOPICS = ("entries", "requests", "stats")


class StreamError(Exception):
    """A bad stream request: answered 400."""


def init_app(app: Flask) -> None:
    app.extensions[SEMAPHORE] = threading.BoundedSemaphore(
        int(app.config.get("MAX_STREAMS", MAX_STREAMS))
    )
    closing = app.extensions[CLOSING] = threading.Event()
    model = model_of(app)

    def end_streams() -> None:
        closing.set()
        with model.changed:
            model.changed.notify_all()

    app.extensions.setdefault(CLOSE_HOOKS, []).append(end_streams)
    app.register_blueprint(bp)


def _number(args: Any, name: str, default: float, high: float) -> float:
    raw = args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = float(raw)
    except ValueError:
        raise StreamError(f"{name} must be a number") from None
    if not 0 <= value <= high:
        raise StreamError(f"{name} must be within [0, {high:g}]")
    return value


def _resume(args: Any, header: str | None, model: AmplitudeModel) -> tuple[int, int]:
    """Where to start: ``Last-Event-ID`` (a reconnect), ``since`` (a replay), else now."""
    last_seq, last_request = model.positions()
    if header:
        seq, _, rid = header.partition(":")
        if seq.isdigit() and rid.isdigit():
            return int(seq), int(rid)
    if args.get("since") not in (None, ""):
        # A seq beyond the newest (say, from before a restart) replays nothing: start now.
        return min(bounds.read(args, "since"), last_seq), 0
    return last_seq, last_request


@bp.errorhandler(StreamError)
@bp.errorhandler(bounds.BadParam)
def _stream_error(exc: Exception) -> Response:
    return json_response({"code": 400, "error": str(exc)}, 400)


@bp.get("/stream")
def stream() -> Response:
    args, model = request.args, model_of(current_app)
    try:
        filters = multi_filters(args)
    except ValueError as exc:
        raise StreamError(str(exc)) from None
    lifetime = _number(args, "max_s", DEFAULT_LIFETIME_S, MAX_LIFETIME_S)
    topics = {t for raw in args.getlist("topics") for t in raw.split(",") if t} or set(TOPICS)
    if topics - set(TOPICS):
        raise StreamError(f"topics must be among {', '.join(TOPICS)}")
    start = _resume(args, request.headers.get("Last-Event-ID"), model)
    slots: threading.BoundedSemaphore = current_app.extensions[SEMAPHORE]
    if not slots.acquire(timeout=SLOT_WAIT_S):
        return json_response({"code": 503, "error": "too many streams open"}, 503)
    feed = Feed(model, filters, topics, start, current_app.extensions[CLOSING])
    return Response(
        Guarded(feed.run(lifetime), slots),
        mimetype="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


class Guarded:
    """The stream's messages as a WSGI body whose ``close()`` gives the slot back exactly once,
    however the stream ends: its lifetime, the client leaving, the server closing, or a body
    never iterated at all (a HEAD request: a generator's ``finally`` would never run)."""

    def __init__(self, messages: Iterator[bytes], slots: threading.BoundedSemaphore) -> None:
        self.messages = messages
        self.slots: threading.BoundedSemaphore | None = slots

    def __iter__(self) -> Guarded:
        return self

    def __next__(self) -> bytes:
        return next(self.messages)

    def close(self) -> None:
        slots, self.slots = self.slots, None
        if slots is not None:
            slots.release()
        close = getattr(self.messages, "close", None)
        if close is not None:
            close()


class Feed:
    """One client's view: what it has seen and what it wants."""

    def __init__(
        self,
        model: AmplitudeModel,
        filters: MultiFilters,
        topics: set[str],
        start: tuple[int, int],
        closing: threading.Event,
    ) -> None:
        self.model = model
        self.closing = closing
        self.keys = filters.get("api_key")
        self.match = any_matcher(filters)
        self.topics = topics
        self.seq, self.request_id = start

    def run(self, lifetime: float) -> Iterator[bytes]:
        deadline = time.monotonic() + lifetime
        yield b"retry: 1000\n\n"
        next_tick = 0.0
        while time.monotonic() < deadline and not self.closing.is_set():
            sent = False
            for message in self._news():
                sent = True
                yield message
            now = time.monotonic()
            if now >= next_tick:
                next_tick = now + TICK_S
                yield self._stats() if "stats" in self.topics else b": tick\n\n"
            elif not sent:
                self._wait(min(next_tick, deadline) - now)
            time.sleep(MIN_GAP_S)
        reason = "server closing" if self.closing.is_set() else "lifetime"
        yield self._message("end", {"reason": reason, "max_s": lifetime})

    def _wait(self, timeout: float) -> None:
        """Sleep until the model changes (a request) or ``timeout``."""
        model = self.model
        with model.changed:
            if model.positions() == (self.seq, self.request_id) and not self.closing.is_set():
                model.changed.wait(max(0.0, timeout))

    def _news(self) -> Iterator[bytes]:
        if "entries" in self.topics:
            while True:
                entries, self.seq = self.model.entries_since(self.seq, self.match, BATCH)
                if not entries:
                    break
                yield self._message("entries", entries)
                if len(entries) < BATCH:
                    break
        else:
            self.seq = self.model.positions()[0]
        requests, self.request_id = self.model.requests_since(self.request_id, self.keys)
        if requests and "requests" in self.topics:
            yield self._message("requests", requests)

    def _stats(self) -> bytes:
        stats = self.model.stats()
        keys = self.keys
        per_key = {k: v for k, v in stats["keys"].items() if keys is None or k in keys}
        totals = dict.fromkeys(OUTCOMES, 0)
        for counts in per_key.values():
            for outcome, n in counts.items():
                totals[outcome] += n
        body = {
            "now_ms": int(self.model.clock.now() * 1000),
            "outcomes": totals,
            "keys": per_key,
            "throttled": {k: v for k, v in stats["throttled"].items() if keys is None or k in keys},
            "journal": stats["journal"],
            "timeline": self.model.timeline(keys, TIMELINE_SPAN_S),
        }
        return self._message("stats", body)

    def _message(self, event: str, data: Any) -> bytes:
        head = f"id: {self.seq}:{self.request_id}\nevent: {event}\ndata: ".encode()
        return head + orjson.dumps(data) + b"\n\n"
