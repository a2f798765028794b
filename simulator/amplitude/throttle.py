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
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from simulator.amplitude.errors import Throttled
from simulator.amplitude.limits import Limits


class SlidingCounter:
    """Counts per id over the last ``span`` buckets of ``bucket_s`` seconds each.

    Each id keeps one flat ``array('q')`` ``[total, bucket, n, bucket, n, ...]`` (oldest first):
    small, cheap to prune from the front, and invisible to the cyclic garbage collector (arrays
    hold no references), so a million ids do not slow every collection down. An id seen in one
    bucket only (the common case with many devices) is a plain tuple ``(total, bucket, n)``,
    which is cheaper to create; it becomes an array when a second bucket is added.
    """

    def __init__(self, bucket_s: int, span: int) -> None:
        self.bucket_s = bucket_s
        self.span = span
        self._ids: dict[str, array[int] | tuple[int, int, int]] = {}
        self._swept = 0

    def bucket(self, now: float) -> int:
        return int(now // self.bucket_s)

    def count(self, key: str, bucket: int) -> int:
        """Events for ``key`` in buckets ``(bucket - span, bucket]``."""
        counts = self._ids.get(key)
        if counts is None:
            return 0
        oldest = bucket - self.span
        if counts[1] > oldest:
            return counts[0]
        if isinstance(counts, tuple):
            del self._ids[key]
            return 0
        i, total, size = 1, counts[0], len(counts)
        while i < size and counts[i] <= oldest:
            total -= counts[i + 1]
            i += 2
        if i >= size:
            del self._ids[key]
            return 0
        del counts[1:i]
        counts[0] = total
        return total

    def add(self, key: str, bucket: int, n: int) -> None:
        add(self._ids, key, bucket, n)

    def sweep(self, bucket: int) -> None:
        """Forget ids with nothing left in the window (bounded memory on long runs)."""
        if bucket - self._swept < self.span:
            return
        self._swept = bucket
        for key in list(self._ids):
            self.count(key, bucket)

    def clear(self) -> None:
        self._ids.clear()

    def __len__(self) -> int:
        return len(self._ids)


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
Counts = tuple[Counter[str], Counter[str]]  # events per device_id, per user_id


def per_id(ids: Ids) -> Counts:
    """How many events of a request each device and each user has."""
    return (
        Counter([d for d, _ in ids if d is not None]),
        Counter([u for _, u in ids if u is not None]),
    )


def decide(
    windows: Windows, ids: Ids, counts: Counts, now: float, endpoint: str, limits: Limits
) -> Throttled | None:
    """The 429 verdict for a request whose events have ``ids``, or None when it may pass."""
    eps = limits.eps_for(endpoint)
    cap = eps * limits.window_s
    quota_cap = limits.daily_quota
    verdict = Throttled(eps_threshold=eps)
    hit_devices: set[str] = set()
    hit_users: set[str] = set()
    kinds = (
        ("device", counts[0], verdict.throttled_devices, verdict.exceeded_daily_quota_devices,
         hit_devices),
        ("user", counts[1], verdict.throttled_users, verdict.exceeded_daily_quota_users,
         hit_users),
    )  # fmt: skip
    for kind, per_key, rate_map, quota_map, hit in kinds:
        rate, quota = windows.rate[kind], windows.quota[kind]
        rate_bucket, quota_bucket = rate.bucket(now), quota.bucket(now)
        rate_table, quota_table = rate._ids, quota._ids
        rate_oldest, quota_oldest = rate_bucket - rate.span, quota_bucket - quota.span
        for key, n in per_key.items():
            # Fast paths of SlidingCounter.count: unknown id, or nothing to prune.
            known = rate_table.get(key)
            if known is None:
                in_window = n
            elif known[1] > rate_oldest:
                in_window = known[0] + n
            else:
                in_window = rate.count(key, rate_bucket) + n
            if in_window > cap:
                rate_map[key] = math.ceil(in_window / limits.window_s)
                hit.add(key)
            if quota_cap is not None:
                known = quota_table.get(key)
                if known is None:
                    in_day = n
                elif known[1] > quota_oldest:
                    in_day = known[0] + n
                else:
                    in_day = quota.count(key, quota_bucket) + n
                if in_day > quota_cap:
                    quota_map[key] = in_day
                    hit.add(key)
    if not hit_devices and not hit_users:
        return None
    verdict.throttled_events.extend(
        i for i, (d, u) in enumerate(ids) if d in hit_devices or u in hit_users
    )
    return verdict


def add(ids: dict[str, array[int] | tuple[int, int, int]], key: str, bucket: int, n: int) -> None:
    """Add ``n`` events of ``key`` in ``bucket`` to a ``SlidingCounter``'s table."""
    known = ids.get(key)
    if known is None:
        ids[key] = (n, bucket, n)
    elif isinstance(known, tuple):
        if known[1] == bucket:
            ids[key] = (known[0] + n, bucket, known[2] + n)
        else:
            ids[key] = array("q", (known[0] + n, known[1], known[2], bucket, n))
    elif known[-2] == bucket:
        known[-1] += n
        known[0] += n
    else:
        known.append(bucket)
        known.append(n)
        known[0] += n


def record(windows: Windows, counts: Counts, now: float) -> None:
    """Count the events of an accepted request in every window."""
    for kind, per_key in (("device", counts[0]), ("user", counts[1])):
        for counter in (windows.rate[kind], windows.quota[kind]):
            bucket, table = counter.bucket(now), counter._ids
            get = table.get
            for key, n in per_key.items():
                known = get(key)
                if known is None:  # the common case with many ids: inline the cheapest branch
                    table[key] = (n, bucket, n)
                elif isinstance(known, tuple) and known[1] == bucket:
                    table[key] = (known[0] + n, bucket, known[2] + n)
                else:
                    add(table, key, bucket, n)
            counter.sweep(bucket)
