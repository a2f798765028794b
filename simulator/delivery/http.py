"""Braze's Custom HTTP Currents delivery, decided in the core: what to POST, when, and what to do
with each answer. The I/O is a ``Transport`` the caller injects; time is an injected ``Clock``.

What Braze does (BRAZE_CURRENTS.md §3.1, §4.1–§4.3, [CCC-old], [CCC-new]):

- A request body is ``{"events": [envelope, ...]}`` of Custom HTTP envelopes, 100 events by
  default; a batch leaves when it is full or when its oldest event has waited ``max_wait_s``
  (Braze: "when events have waited too long"; 5 minutes, §4.1).
- The newer spec keeps one queue per event type, so a failing batch holds back only its own type
  (``queue_per_type=False``: one queue, the older reading). Each queue sends its batches in order,
  one at a time; a batch that must be retried stays at the head of its queue.
- Answers are classified by the connector model's table (``simulator.connector.retry.RULES``, one
  source): 2xx acknowledged; 400 split into single-event batches and a single event answered 400
  alone dropped; 413 split in halves; 401/403/404 halt the whole task (every queue) and retry
  after 2–5 minutes, dropping what is still undelivered 48 h after the halt; 429, 5xx, any other
  status and no answer at all back off with jitter, dropped after 24 h (``credentials.Horizons``).
  Braze's HTTP spec describes no per-device handling of a 429, so a 429 is a plain backoff here.
- Events over 900 KB are dropped by Currents (§3.1 "Size cap").

Usage: ``offer(record)`` for each produced event (flat record or envelope), ``pump()`` whenever
``clock.now()`` reaches ``next_due()``, ``finish()`` at the end of the input (closes open
batches at once), and ``held()`` tells how many events still wait. ``ledger`` holds every figure.
"""

from __future__ import annotations

import heapq
import math
import random
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import orjson

from simulator.clock import Clock
from simulator.connector.credentials import FailureLog, Horizons
from simulator.connector.ledger import Entry
from simulator.connector.retry import Reaction, RetryPolicy, Rule, classify
from simulator.currents.shapes import detect_shape, flat_to_http
from simulator.delivery.ledger import DeliveryLedger

HEADERS: Mapping[str, str] = {"Content-Type": "application/json", "Braze-Currents-Version": "1"}
EMPTY_BATCH = b'{"events":[]}'  # Braze validates a token even on an empty batch ([CCC-new])
MAX_EVENT_BYTES = 900 * 1024  # "events whose payload exceeds 900 KB are dropped" (§3.1)
REJECTED = "rejected"  # a single event the receiver answered 400 (or 413) for, alone
TOO_LARGE = "too_large"
ONE_QUEUE = "*"
_ALL = ""  # wake-up key: every queue (the end of a credentials halt)

Pending = tuple[Entry, bytes]  # the ledger row and the event's JSON, encoded once


@dataclass(frozen=True, slots=True)
class Answer:
    """What one POST got: the status (0: no answer at all), the JSON body if any, the wall time
    it took, and for status 0 why there was no answer."""

    status: int
    body: dict[str, Any] | None = None
    latency_s: float = 0.0
    error: str | None = None


class Transport(Protocol):
    """Anything that POSTs one body to the receiver and reports the answer."""

    def post(self, body: bytes) -> Answer: ...


@dataclass(frozen=True, slots=True)
class DeliveryConfig:
    batch_size: int = 100
    max_wait_s: float = 300.0
    queue_per_type: bool = True
    policy: RetryPolicy = field(default_factory=RetryPolicy)

    def __post_init__(self) -> None:
        if self.batch_size < 1:
            raise ValueError("batch size must be >= 1")
        if self.max_wait_s <= 0:
            raise ValueError("the maximum wait must be > 0 seconds")


@dataclass(slots=True)
class Outgoing:
    """A closed batch; ``retries`` counts its backoff waits."""

    items: list[Pending]
    retries: int = 0


