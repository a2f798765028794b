"""Batch assembly: a batch closes when it holds ``size`` events or its oldest event has waited
``wait_s`` (Braze: "a batch is flushed when the queue reaches the batch size, or when events
have waited too long"; 100 events / 5 minutes, BRAZE_CURRENTS.md §4.1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from simulator.connector.ledger import Entry

Item = tuple[Entry, dict[str, Any]]  # the ledger row and the Amplitude event to send


@dataclass(slots=True)
class Batch:
    """A closed batch waiting in the send queue; ``retries`` counts its backoff waits."""

    items: list[Item]
    retries: int = 0


@dataclass(slots=True)
class Batcher:
    """The one open batch."""

    size: int = 100
    wait_s: float = 300.0
    items: list[Item] = field(default_factory=list)
    opened_at: float = 0.0

    def __post_init__(self) -> None:
        if self.size < 1:
            raise ValueError("batch size must be >= 1")
        if self.wait_s <= 0:
            raise ValueError("batch wait must be > 0 seconds")

    def add(self, item: Item, now: float) -> Batch | None:
        """Add one event; the closed batch when it is now full."""
        if not self.items:
            self.opened_at = now
        self.items.append(item)
        return self.close() if len(self.items) >= self.size else None

    def deadline(self) -> float:
        """When the open batch closes by age (infinity when empty)."""
        return self.opened_at + self.wait_s if self.items else math.inf

    def close(self) -> Batch | None:
        if not self.items:
            return None
        batch, self.items = Batch(self.items), []
        return batch


def chunks(items: list[Item], size: int) -> list[Batch]:
    """Re-batch items (events released after a hold) into batches of at most ``size``."""
    return [Batch(items[i : i + size]) for i in range(0, len(items), size)]
