"""Injected clocks.

The core never reads wall time itself: every time rule (throttle windows, quotas, dedupe
horizons, credential expiry, retry schedules) asks a ``Clock``. ``SystemClock`` is the one
place that touches the wall; ``ManualClock`` drives simulations and tests; ``ControllableClock``
is what the served mock uses so that ``/_mock/clock`` can set, advance and scale time while
real requests keep arriving.

Time is a float of seconds since the Unix epoch (UTC); ``now_ms`` gives integer milliseconds,
the unit Amplitude speaks.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol, runtime_checkable


class Clock(Protocol):
    """Anything that tells the time, in seconds since the epoch."""

    def now(self) -> float: ...


@runtime_checkable
class SettableClock(Protocol):
    """A clock the served mock's ``/_mock/clock`` can move: set, advance and rescale
    (``ControllableClock``). A clock without these is read-only through the admin API."""

    @property
    def scale(self) -> float: ...

    def now(self) -> float: ...

    def set(self, t: float) -> None: ...

    def advance(self, seconds: float) -> None: ...

    def set_scale(self, scale: float) -> None: ...


def now_ms(clock: Clock) -> int:
    """The clock's time in integer milliseconds."""
    return int(clock.now() * 1000)


class SystemClock:
    """Wall time. The only wall-clock read in the core."""

    def now(self) -> float:
        return time.time()


class ManualClock:
    """A clock that moves only when told to: simulated days pass in microseconds."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = float(start)

    def now(self) -> float:
        return self._now

    def set(self, t: float) -> None:
        if t < self._now:
            raise ValueError(f"a ManualClock does not go back in time ({t} < {self._now})")
        self._now = float(t)

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("advance needs a non-negative number of seconds")
        self._now += seconds


class ControllableClock:
    """Real time seen through an offset and a speed, both changeable while running.

    ``now = anchor_sim + (base.now() - anchor_base) * scale``. Setting, advancing or rescaling
    re-anchors so the reading never jumps unexpectedly. With ``frozen=True`` (scale 0) it behaves
    like a manual clock. Thread-safe: the served mock reads it from many request threads.
    """

    def __init__(
        self, base: Clock | None = None, *, start: float | None = None, scale: float = 1.0
    ) -> None:
        self._base = base or SystemClock()
        self._lock = threading.Lock()
        self._anchor_base = self._base.now()
        self._anchor_sim = self._anchor_base if start is None else float(start)
        self._scale = float(scale)

    def now(self) -> float:
        with self._lock:
            return self._read()

    def _read(self) -> float:
        return self._anchor_sim + (self._base.now() - self._anchor_base) * self._scale

    def _reanchor(self, sim_now: float) -> None:
        self._anchor_base = self._base.now()
        self._anchor_sim = sim_now

    @property
    def scale(self) -> float:
        return self._scale

    def set(self, t: float) -> None:
        with self._lock:
            self._reanchor(float(t))

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("advance needs a non-negative number of seconds")
        with self._lock:
            self._reanchor(self._read() + seconds)

    def set_scale(self, scale: float) -> None:
        if scale < 0:
            raise ValueError("scale must be >= 0 (0 freezes the clock)")
        with self._lock:
            self._reanchor(self._read())
            self._scale = float(scale)

    def follow_base(self) -> None:
        """Read the base clock again, at its speed (no offset, scale 1): the served mock's
        ``POST /_mock/reset`` gives a moved or frozen clock back to real time this way."""
        with self._lock:
            self._anchor_base = self._anchor_sim = self._base.now()
            self._scale = 1.0
