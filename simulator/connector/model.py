"""The Braze Currents connector in simulated time: a discrete-event simulation.

``Connector.run(records, until=...)`` consumes a time-ordered Currents stream, transforms each
record with the reference transformer, batches, sends through a ``Sink`` and reacts to every
answer as Braze's retry matrix says (``retry.RULES``). The injected ``ManualClock`` jumps from
one due instant to the next (next production, batch deadline, end of a wait, end of a hold,
scripted action), so 72 simulated hours take seconds. Randomness (jitter) comes only from the
seeded ``random.Random`` passed in. Every outcome is written to the ``Ledger``.

Strategies (what differs is the reaction to a 429):

- ``braze`` — our reading of Braze's queue: one ordered send queue per connector, one request in
  flight, and a failed batch is retried *whole* at the head of the queue, so everything behind it
  waits (head-of-line blocking). The partner page says one device over the limit delays "events
  from all devices" (BRAZE_CURRENTS.md §4.4 [AFC-b..d]); a whole-batch retry at the head of a
  FIFO queue is the simplest mechanism that produces exactly that, and the Custom HTTP spec
  describes only whole-batch reactions for 429 ([CCC-*]). Events keep being produced and
  batched behind the blocked head meanwhile. (The newer Custom HTTP spec keeps one queue per
  event type; with most of a hot device's events sharing a type, one queue is the reading that
  matches the partner page, and the one we take.)
- ``per-device`` — what Amplitude advises and the official Python SDK does (AMPLITUDE_API.md
  §4.1, §10.1): on a 429 only the events listed in ``throttled_events`` are held back for 30 s;
  the rest of the batch is sent again at once. Held events wait in their device's own partition
  (keyed by ``device_id``, else ``user_id``: "partition senders by device_id or user_id, so that
  one throttled ID does not block the rest"); that device's later events join the partition
  instead of the shared queue while it is paused. When the pause ends the partition is sent in
  order, batch by batch, until it is empty or the next 429 pauses it again for 30 s. A 429
  without ``throttled_events`` falls back to ``braze``.

A strategy is an object (``ThrottleStrategy``): what the connector does with a 429 on the head
batch. ``STRATEGIES`` maps the two names to theirs; ``ConnectorConfig.strategy`` takes a name or
any object with an ``on_throttled(connector, batch, response, now)`` method, which acts through
the connector's public moves (``backoff_head``, ``hold_throttled``, ``drop_head``). The
transformer is pluggable too (``ConnectorConfig.transformer``): a connector under test with a
different transform or a different 429 reaction is a few lines (``load``'s broken connectors).

The loop is incremental so that the simulated ``run()`` and the wall-clock relay share it:
``offer(record, now)`` produces one event, ``due()`` says when something is next due, and
``step(now)`` does everything due at ``now`` (releases, closes a batch by age, sends).

Both strategies treat every other answer alike: 5xx and unknown statuses back off the head batch
(exponential, with jitter); invalid credentials halt sending and retry every 2–5 minutes; 400
splits into single events and drops a lone rejected one; 413 splits in halves. Undelivered events
are dropped for good one horizon after their first failed attempt (``credentials.Horizons``).
Requests take no simulated time (latency is not modelled).
"""

from __future__ import annotations

import heapq
import math
import random
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from simulator.clock import ManualClock
from simulator.connector.batching import Batch, Batcher, Item
from simulator.connector.credentials import Horizons
from simulator.connector.ledger import Ledger
from simulator.connector.retry import Reaction, RetryPolicy, classify
from simulator.connector.sink import Sink, SinkResponse
from simulator.currents.catalogue import Profile
from simulator.transform import Result, Skipped, transform

REJECTED = "rejected"  # a lone event Amplitude answered 400 (or 413) for
DEFAULT_CLASS = "all"


class Strategy(StrEnum):
    BRAZE = "braze"
    PER_DEVICE = "per-device"


class ThrottleStrategy(Protocol):
    """The reaction to a 429 on the head batch ``batch`` (``response`` is Amplitude's answer)."""

    def on_throttled(
        self, connector: Connector, batch: Batch, response: SinkResponse, now: float
    ) -> None: ...


Transformer = Callable[[dict[str, Any], Profile], Result]


@dataclass(frozen=True, slots=True)
class ConnectorConfig:
    api_key: str = "currents-sim-key"
    batch_size: int = 100
    batch_wait_s: float = 300.0
    strategy: Strategy | ThrottleStrategy = Strategy.BRAZE
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    profile: Profile = "page"
    transformer: Transformer = transform  # Currents record -> Amplitude event (or Skipped)


