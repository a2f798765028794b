"""The ``currents_sender`` fixture, used as a team would use it: against a real local receiver."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from senders.pytest_plugin import CurrentsSender
from simulator.connector import RetryPolicy
from tests.senders.receiver import Received, serve


def test_it_sends_generated_events_and_returns_the_ledger(currents_sender: CurrentsSender) -> None:
    with serve() as receiver:
        ledger = currents_sender(receiver.url, n=120, seed=4, token="T")
    assert (ledger.produced, ledger.sent, ledger.acknowledged) == (120, 120, 120)
    ids = [e["id"] for e in receiver.events()]
    assert len(set(ids)) == 120
    entry = ledger.find(ids[0])
    assert entry is not None and [r.status for r in ledger.attempts_of(entry)] == [200]
    assert {r.headers["Authorization"] for r in receiver.requests} == {"Bearer T"}


def test_it_sends_the_events_it_is_given(currents_sender: CurrentsSender) -> None:
    given: list[dict[str, Any]] = [
        {
            "event_type": "users.behaviors.CustomEvent",
            "id": f"c{i}",
            "time": 1,
            "user": {},
            "properties": {"name": "x", "custom_properties": {"k": i}},
        }
        for i in range(3)
    ]
    with serve() as receiver:
        ledger = currents_sender(receiver.url, given)
    assert receiver.events() == given
    assert ledger.acknowledged == 3


def test_a_shortened_policy_lets_a_test_see_a_retry_quickly(
    currents_sender: CurrentsSender,
) -> None:
    statuses = iter([503])

    def answer(request: Received) -> int:
        return next(statuses, 200)

    policy = RetryPolicy(backoff_base_s=0.05)
    with serve(answer) as receiver:
        ledger = currents_sender(
            receiver.url, n=10, batch_size=10, queue_per_type=False, policy=policy
        )
    assert ledger.acknowledged == 10
    assert dict(ledger.retries_by_status) == {503: 1}


def test_a_refused_token_leaves_the_events_undelivered_in_the_ledger(
    currents_sender: CurrentsSender,
) -> None:
    with serve(lambda request: 401) as receiver:
        ledger = currents_sender(receiver.url, n=5, queue_per_type=False, drain_s=0.0)
    assert ledger.undelivered == 5
    assert dict(ledger.requests_by_status) == {401: 1}
    assert len(receiver.requests) == 1


def test_the_plugin_does_not_import_flask() -> None:
    code = "import sys, senders.pytest_plugin; print('flask' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
