"""pytest plugin (entry point ``pytest11``): the ``currents_sender`` fixture.

Braze's Custom HTTP delivery, as a function a test calls: it sends generated or given Currents
events to a URL (your connector) and returns the ledger of what happened to each one::

    def test_my_connector_acknowledges_everything(currents_sender):
        ledger = currents_sender("http://127.0.0.1:9000/currents", n=500, token="T")
        assert ledger.acknowledged == 500
        assert ledger.summary()["retries_by_status"] == {}

    def test_my_connector_takes_brazes_samples(currents_sender):
        ledger = currents_sender(url, events=[{"event_type": ..., "id": ..., ...}])
        entry = ledger.find(event_id)          # when Braze sent it, each attempt, its fate

Batching, per-type queues and the retry matrix are Braze's (``simulator.delivery``); the retry
numbers are a ``RetryPolicy`` you may shorten (``policy=RetryPolicy(backoff_base_s=0.1)``) so a
test of your 5xx handling does not wait 30 s. A call ends when everything is acknowledged or
dropped, or ``drain_s`` after the last event (what is left is ``ledger.undelivered``).
Connections are closed when the call returns. It imports no Flask: it needs only the core.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import Any

import pytest

from senders.driver import Bounds, drive
from senders.http_transport import HttpTransport
from simulator.clock import SystemClock
from simulator.connector.retry import RetryPolicy
from simulator.delivery import DeliveryConfig, DeliveryLedger, HttpDelivery


class CurrentsSender:
    """Send Currents events to a URL as Braze does; every call's ledger is kept in ``ledgers``."""

    def __init__(self) -> None:
        self.ledgers: list[DeliveryLedger] = []

    def __call__(
        self,
        url: str,
        events: Iterable[Mapping[str, Any]] | None = None,
        *,
        n: int = 100,
        seed: int = 0,
        mix: str = "default",
        token: str | None = None,
        batch_size: int = 100,
        max_wait_s: float = 300.0,
        queue_per_type: bool = True,
        policy: RetryPolicy | None = None,
        rate: float | None = None,
        drain_s: float = 10.0,
    ) -> DeliveryLedger:
        """Send ``events`` (flat records or envelopes), or ``n`` generated ones; the ledger."""
        if events is None:
            events = _generated(n, seed, mix)
        config = DeliveryConfig(batch_size, max_wait_s, queue_per_type, policy or RetryPolicy())
        ledger = DeliveryLedger()
        with HttpTransport(url, token) as transport:
            delivery = HttpDelivery(transport, SystemClock(), config, ledger=ledger)
            drive(events, delivery, Bounds(rate=rate, drain_s=drain_s))
        self.ledgers.append(ledger)
        return ledger


def _generated(n: int, seed: int, mix: str) -> Iterable[dict[str, Any]]:
    from simulator.generator import generate

    return generate(n, seed=seed, start=float(int(time.time())), duration=60.0, mix=mix)


@pytest.fixture
def currents_sender() -> CurrentsSender:
    """Braze's Custom HTTP delivery to a URL: ``currents_sender(url, n=..)`` -> the ledger."""
    return CurrentsSender()
