"""Feeding a delivery in real time: the wall clock, a rate, a duration and a drain.

A run has two phases. **Producing**: events are offered at ``rate`` per second (as fast as
possible without one) until the input ends, ``count`` events were offered or ``duration_s``
has passed; batches leave when full or after the delivery's maximum wait, and retries happen when
they fall due, all on the wall clock. **Draining**: the input is over, so every open batch leaves
at once (``finish``), then retries go on until nothing is held or ``drain_s`` has passed. What is
still held then is reported as undelivered: a bounded run ends even when the receiver keeps
refusing (a credentials halt waits its 2–5 minutes only if the drain is that long).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any, Protocol

from simulator.clock import Clock, SystemClock


class Delivery(Protocol):
    """What the driver needs of a core delivery (HTTP or storage)."""

    def offer(self, record: Mapping[str, Any]) -> object: ...

    def pump(self) -> None: ...

    def next_due(self) -> float: ...

    def finish(self) -> None: ...

    def held(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Bounds:
    count: int | None = None  # at most this many events
    duration_s: float | None = None  # produce for at most this long
    rate: float | None = None  # events per second (None: as fast as possible)
    drain_s: float = 60.0  # after the input: keep delivering what is held this long at most

    def __post_init__(self) -> None:
        if self.rate is not None and self.rate <= 0:
            raise ValueError("the rate must be > 0 events per second")
        if self.drain_s < 0:
            raise ValueError("the drain must be >= 0 seconds")


def drive(
    records: Iterable[Mapping[str, Any]],
    delivery: Delivery,
    bounds: Bounds,
    *,
    clock: Clock | None = None,
    sleep: Callable[[float], None] = time.sleep,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Offer ``records`` to ``delivery`` within ``bounds``, then drain it."""
    clock = clock or SystemClock()
    source = iter(records) if bounds.count is None else islice(records, bounds.count)
    first = next(source, None)  # a generator's warm-up happens before the run's clock starts
    start = clock.now()
    stop_at = start + bounds.duration_s if bounds.duration_s is not None else math.inf
    interval = 1.0 / bounds.rate if bounds.rate else 0.0
    for i, record in enumerate(chain([first], source) if first is not None else ()):
        if interval:
            _wait_until(delivery, clock, sleep, min(start + i * interval, stop_at))
        now = clock.now()
        if now >= stop_at:
            break
        delivery.offer(record)
        if delivery.next_due() <= now:
            delivery.pump()
        if progress is not None:
            progress(1)
    delivery.finish()
    end = clock.now() + bounds.drain_s
    while delivery.held() and clock.now() < end:
        _wait_until(delivery, clock, sleep, min(delivery.next_due(), end))


def _wait_until(delivery: Delivery, clock: Clock, sleep: Callable[[float], None], t: float) -> None:
    """Sleep until ``t``, pumping the delivery whenever something falls due meanwhile."""
    while True:
        now = clock.now()
        if delivery.next_due() <= now:
            delivery.pump()
            continue
        if now >= t:
            return
        sleep(min(t, delivery.next_due()) - now)
