"""What happened to each event Braze handed to the connector under test (pure: no HTTP).

Two sides are joined by event id (Currents ``id`` = Amplitude ``insert_id``):

- the senders' ledgers: every event Braze produced, when it was first sent, its device class,
  and whether the connector acknowledged it (a 2xx) or the sender dropped it (with a reason);
- the mock's journal for the run's API key: every event Amplitude saw, its outcome and when
  (``received_at``, ms, mock clock).

An event the reference transformer exports is *delivered* once ingested, *undelivered* while it
is not; an undelivered event the connector acknowledged is also *lost*: the connector took
responsibility for it and Amplitude never stored it.
*Duplicated* counts the journal's repeats of an id after its first ingestion (Amplitude absorbs
them by ``insert_id`` but they cost quota and hide retry bugs). *Extra* counts ingested ids no
sender produced. The delay is from Braze's first send to Amplitude's first ingestion, so a
connector that rewrites ``time`` cannot flatter it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from load.truth import (
    QUOTA_EXCEEDED,
    THROTTLED,
    UNAUTHORIZED,
    delay_figures,
    ingestions,
)

ACKNOWLEDGED = "acknowledged"


@dataclass(frozen=True, slots=True)
class Handed:
    """One event as a sender's ledger knows it."""

    event_id: str
    device_class: str
    sent_at_s: float | None  # first send, seconds on the mock's clock; None = never sent
    fate: str  # ACKNOWLEDGED, or why the sender gave up on it ("dropped: ...", "unsent")


def join(
    handed: Iterable[Handed],
    entries: Iterable[Mapping[str, Any]],
    exported: set[str],
) -> dict[str, Any]:
    """The run's figures; ``exported`` holds the ids the reference transformer sends."""
    acked: dict[str, Handed] = {}
    every: dict[str, Handed] = {}
    fates: Counter[str] = Counter()
    for row in handed:
        fates[row.fate] += 1
        every.setdefault(row.event_id, row)
        if row.fate == ACKNOWLEDGED:
            acked.setdefault(row.event_id, row)
    found = ingestions(entries)
    outcomes, duplicated = found.outcomes, found.duplicated
    first_ingest = {
        i: float(e.get("received_at", 0)) / 1000.0 for i, e in found.first_ingest.items()
    }
    expected = [row for i, row in every.items() if i in exported]
    delivered = [
        (row, first_ingest[row.event_id]) for row in expected if row.event_id in first_ingest
    ]
    summary: dict[str, Any] = {
        "produced": fates.total(),
        "acknowledged": fates.pop(ACKNOWLEDGED, 0),
        "not_acknowledged": fates.total(),
        "not_acknowledged_reasons": dict(fates.most_common()),
        "exported": len(expected),
        "delivered": len(delivered),
        "undelivered": len(expected) - len(delivered),
        "lost": sum(1 for i in acked if i in exported and i not in first_ingest),
        "duplicated": duplicated,
        "extra": sum(1 for i in first_ingest if i not in every),
        "throttled": outcomes[THROTTLED],
        "quota_exceeded": outcomes[QUOTA_EXCEEDED],
        "unauthorized": outcomes[UNAUTHORIZED],
        "outcomes": dict(outcomes),
    }
    summary.update(_delays(delivered))
    return summary


def _delays(delivered: list[tuple[Handed, float]]) -> dict[str, float | int]:
    by_class: dict[str, list[float]] = defaultdict(list)
    for row, ingested_at in delivered:
        if row.sent_at_s is None:
            continue
        delay = max(0.0, ingested_at - row.sent_at_s)
        by_class[row.device_class].append(delay)
        by_class[""].append(delay)
    return delay_figures(by_class)