@dataclass(frozen=True, slots=True)
class Action:
    """Something that happens to the connector at an instant (e.g. the customer fixes the key)."""

    at: float
    apply: Callable[[Connector], None]
    label: str = ""


Classifier = Callable[[dict[str, Any]], str]


def _default_class(record: dict[str, Any]) -> str:
    return DEFAULT_CLASS


class Connector:
    """One Currents -> Amplitude connector, run on a ``ManualClock``."""

    def __init__(
        self,
        sink: Sink,
        clock: ManualClock,
        config: ConnectorConfig | None = None,
        *,
        rng: random.Random | None = None,
        classify_device: Classifier = _default_class,
        ledger: Ledger | None = None,
    ) -> None:
        self.sink, self.clock = sink, clock
        self.config = config or ConnectorConfig()
        self.api_key = self.config.api_key
        self.rng = rng or random.Random(0)
        self.classify_device = classify_device
        self.ledger = Ledger() if ledger is None else ledger
        strategy = self.config.strategy
        self.strategy = STRATEGIES[strategy] if isinstance(strategy, Strategy) else strategy
        policy = self.config.policy
        self.horizons = Horizons(policy.credentials_horizon_s, policy.retry_horizon_s)
        self.batcher = Batcher(self.config.batch_size, self.config.batch_wait_s)
        self.queue: deque[Batch] = deque()
        self.partitions: dict[str, deque[Item]] = {}  # per-device: held events by device
        self.paused: list[tuple[float, str]] = []  # heap of (pause ends, partition key)
        self.pause_ends: dict[str, float] = {}  # the latest pause end per key (older: stale)
        self.blocked_until = -math.inf

    # -- the event loop -------------------------------------------------------------------------
    def run(
        self,
        records: Iterable[dict[str, Any]],
        *,
        until: float | None = None,
        actions: Iterable[Action] = (),
    ) -> Ledger:
        """Simulate until ``until`` (or until nothing is left to do); returns the ledger."""
        stream: Iterator[dict[str, Any]] = iter(records)
        pending = next(stream, None)
        t_prod = math.inf if pending is None else self._time_of(pending)
        todo = deque(sorted(actions, key=lambda a: a.at))
        end = math.inf if until is None else until
        while True:
            t = min(todo[0].at if todo else math.inf, t_prod, self.due())
            if t == math.inf or t > end:
                break
            if t > self.clock.now():
                self.clock.set(t)
            now = self.clock.now()
            while todo and todo[0].at <= now:
                todo.popleft().apply(self)
            while pending is not None and t_prod <= now:
                self.offer(pending, now)
                pending = next(stream, None)
                t_prod = math.inf if pending is None else self._time_of(pending)
            self.step(now)
        if until is not None and until > self.clock.now():
            self.clock.set(until)
        return self.ledger

    def due(self) -> float:
        """The next instant something is due (a pause ends, a batch ages, the head may be sent);
        infinity when nothing is waiting."""
        return min(
            self.paused[0][0] if self.paused else math.inf,
            self.batcher.deadline(),
            self.blocked_until if self.queue else math.inf,
        )

    def step(self, now: float, *, max_requests: float = math.inf) -> None:
        """Do what is due at ``now``: release ended pauses, close an aged batch, send from the
        head of the queue (at most ``max_requests`` requests: a wall-clock caller sends one at a
        time so that each request is stamped with the time it really went out)."""
        self._release(now)
        if self.batcher.deadline() <= now:
            self._enqueue(self.batcher.close())
        self._pump(now, max_requests)

    def _time_of(self, record: dict[str, Any]) -> float:
        t = record.get("time")
        now = self.clock.now()
        if isinstance(t, int | float) and not isinstance(t, bool) and t > now:
            return float(t)
        return now

    def offer(self, record: dict[str, Any], now: float) -> None:
        """Produce one Currents event at ``now``: transform it, then batch it (or skip it)."""
        result = self.config.transformer(record, self.config.profile)
        event_id, device = identity(record)
        self.offer_result(event_id, device, self.classify_device(record), result, now)

    def offer_result(
        self,
        event_id: str | None,
        device: str | None,
        device_class: str,
        result: Result,
        now: float,
        *,
        produced_at: float | None = None,
    ) -> None:
        """``offer`` for an event already reduced to its identity and transformer result (the
        relay transforms in other threads and keeps only this much per waiting event).
        ``produced_at``: when the event was handed over, if before ``now`` (the relay's rows wait
        on disk; the horizons count from it)."""
        if event_id is None:
            event_id = f"#{len(self.ledger)}"
        produced = now if produced_at is None else produced_at
        entry = self.ledger.produce(event_id, produced, device, device_class)
        if isinstance(result, Skipped):
            self.ledger.skip(entry, f"{result.code}: {result.reason}")
            return
        if self.partitions:  # some device is paused: is it this event's?
            part = self.partitions.get(_partition_key(result.event))
            if part is not None:  # wait behind its held events
                part.append((entry, result.event))
                return
        self._enqueue(self.batcher.add((entry, result.event), now))

    def _enqueue(self, batch: Batch | None) -> None:
        if batch is not None:
            self.queue.append(batch)

    def _release(self, now: float) -> None:
        """Send the partitions whose pause has ended, each until empty or throttled again."""
        while self.paused and self.paused[0][0] <= now:
            ends, key = heapq.heappop(self.paused)
            if self.pause_ends.get(key) == ends:  # not a pause since extended by a later 429
                self._drain(key, now)

    def _pause(self, key: str, now: float) -> None:
        """Pause ``key`` for the hold time from now (a later 429 extends a running pause)."""
        ends = now + self.config.policy.throttle_hold_s
        self.pause_ends[key] = ends
        heapq.heappush(self.paused, (ends, key))

    def _hold(self, key: str, items: list[Item], now: float) -> None:
        """Hold throttled events in their device's partition, 30 s from *their* 429: events
        throttled while the partition is already paused extend its pause (the SDK's rule)."""
        part = self.partitions.get(key)
        if part is None:
            part = self.partitions[key] = deque()
        part.extend(items)
        self._pause(key, now)

    def _drain(self, key: str, now: float) -> None:
        part = self.partitions[key]
        size = self.config.batch_size
        while part:
            chunk = self.horizons.expire(
                [part.popleft() for _ in range(min(size, len(part)))], now, self.ledger.drop
            )
            if not chunk:
                continue
            response = self.sink.send(self.api_key, [event for _, event in chunk])
            rule = classify(response.status, response.body)
            entries = [entry for entry, _ in chunk]
            self.ledger.attempt(entries, now, response.status, rule.reaction.value)
            if rule.reaction is Reaction.DELIVERED:
                for entry in entries:
                    self.ledger.deliver(entry, now)
                continue
            if rule.reaction is Reaction.THROTTLED:
                self.horizons.retryable.record(now)
                throttled = throttled_indices(response.body, len(chunk))
                back = [item for i, item in enumerate(chunk) if i in throttled] or chunk
                part.extendleft(reversed(back))
                rest = [item for i, item in enumerate(chunk) if throttled and i not in throttled]
                self._enqueue(Batch(rest) if rest else None)
                self._pause(key, answered(response, now))
                return
            self._enqueue(Batch(chunk))  # any other answer: the shared queue's rules apply
        del self.partitions[key]
        del self.pause_ends[key]

    # -- sending --------------------------------------------------------------------------------
    def _pump(self, now: float, max_requests: float = math.inf) -> None:
        """Send from the head of the queue until it is empty or blocked (or the budget is spent)."""
        sent = 0
        while self.queue and self.blocked_until <= now and sent < max_requests:
            batch = self.queue[0]
            batch.items = self.horizons.expire(batch.items, now, self.ledger.drop)
            if not batch.items:
                self.queue.popleft()
                continue
            self._send(batch, now)
            sent += 1

    def _send(self, batch: Batch, now: float) -> None:
        items = batch.items
        response = self.sink.send(self.api_key, [event for _, event in items])
        rule = classify(response.status, response.body)
        entries = [entry for entry, _ in items]
        self.ledger.attempt(entries, now, response.status, rule.reaction.value)
        match rule.reaction:
            case Reaction.DELIVERED:
                for entry, _ in items:
                    self.ledger.deliver(entry, now)
                self.queue.popleft()
            case Reaction.CREDENTIALS:
                self.horizons.credentials.record(now)
                retry = self.config.policy.credentials_retry(self.rng)
                self.blocked_until = answered(response, now) + retry
            case Reaction.SPLIT_SINGLE | Reaction.SPLIT_HALF if len(items) == 1:
                self.ledger.drop(items[0][0], now, f"{REJECTED}: {response.status} alone")
                self.queue.popleft()
            case Reaction.SPLIT_SINGLE:
                self._replace_head([Batch([item]) for item in items])
            case Reaction.SPLIT_HALF:
                half = len(items) // 2
                self._replace_head([Batch(items[:half]), Batch(items[half:])])
            case Reaction.THROTTLED:
                self.horizons.retryable.record(now)
                self.strategy.on_throttled(self, batch, response, answered(response, now))
            case _:  # 5xx, anything else: back off the whole head batch
                self.horizons.retryable.record(now)
                self.backoff_head(batch, answered(response, now))

    # -- the moves a throttle strategy makes (public: a strategy may live anywhere) -------------
    def backoff_head(self, batch: Batch, now: float) -> None:
        """Keep the head batch whole at the head and wait (exponential backoff with jitter)."""
        batch.retries += 1
        self.blocked_until = now + self.config.policy.backoff(batch.retries, self.rng)

    def hold_throttled(self, throttled: set[int], now: float) -> None:
        """Hold the head batch's ``throttled`` items in their devices' partitions for the hold
        time; the rest of the batch stays at the head and goes again at once."""
        items = self.queue[0].items
        by_key: dict[str, list[Item]] = {}
        for i in sorted(throttled):
            by_key.setdefault(_partition_key(items[i][1]), []).append(items[i])
        for key, held in by_key.items():
            self._hold(key, held, now)
        rest = [item for i, item in enumerate(items) if i not in throttled]
        self._replace_head([Batch(rest)] if rest else [])

    def drop_head(self, now: float, reason: str) -> None:
        """Drop every event of the head batch for good with ``reason``."""
        for entry, _ in self.queue.popleft().items:
            self.ledger.drop(entry, now, reason)

    def _replace_head(self, batches: list[Batch]) -> None:
        self.queue.popleft()
        self.queue.extendleft(reversed(batches))

    # -- state ----------------------------------------------------------------------------------
    def backlog(self) -> int:
        """Events held by the connector right now (open batch, queue, partitions)."""
        return (
            len(self.batcher.items)
            + sum(len(b.items) for b in self.queue)
            + sum(len(part) for part in self.partitions.values())
        )


