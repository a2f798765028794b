"""Braze's Custom HTTP delivery in the core: batching per type, flushing, the retry matrix of
BRAZE_CURRENTS.md §4.3 (from the connector model's table), horizons and the ledger."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.clock import ManualClock
from simulator.connector import CREDENTIALS_EXPIRED, RETRIES_EXHAUSTED, RetryPolicy
from simulator.delivery import Answer, DeliveryConfig, DeliveryLedger, HttpDelivery, refusal
from tests.conftest import T0

OPEN, CLICK = "users.messages.email.Open", "users.messages.email.Click"
HOUR = 3600.0


def envelope(n: int, event_type: str = OPEN, **props: Any) -> dict[str, Any]:
    return {
        "event_type": event_type,
        "id": f"ev-{event_type[-4:]}-{n}",
        "time": int(T0),
        "user": {"user_id": f"u{n}", "external_user_id": f"x{n}"},
        "properties": props,
    }


class Receiver:
    """A transport that records each body and answers with ``answer(events)``."""

    def __init__(
        self,
        answer: Callable[[list[dict[str, Any]]], int] = lambda events: 200,
        clock: ManualClock | None = None,
    ) -> None:
        self.answer, self.clock = answer, clock
        self.bodies: list[list[dict[str, Any]]] = []
        self.times: list[float] = []

    def post(self, body: bytes) -> Answer:
        events = orjson.loads(body)["events"]
        self.bodies.append(events)
        self.times.append(self.clock.now() if self.clock else 0.0)
        return Answer(self.answer(events), None, 0.002)

    def sizes(self) -> list[int]:
        return [len(events) for events in self.bodies]

    def types(self) -> list[set[str]]:
        return [{e["event_type"] for e in events} for events in self.bodies]


def run_until(delivery: HttpDelivery, clock: ManualClock, end: float) -> None:
    """Advance the manual clock from one due instant to the next until ``end``."""
    while delivery.next_due() <= end:
        clock.set(max(clock.now(), delivery.next_due()))
        delivery.pump()
    clock.set(max(clock.now(), end))


def make(receiver: Receiver, clock: ManualClock, **config: Any) -> HttpDelivery:
    return HttpDelivery(receiver, clock, DeliveryConfig(**config))


# -- batching ---------------------------------------------------------------------------------
def test_a_full_batch_of_100_leaves_at_once_as_an_events_body(clock: ManualClock) -> None:
    receiver = Receiver()
    delivery = make(receiver, clock)
    for i in range(100):
        delivery.offer(envelope(i))
    assert receiver.sizes() == [100]
    assert receiver.bodies[0][0] == envelope(0)


def test_flat_records_are_sent_as_custom_http_envelopes(clock: ManualClock) -> None:
    receiver = Receiver()
    delivery = make(receiver, clock, batch_size=1)
    flat = {"event_type": OPEN, "id": "f1", "time": 5, "user_id": "u", "external_user_id": None,
            "email_address": "a@b.c"}  # fmt: skip
    delivery.offer(flat)
    assert receiver.bodies == [[{"event_type": OPEN, "id": "f1", "time": 5,
                                 "user": {"user_id": "u"},
                                 "properties": {"email_address": "a@b.c"}}]]  # fmt: skip


def test_each_event_type_has_its_own_queue(clock: ManualClock) -> None:
    receiver = Receiver()
    delivery = make(receiver, clock, batch_size=10)
    for i in range(30):
        delivery.offer(envelope(i, OPEN if i % 2 else CLICK))
    delivery.finish()
    assert receiver.sizes() == [10, 10, 5, 5]
    assert all(len(types) == 1 for types in receiver.types())


def test_one_queue_mixes_event_types_in_a_batch(clock: ManualClock) -> None:
    receiver = Receiver()
    delivery = make(receiver, clock, batch_size=10, queue_per_type=False)
    for i in range(30):
        delivery.offer(envelope(i, OPEN if i % 2 else CLICK))
    assert receiver.sizes() == [10, 10, 10]
    assert receiver.types()[0] == {OPEN, CLICK}


def test_a_partial_batch_leaves_after_the_maximum_wait(clock: ManualClock) -> None:
    receiver = Receiver()
    delivery = make(receiver, clock, max_wait_s=300.0)
    for i in range(5):
        delivery.offer(envelope(i))
    assert delivery.next_due() == T0 + 300.0
    clock.set(T0 + 299.0)
    delivery.pump()
    assert receiver.sizes() == []
    clock.set(T0 + 300.0)
    delivery.pump()
    assert receiver.sizes() == [5]


def test_the_wait_counts_from_the_oldest_event_of_the_batch(clock: ManualClock) -> None:
    receiver = Receiver()
    delivery = make(receiver, clock, max_wait_s=60.0)
    delivery.offer(envelope(0))
    clock.set(T0 + 50.0)
    delivery.offer(envelope(1))
    run_until(delivery, clock, T0 + 60.0)
    assert receiver.sizes() == [2]


# -- the retry matrix -------------------------------------------------------------------------
def test_400_splits_into_single_events_and_drops_the_one_rejected_alone(
    clock: ManualClock,
) -> None:
    receiver = Receiver(lambda events: 400 if any(e["id"] == "ev-Open-1" for e in events) else 200)
    delivery = make(receiver, clock, batch_size=3)
    for i in range(3):
        delivery.offer(envelope(i))
    assert receiver.sizes() == [3, 1, 1, 1]
    ledger = delivery.ledger
    assert ledger.acknowledged == 2
    assert dict(ledger.dropped) == {"rejected: 400 alone": 1}
    assert ledger.find("ev-Open-1").reason == "rejected: 400 alone"  # type: ignore[union-attr]
    assert dict(ledger.retries_by_status) == {400: 1}


def test_413_splits_in_halves_until_the_receiver_takes_them(clock: ManualClock) -> None:
    receiver = Receiver(lambda events: 413 if len(events) > 25 else 200)
    delivery = make(receiver, clock)
    for i in range(100):
        delivery.offer(envelope(i))
    assert receiver.sizes() == [100, 50, 25, 25, 50, 25, 25]
    assert delivery.ledger.acknowledged == 100


def test_a_single_event_answered_413_is_dropped(clock: ManualClock) -> None:
    delivery = make(Receiver(lambda events: 413), clock, batch_size=1)
    delivery.offer(envelope(0))
    assert dict(delivery.ledger.dropped) == {"rejected: 413 alone": 1}


@pytest.mark.parametrize("status", [401, 403, 404])
def test_invalid_credentials_halt_every_queue_and_retry_after_2_to_5_minutes(
    clock: ManualClock, status: int
) -> None:
    answers = iter([status])
    receiver = Receiver(lambda events: next(answers, 200))
    delivery = make(receiver, clock, batch_size=10)
    for i in range(10):
        delivery.offer(envelope(i, OPEN))
    for i in range(10):
        delivery.offer(envelope(i, CLICK))  # another queue: halted too
    assert receiver.sizes() == [10]
    retry_at = delivery.next_due()
    assert T0 + 120.0 <= retry_at <= T0 + 300.0
    run_until(delivery, clock, T0 + 600.0)
    assert receiver.sizes() == [10, 10, 10]
    assert receiver.types()[1:] == [{OPEN}, {CLICK}]
    assert delivery.ledger.acknowledged == 20
    assert dict(delivery.ledger.retries_by_status) == {status: 1}


def test_events_still_refused_48_hours_after_the_halt_are_dropped(clock: ManualClock) -> None:
    receiver = Receiver(lambda events: 401)
    delivery = make(receiver, clock, batch_size=10)
    for i in range(10):
        delivery.offer(envelope(i))
    run_until(delivery, clock, T0 + 48 * HOUR + 600.0)
    ledger = delivery.ledger
    assert dict(ledger.dropped) == {CREDENTIALS_EXPIRED: 10}
    assert {e.fate_at for e in ledger} == {T0 + 48 * HOUR}
    retries = len(receiver.bodies) - 1
    assert 48 * HOUR / 300 <= retries <= 48 * HOUR / 120 + 1  # one retry every 2-5 minutes
    assert delivery.held() == 0


def test_a_shorter_credentials_horizon_is_a_parameter(clock: ManualClock) -> None:
    policy = RetryPolicy(credentials_horizon_s=HOUR)
    delivery = make(Receiver(lambda events: 403), clock, batch_size=1, policy=policy)
    delivery.offer(envelope(0))
    run_until(delivery, clock, T0 + 2 * HOUR)
    assert delivery.ledger.find("ev-Open-0").fate_at == T0 + HOUR  # type: ignore[union-attr]


@pytest.mark.parametrize("status", [429, 500, 503, 0, 302])
def test_throttling_server_errors_and_no_answer_back_off_exponentially_with_jitter(
    clock: ManualClock, status: int
) -> None:
    answers = iter([status] * 4)
    receiver = Receiver(lambda events: next(answers, 200), clock)
    delivery = make(receiver, clock, batch_size=1)
    delivery.offer(envelope(0))
    run_until(delivery, clock, T0 + HOUR)
    waits = [b - a for a, b in zip(receiver.times, receiver.times[1:], strict=False)]
    assert [30.0 * 2**k <= w <= 45.0 * 2**k for k, w in enumerate(waits)] == [True] * 4
    assert dict(delivery.ledger.retries_by_status) == {status: 4}
    assert delivery.ledger.acknowledged == 1


def test_a_backoff_holds_back_only_its_own_event_type(clock: ManualClock) -> None:
    receiver = Receiver(lambda events: 503 if events[0]["event_type"] == OPEN else 200)
    delivery = make(receiver, clock, batch_size=2)
    for i in range(2):
        delivery.offer(envelope(i, OPEN))
    for i in range(2):
        delivery.offer(envelope(i, CLICK))
    assert receiver.types() == [{OPEN}, {CLICK}]
    assert delivery.ledger.acknowledged == 2
    assert delivery.held() == 2


def test_events_still_failing_24_hours_after_a_5xx_are_dropped(clock: ManualClock) -> None:
    delivery = make(Receiver(lambda events: 500), clock, batch_size=5)
    for i in range(5):
        delivery.offer(envelope(i))
    run_until(delivery, clock, T0 + 25 * HOUR)
    assert dict(delivery.ledger.dropped) == {RETRIES_EXHAUSTED: 5}
    assert {e.fate_at for e in delivery.ledger} == {T0 + 24 * HOUR}


def test_an_event_over_900_kb_is_dropped_and_never_sent(clock: ManualClock) -> None:
    receiver = Receiver()
    delivery = make(receiver, clock, batch_size=1)
    delivery.offer(envelope(0, blob="x" * (900 * 1024)))
    assert receiver.bodies == []
    assert dict(delivery.ledger.dropped) == {"too_large: over 900 KB": 1}


# -- ledger -----------------------------------------------------------------------------------
def test_the_ledger_summary_counts_sent_acknowledged_and_latency(clock: ManualClock) -> None:
    answers = iter([500])
    delivery = make(Receiver(lambda events: next(answers, 200)), clock, batch_size=2)
    for i in range(3):
        delivery.offer(envelope(i))
    run_until(delivery, clock, T0 + 100.0)
    summary = delivery.ledger.summary()
    assert summary["produced"] == 3
    assert summary["sent"] == 2
    assert summary["acknowledged"] == 2
    assert summary["undelivered"] == 1
    assert summary["requests_by_status"] == {"200": 1, "500": 1}
    assert summary["retries_by_status"] == {"500": 1}
    assert summary["latency_ms"] == {"p50": 2.0, "p95": 2.0, "max": 2.0}
    entry = delivery.ledger.find("ev-Open-0")
    assert entry is not None and [r.status for r in delivery.ledger.attempts_of(entry)] == [
        500,
        200,
    ]


def test_a_ledger_without_rows_still_counts_everything(clock: ManualClock) -> None:
    ledger = DeliveryLedger(keep_events=False)
    delivery = HttpDelivery(Receiver(), clock, DeliveryConfig(batch_size=10), ledger=ledger)
    for i in range(25):
        delivery.offer(envelope(i))
    delivery.finish()
    assert (len(ledger), ledger.produced, ledger.acknowledged) == (0, 25, 25)


@settings(max_examples=60, deadline=None)
@given(
    statuses=st.lists(st.sampled_from([200, 400, 401, 413, 429, 500, 0]), max_size=40),
    n=st.integers(1, 60),
    per_type=st.booleans(),
)
def test_every_event_ends_acknowledged_dropped_or_held(
    statuses: list[int], n: int, per_type: bool
) -> None:
    clock = ManualClock(T0)
    answers = iter(statuses)
    receiver = Receiver(lambda events: next(answers, 200))
    delivery = make(receiver, clock, batch_size=7, queue_per_type=per_type)
    for i in range(n):
        delivery.offer(envelope(i, OPEN if i % 3 else CLICK))
    delivery.finish()
    run_until(delivery, clock, T0 + 72 * HOUR)
    ledger = delivery.ledger
    assert ledger.acknowledged + sum(ledger.dropped.values()) + delivery.held() == n
    assert ledger.undelivered == delivery.held() == 0
    assert ledger.sent <= n


def test_refusal_of_the_empty_probe() -> None:
    assert refusal(Answer(0, None, 0.0, "connection refused")) == "no answer (connection refused)"
    assert refusal(Answer(401)) == "refused the credentials (401)"
    assert refusal(Answer(200)) is None
    assert refusal(Answer(503)) is None


def test_ledger_rows_carry_the_device_class_when_a_classifier_is_given(clock: ManualClock) -> None:
    from simulator.generator import device_class

    delivery = HttpDelivery(Receiver(), clock, DeliveryConfig(), device_class=device_class)
    hot = envelope(0)
    hot["user"]["device_id"] = "misconfigured-0f9e8d7c-0000-4000-8000-000000000000"
    delivery.offer(hot)
    delivery.offer(envelope(1))  # no device
    assert [(e.device_id, e.device_class) for e in delivery.ledger] == [
        (hot["user"]["device_id"], "misconfigured"),
        (None, "none"),
    ]