@dataclass(slots=True)
class EventQueue:
    """One event type's queue (or the only one): the open batch, then closed batches in order."""

    horizons: Horizons
    open: list[Pending] = field(default_factory=list)
    opened_at: float = 0.0
    batches: deque[Outgoing] = field(default_factory=deque)
    blocked_until: float = -math.inf
    wake_at: float = -math.inf  # the blocked-until wake-up already scheduled (no duplicates)

    def held(self) -> int:
        return len(self.open) + sum(len(b.items) for b in self.batches)


def envelope_of(record: Mapping[str, Any]) -> dict[str, Any]:
    """The Custom HTTP envelope of a flat record or of an envelope (a dict returned as is)."""
    data = record if isinstance(record, dict) else dict(record)
    return data if detect_shape(data) == "http" else flat_to_http(data)


def body_of(items: list[Pending]) -> bytes:
    """``{"events":[...]}`` joined from the pre-encoded events (no re-encoding on retries)."""
    return b'{"events":[' + b",".join(encoded for _, encoded in items) + b"]}"


class HttpDelivery:
    """Braze's side of one Custom HTTP Currents connector."""

    def __init__(
        self,
        transport: Transport,
        clock: Clock,
        config: DeliveryConfig | None = None,
        *,
        ledger: DeliveryLedger | None = None,
        rng: random.Random | None = None,
        device_class: Callable[[str | None], str | None] | None = None,
    ) -> None:
        self.transport, self.clock = transport, clock
        self.config = config or DeliveryConfig()
        self.device_class = device_class  # e.g. simulator.generator.device_class; else "all"
        self._batch_size, self._per_type = self.config.batch_size, self.config.queue_per_type
        self.ledger = ledger if ledger is not None else DeliveryLedger()
        self.rng = rng or random.Random(0)
        self.queues: dict[str, EventQueue] = {}
        self.credentials = FailureLog()  # a halt stops every queue: one log shared by all
        self.halted_until = -math.inf
        self.last_answer: Answer | None = None
        self._wakeups: list[tuple[float, str]] = []  # heap; stale entries are harmless no-ops
        self._all_at = -math.inf  # the every-queue wake-up already scheduled

    # -- producing ------------------------------------------------------------------------------
    def offer(self, record: Mapping[str, Any]) -> Entry:
        """Hand one Currents event to Braze's queues at ``clock.now()``; its ledger row."""
        envelope = envelope_of(record)
        now = self.clock.now()
        user = envelope.get("user")
        device = user.get("device_id") if isinstance(user, dict) else None
        if not isinstance(device, str):
            device = None
        group = (self.device_class(device) or "none") if self.device_class else "all"
        entry = self.ledger.produce(str(envelope.get("id")), now, device, group)
        encoded = orjson.dumps(envelope)
        if len(encoded) > MAX_EVENT_BYTES:
            self.ledger.drop(entry, now, f"{TOO_LARGE}: over 900 KB")
            return entry
        key = str(envelope.get("event_type")) if self._per_type else ONE_QUEUE
        queue = self.queues.get(key) or self._new_queue(key)
        if not queue.open:
            queue.opened_at = now
            heapq.heappush(self._wakeups, (now + self.config.max_wait_s, key))
        queue.open.append((entry, encoded))
        if len(queue.open) >= self._batch_size:
            self._close(queue)
            self._drain(key, queue, now)
        return entry

    def _new_queue(self, key: str) -> EventQueue:
        policy = self.config.policy
        horizons = Horizons(
            policy.credentials_horizon_s, policy.retry_horizon_s, credentials=self.credentials
        )
        queue = self.queues[key] = EventQueue(horizons)
        return queue

    @staticmethod
    def _close(queue: EventQueue) -> None:
        if queue.open:
            queue.batches.append(Outgoing(queue.open))
            queue.open = []

    def finish(self) -> None:
        """The input has ended: close every open batch now and send what may be sent."""
        for queue in self.queues.values():
            self._close(queue)
        self._wake_all(self.clock.now())
        self.pump()

    # -- time -----------------------------------------------------------------------------------
    def next_due(self) -> float:
        """When ``pump`` next has something to do (infinity: nothing until the next offer)."""
        return self._wakeups[0][0] if self._wakeups else math.inf

    def pump(self) -> None:
        """Close the batches that waited long enough and send what is no longer blocked."""
        now = self.clock.now()
        while self._wakeups and self._wakeups[0][0] <= now:
            _, key = heapq.heappop(self._wakeups)
            for name in list(self.queues) if key == _ALL else [key]:
                queue = self.queues[name]
                if queue.open and queue.opened_at + self.config.max_wait_s <= now:
                    self._close(queue)
                self._drain(name, queue, now)

    def held(self) -> int:
        """Events produced and not yet acknowledged or dropped."""
        return sum(queue.held() for queue in self.queues.values())

    # -- sending --------------------------------------------------------------------------------
    def _drain(self, key: str, queue: EventQueue, now: float) -> None:
        """Send from the head of ``queue`` until it is empty or blocked."""
        while queue.batches:
            if self.halted_until > now:
                self._wake_all(self.halted_until)
                return
            if queue.blocked_until > now:
                if queue.wake_at != queue.blocked_until:
                    queue.wake_at = queue.blocked_until
                    heapq.heappush(self._wakeups, (queue.blocked_until, key))
                return
            head = queue.batches[0]
            head.items = queue.horizons.expire(head.items, now, self.ledger.drop)
            if head.items:
                self._send(queue, head, now)
            else:
                queue.batches.popleft()
            now = self.clock.now()

    def _wake_all(self, at: float) -> None:
        if at != self._all_at:
            self._all_at = at
            heapq.heappush(self._wakeups, (at, _ALL))

    def _send(self, queue: EventQueue, batch: Outgoing, now: float) -> None:
        items = batch.items
        answer = self.transport.post(body_of(items))
        self.last_answer = answer
        rule = classify(answer.status, answer.body)
        self.ledger.attempt([entry for entry, _ in items], now, answer.status, rule.reaction.value)
        self.ledger.answered(answer.latency_s)
        self._react(queue, batch, rule, answer.status)

    def _react(self, queue: EventQueue, batch: Outgoing, rule: Rule, status: int) -> None:
        now, items, policy = self.clock.now(), batch.items, self.config.policy
        match rule.reaction:
            case Reaction.DELIVERED:
                for entry, _ in items:
                    self.ledger.deliver(entry, now)
                queue.batches.popleft()
                return
            case Reaction.SPLIT_SINGLE | Reaction.SPLIT_HALF if len(items) == 1:
                self.ledger.drop(items[0][0], now, f"{REJECTED}: {status} alone")
                queue.batches.popleft()
                return
            case Reaction.SPLIT_SINGLE:
                _replace_head(queue, [Outgoing([item]) for item in items])
            case Reaction.SPLIT_HALF:
                half = len(items) // 2
                _replace_head(queue, [Outgoing(items[:half]), Outgoing(items[half:])])
            case Reaction.CREDENTIALS:
                self.credentials.record(now)
                self.halted_until = now + policy.credentials_retry(self.rng)
            case _:  # 429, 5xx, no answer, anything not listed: back off this queue's head
                queue.horizons.retryable.record(now)
                batch.retries += 1
                queue.blocked_until = now + policy.backoff(batch.retries, self.rng)
        self.ledger.retry(status)


def _replace_head(queue: EventQueue, batches: list[Outgoing]) -> None:
    queue.batches.popleft()
    queue.batches.extendleft(reversed(batches))


def refusal(answer: Answer) -> str | None:
    """Why an answer to ``EMPTY_BATCH`` means sending cannot start (None: it can). Braze checks
    the token even on an empty batch; no answer at all, or invalid credentials, stop a run."""
    if answer.status == 0:
        return f"no answer ({answer.error or 'connection failed'})"
    if classify(answer.status, answer.body).reaction is Reaction.CREDENTIALS:
        return f"refused the credentials ({answer.status})"
    return None
