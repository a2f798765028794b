"""Sync cadences, as a table (BRAZE_CURRENTS.md §5.1: [AMP-AUD], [AMP-CI], [AMPD-SYNC]).

Braze's Amplitude pages offer one-time, scheduled hourly or daily, and real-time syncs that
check every minute. Amplitude queues scheduled jobs "across the hour or day", so the exact run
time cannot be chosen; the model runs the first sync (the initial population) when the job
starts and then every ``interval_s``, optionally shifted by ``offset_s`` within the interval.

Retry decision (no source gives one): a failed run is retried at the next scheduled run, which
re-sends every change Braze has not acknowledged. A one-time sync has no next run, so it is
retried every ``ONE_TIME_RETRY_S`` until it succeeds; then it never runs again.
"""

from __future__ import annotations

from dataclasses import dataclass

ONE_TIME_RETRY_S = 3600.0


@dataclass(frozen=True)
class Schedule:
    name: str
    interval_s: float | None  # None: one-time
    offset_s: float = 0.0

    def next_run(self, start: float, last_run: float | None, last_ok: bool | None) -> float | None:
        """When the next run is due, or None when the job is done (one-time, succeeded)."""
        if last_run is None:
            return start + self.offset_s
        if self.interval_s is None:
            return None if last_ok else last_run + ONE_TIME_RETRY_S
        k = int((last_run - start - self.offset_s) // self.interval_s) + 1
        return start + self.offset_s + k * self.interval_s


SCHEDULES: dict[str, Schedule] = {
    "one-time": Schedule("one-time", None),
    "hourly": Schedule("hourly", 3600.0),
    "daily": Schedule("daily", 86400.0),
    "real-time": Schedule("real-time", 60.0),
}


def schedule(name: str, offset_s: float = 0.0) -> Schedule:
    """The named cadence (``SCHEDULES``); ``ValueError`` for an unknown name."""
    try:
        base = SCHEDULES[name]
    except KeyError:
        raise ValueError(f"unknown schedule {name!r}; one of {', '.join(SCHEDULES)}") from None
    if base.interval_s is not None and not 0 <= offset_s < base.interval_s:
        raise ValueError("offset_s must be within the interval")
    return Schedule(base.name, base.interval_s, offset_s)
