"""The sender's ledger: the connector model's ``Ledger`` plus the figures a sender reports.

Every event Braze hands over gets a row (``Entry``): when it was produced, every request that
carried it (time and status in ``requests``), and its fate: ``delivered`` means the connector
under test *acknowledged* it with a 2xx, ``dropped`` carries Braze's reason (a lone 400, the
credential horizon, the retry horizon, over the size cap), and no fate means it was still held
when the run ended (``undelivered``). The rows are what a harness joins with Amplitude's journal
(``find(event_id)``, ``attempts_of(entry)``: the first attempt is "Braze sent it").

Long runs that only need the figures pass ``keep_events=False``: rows are then not stored (each
event's ``Entry`` lives as long as its event is held), only the counters below.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from simulator.connector.ledger import DELIVERED, Entry, Ledger

ACKNOWLEDGED = DELIVERED  # for a sender, "delivered" is the receiver's 2xx


class DeliveryLedger(Ledger):
    """Events and requests of one Braze delivery run, and their summary figures."""

    def __init__(self, *, keep_events: bool = True) -> None:
        super().__init__(keep_rows=keep_events)
        self.keep_events = keep_events
        self.produced = 0
        self.sent = 0  # events carried by at least one request
        self.acknowledged = 0
        self.dropped: Counter[str] = Counter()
        self.requests_by_status: Counter[int] = Counter()
        self.retries_by_status: Counter[int] = Counter()  # failed requests that will be re-sent
        self.latencies_s: list[float] = []

    def produce(
        self, event_id: str, produced_at: float, device_id: str | None, device_class: str
    ) -> Entry:
        self.produced += 1
        return super().produce(event_id, produced_at, device_id, device_class)

    def attempt(self, entries: list[Entry], at: float, status: int, reaction: str) -> int:
        self.sent += sum(1 for entry in entries if not entry.attempts)
        self.requests_by_status[status] += 1
        return super().attempt(entries, at, status, reaction)

    def answered(self, latency_s: float) -> None:
        """The wall time the last request took (sent to answer, or to failure)."""
        self.latencies_s.append(latency_s)

    def retry(self, status: int) -> None:
        """A request answered ``status`` whose events will be sent again."""
        self.retries_by_status[status] += 1

    def deliver(self, entry: Entry, at: float) -> None:
        super().deliver(entry, at)
        self.acknowledged += 1

    def drop(self, entry: Entry, at: float, reason: str) -> None:
        super().drop(entry, at, reason)
        self.dropped[reason] += 1

    @property
    def undelivered(self) -> int:
        """Events neither acknowledged nor dropped (still held by the sender)."""
        return self.produced - self.acknowledged - sum(self.dropped.values())

    def summary(self) -> dict[str, Any]:
        """The figures ``send --json`` prints (JSON-ready: string keys, sorted)."""
        latencies = sorted(self.latencies_s)
        return {
            "produced": self.produced,
            "sent": self.sent,
            "acknowledged": self.acknowledged,
            "dropped": dict(sorted(self.dropped.items())),
            "undelivered": self.undelivered,
            "requests": len(self.requests),
            "requests_by_status": {str(k): v for k, v in sorted(self.requests_by_status.items())},
            "retries_by_status": {str(k): v for k, v in sorted(self.retries_by_status.items())},
            "latency_ms": {
                "p50": _ms(percentile(latencies, 0.50)),
                "p95": _ms(percentile(latencies, 0.95)),
                "max": _ms(latencies[-1] if latencies else None),
            },
        }


def percentile(ordered: list[float], q: float) -> float | None:
    """The nearest-rank ``q`` quantile of an ascending list (None when empty)."""
    if not ordered:
        return None
    rank = max(1, -(-int(q * 1_000_000) * len(ordered) // 1_000_000))  # ceil(q * n), exact
    return ordered[min(rank, len(ordered)) - 1]


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000.0, 3)
