"""When an undelivered event is dropped for good: the horizons of §4.2 and §4.3.

Reading of the sources (BRAZE_CURRENTS.md §4.2, §4.3), made precise:

- A failed attempt *covers* every event the connector holds at that instant (produced and not yet
  delivered or dropped), whether or not the event was in the request: Braze halts the task on
  invalid credentials ("sending halts and the task is marked Failed"), and with head-of-line
  blocking nothing behind a failing batch moves either.
- An event's *first failed attempt* of a family is therefore the first failed request of that
  family at or after the instant the event was produced.
- An event still undelivered one horizon after its first failed attempt is dropped for good at
  that instant: 48 h (a parameter) for invalid credentials, 24 h for 5xx/429 ("dropped if not
  delivered within 24 h").

Failures arrive in time order, so each family is a sorted list of instants and the first one at
or after an event's production is a bisection: no per-event stamping while a backlog waits.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from simulator.connector.ledger import Entry

Held = TypeVar("Held", bound=tuple[Entry, Any])  # a ledger row and what is sent for it

CREDENTIALS_EXPIRED = "credentials_expired"
RETRIES_EXHAUSTED = "retries_exhausted"


@dataclass(slots=True)
class FailureLog:
    """Instants of failed attempts of one family, in order."""

    times: list[float] = field(default_factory=list)

    def record(self, t: float) -> None:
        if self.times and t < self.times[-1]:
            raise ValueError("failures must be recorded in time order")
        if not self.times or t > self.times[-1]:
            self.times.append(t)

    def first_at_or_after(self, t: float) -> float | None:
        i = bisect_left(self.times, t)
        return self.times[i] if i < len(self.times) else None


@dataclass(frozen=True, slots=True)
class Deadline:
    at: float
    reason: str


@dataclass(slots=True)
class Horizons:
    """The two families of failures and their horizons."""

    credentials_horizon_s: float
    retry_horizon_s: float
    credentials: FailureLog = field(default_factory=FailureLog)
    retryable: FailureLog = field(default_factory=FailureLog)

    def deadline(self, produced_at: float) -> Deadline | None:
        """The earliest instant an event produced at ``produced_at`` is dropped, if any yet."""
        found: Deadline | None = None
        first = self.credentials.first_at_or_after(produced_at)
        if first is not None:
            found = Deadline(first + self.credentials_horizon_s, CREDENTIALS_EXPIRED)
        first = self.retryable.first_at_or_after(produced_at)
        if first is not None:
            at = first + self.retry_horizon_s
            if found is None or at < found.at:
                found = Deadline(at, RETRIES_EXHAUSTED)
        return found

    def expire(
        self, items: list[Held], now: float, drop: Callable[[Entry, float, str], None]
    ) -> list[Held]:
        """The items still alive at ``now``; each one past its deadline is handed to ``drop``
        (its row, the deadline, the reason) instead. The connector model and Braze's delivery
        both call this before sending."""
        if not self.credentials.times and not self.retryable.times:
            return items
        live = []
        for item in items:
            deadline = self.deadline(item[0].produced_at)
            if deadline is not None and deadline.at <= now:
                drop(item[0], deadline.at, deadline.reason)
            else:
                live.append(item)
        return live