class WholeBatchBackoff:
    """``braze``: a throttled batch is retried whole at the head of the queue (head-of-line)."""

    def on_throttled(
        self, connector: Connector, batch: Batch, response: SinkResponse, now: float
    ) -> None:
        connector.backoff_head(batch, now)


class HoldThrottledEvents:
    """``per-device``: hold back only ``throttled_events`` for 30 s in their devices' partitions;
    a 429 that lists none falls back to the whole-batch backoff."""

    def on_throttled(
        self, connector: Connector, batch: Batch, response: SinkResponse, now: float
    ) -> None:
        throttled = throttled_indices(response.body, len(batch.items))
        if throttled:
            connector.hold_throttled(throttled, now)
        else:
            connector.backoff_head(batch, now)


STRATEGIES: dict[Strategy, ThrottleStrategy] = {
    Strategy.BRAZE: WholeBatchBackoff(),
    Strategy.PER_DEVICE: HoldThrottledEvents(),
}


def answered(response: SinkResponse, sent_at: float) -> float:
    """When the connector read ``response``: waits are counted from then (never before the
    request went out)."""
    return sent_at if response.answered_at is None else max(sent_at, response.answered_at)


def identity(record: dict[str, Any]) -> tuple[str | None, str | None]:
    """The id and device a Currents record is counted under in the ledger (None when absent:
    the id then becomes the event's rank)."""
    event_id = record.get("id")
    device = record.get("device_id")
    if not isinstance(device, str):
        user = record.get("user")
        device = user.get("device_id") if isinstance(user, dict) else None
    return (
        event_id if isinstance(event_id, str) else None,
        device if isinstance(device, str) else None,
    )


def _partition_key(event: dict[str, Any]) -> str:
    device, user = event.get("device_id"), event.get("user_id")
    return f"d:{device}" if isinstance(device, str) else f"u:{user}"


def throttled_indices(body: dict[str, Any] | None, n: int) -> set[int]:
    """The valid ``throttled_events`` indices of a 429 body."""
    raw = body.get("throttled_events") if isinstance(body, dict) else None
    if not isinstance(raw, list):
        return set()
    return {i for i in raw if isinstance(i, int) and not isinstance(i, bool) and 0 <= i < n}
