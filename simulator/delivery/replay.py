"""Replaying a recorded stream on a manual clock that follows the events' own times.

Storage delivery of existing events, or of generated ones without a rate, needs no waiting: the
clock jumps to each event's ``time`` (never backwards: Currents' ordering is not guaranteed, §4.1)
and everything that falls due before it (a file's 5 minutes, a batch's maximum wait) happens at
its own instant first. The same events always give the same files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from simulator.clock import ManualClock


class Timed(Protocol):
    def offer(self, record: Mapping[str, Any]) -> object: ...

    def pump(self) -> None: ...

    def next_due(self) -> float: ...

    def finish(self) -> None: ...


def replay(records: Iterable[Mapping[str, Any]], delivery: Timed, clock: ManualClock) -> None:
    """Offer every record at its time (or at the clock's time when it has none), then finish."""
    for record in records:
        at = record.get("time")
        if isinstance(at, int | float) and not isinstance(at, bool):
            advance(delivery, clock, float(at))
        delivery.offer(record)
    delivery.finish()


def advance(delivery: Timed, clock: ManualClock, to: float) -> None:
    """Move the clock to ``to`` (if later), pumping at every due instant on the way."""
    while delivery.next_due() <= to:
        clock.set(max(clock.now(), delivery.next_due()))
        delivery.pump()
    if to > clock.now():
        clock.set(to)
