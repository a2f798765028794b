"""Per-id sliding counts: the 30-second throttle window and the rolling 24-hour quota.

Rules (AMPLITUDE_API.md §4.1–§4.3, [BATCH] "EPDS ... averaged over 30 seconds", "Daily limit":
rolling 24 h in one-hour steps): for each ``device_id`` and ``user_id`` of a request, the events
already accepted in the window plus the request's own events for that id are counted; the id is
throttled when ``count / window_s > eps`` and over quota when the 24 h count exceeds the quota.
Any throttled or over-quota id rejects the whole request (429, nothing ingested); only events of
accepted requests are counted, so a client that waits one window always gets through.

Time is cut into buckets (1 s for the throttle window, 1 h for the quota) so that memory per id
is bounded and the window slides by whole buckets, exactly as a reference count over the same
buckets would (the stateful test in ``tests/simulator/amplitude`` relies on that).
"""

from __future__ import annotations

import math
from collections import Counter, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from simulator.amplitude.errors import Throttled
from simulator.amplitude.limits import Limits


class SlidingCounter:
    """Counts per id over the last ``span`` buckets of ``bucket_s`` seconds each."""

    def __init__(self, bucket_s: int, span: int) -> None:
        self.bucket_s = bucket_s
        self.span = span
        self._buckets: dict[str, deque[list[int]]] = {}
        self._totals: dict[str, int] = {}
        self._swept = 0

    def bucket(self, now: float) -> int:
        return int(now // self.bucket_s)

    def count(self, key: str, bucket: int) -> int:
        """Events for ``key`` in buckets ``(bucket - span, bucket]``."""
        buckets = self._buckets.get(key)
        if buckets is None:
            return 0
        oldest = bucket - self.span
        total = self._totals[key]
        while buckets and buckets[0][0] <= oldest:
            total -= buckets.popleft()[1]
        if not buckets:
            del self._buckets[key], self._totals[key]
            return 0
        self._totals[key] = total
        return total

    def add(self, key: str, bucket: int, n: int) -> None:
        buckets = self._buckets.get(key)
        if buckets is None:
            self._buckets[key] = deque([[bucket, n]])
            self._totals[key] = n
            return
        if buckets[-1][0] == bucket:
            buckets[-1][1] += n
        else:
            buckets.append([bucket, n])
        self._totals[key] += n

    def sweep(self, bucket: int) -> None:
        """Forget ids with nothing left in the window (bounded memory on long runs)."""
        if bucket - self._swept < self.span:
            return
        self._swept = bucket
        for key in list(self._buckets):
            self.count(key, bucket)

    def clear(self) -> None:
        self._buckets.clear()
        self._totals.clear()

    def __len__(self) -> int:
        return len(self._buckets)


@dataclass
class Windows:
    """The throttle and quota counters of one API key, by id kind (``device``, ``user``)."""

    rate: dict[str, SlidingCounter]
    quota: dict[str, SlidingCounter]

    @classmethod
    def create(cls, limits: Limits) -> Windows:
        span = max(1, limits.quota_window_s // limits.quota_bucket_s)
        return cls(
            rate={k: SlidingCounter(1, limits.window_s) for k in ("device", "user")},
            quota={k: SlidingCounter(limits.quota_bucket_s, span) for k in ("device", "user")},
        )

    def clear(self) -> None:
        for counter in (*self.rate.values(), *self.quota.values()):
            counter.clear()


Ids = Sequence[tuple[str | None, str | None]]  # (device_id, user_id) per event


def _per_id(ids: Ids) -> tuple[Counter[str], Counter[str]]:
    devices: Counter[str] = Counter()
    users: Counter[str] = Counter()
    for device_id, user_id in ids:
        if device_id is not None:
            devices[device_id] += 1
        if user_id is not None:
            users[user_id] += 1
    return devices, users


def decide(
    windows: Windows, ids: Ids, now: float, endpoint: str, limits: Limits
) -> Throttled | None:
    """The 429 verdict for a request whose events have ``ids``, or None when it may pass."""
    eps = limits.eps_for(endpoint)
    cap = eps * limits.window_s
    devices, users = _per_id(ids)
    verdict = Throttled(eps_threshold=eps)
    hit_devices: set[str] = set()
    hit_users: set[str] = set()
    for kind, counts, rate_map, quota_map, hit in (
        ("device", devices, verdict.throttled_devices, verdict.exceeded_daily_quota_devices,
         hit_devices),
        ("user", users, verdict.throttled_users, verdict.exceeded_daily_quota_users, hit_users),
    ):  # fmt: skip
        rate, quota = windows.rate[kind], windows.quota[kind]
        rate_bucket, quota_bucket = rate.bucket(now), quota.bucket(now)
        for key, n in counts.items():
            in_window = rate.count(key, rate_bucket) + n
            if in_window > cap:
                rate_map[key] = math.ceil(in_window / limits.window_s)
                hit.add(key)
            if limits.daily_quota is not None:
                in_day = quota.count(key, quota_bucket) + n
                if in_day > limits.daily_quota:
                    quota_map[key] = in_day
                    hit.add(key)
    if not hit_devices and not hit_users:
        return None
    verdict.throttled_events.extend(
        i for i, (d, u) in enumerate(ids) if d in hit_devices or u in hit_users
    )
    return verdict


def record(windows: Windows, ids: Iterable[tuple[str | None, str | None]], now: float) -> None:
    """Count the events of an accepted request in every window."""
    devices, users = _per_id(list(ids))
    for kind, counts in (("device", devices), ("user", users)):
        rate, quota = windows.rate[kind], windows.quota[kind]
        rate_bucket, quota_bucket = rate.bucket(now), quota.bucket(now)
        for key, n in counts.items():
            rate.add(key, rate_bucket, n)
            quota.add(key, quota_bucket, n)
        rate.sweep(rate_bucket)
        quota.sweep(quota_bucket)
