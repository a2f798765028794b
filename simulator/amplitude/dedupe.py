"""``insert_id`` deduplication over a horizon (7 days by default).

[V2]: a later event with the same ``insert_id`` on the same ``device_id`` (when it has one) within
the past 7 days is ignored; the request still succeeds (AMPLITUDE_API.md §4.5). The key is
``(device_id, insert_id)``; events without ``insert_id`` are never duplicates.

Memory: a pair is kept as its 64-bit hash (about 100 bytes per pair instead of ~300 with both
strings), so a million pairs fit in ~100 MB. Two different pairs collide with probability
~n²/2⁶⁵ (3·10⁻⁸ for a million pairs); a collision would make one event look like a duplicate.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from itertools import repeat
from operator import is_

from simulator.amplitude.validation import IdColumns


def derived_device_id(user_id: str) -> str:
    """The device id Amplitude derives for an event sent without one.

    [V2] / [BATCH] event table (AMPLITUDE_API.md §2.3): ``device_id`` is "required unless
    ``user_id`` is present ... if missing, Amplitude derives it from a hash of ``user_id``", so an
    event without ``device_id`` is deduplicated on that derived id: two users sending the same
    ``insert_id`` never collide. Amplitude's hash is not documented; this one is the mock's
    (stable, and distinct per ``user_id``)."""
    return "derived:" + hashlib.blake2b(user_id.encode(), digest_size=12).hexdigest()


def dedupe_devices(ids: IdColumns) -> list[str | None]:
    """The device column dedupe keys on: the event's ``device_id``, else the one derived from
    its ``user_id``. The common request (every event has a device id) is the column itself."""
    devices, users = ids
    if None not in devices:
        return devices
    return [
        d if d is not None or u is None else derived_device_id(u)
        for d, u in zip(devices, users, strict=True)
    ]


class Dedupe:
    """Seen ``(device_id, insert_id)`` pairs with their expiry time (seconds)."""

    def __init__(self, horizon_s: float) -> None:
        self.horizon_s = horizon_s
        self._expiry: dict[int, float] = {}
        self._oldest = float("inf")
        self._purged_at = float("-inf")

    def seen(self, device_id: str | None, insert_id: str, now: float) -> bool:
        """True when the pair was first seen less than the horizon ago."""
        expiry = self._expiry.get(hash((device_id, insert_id)))
        return expiry is not None and now < expiry

    def first_seen(self, device_id: str | None, insert_id: str, now: float) -> bool:
        """Record the pair unless it is a duplicate; True when it is new (or expired)."""
        key = hash((device_id, insert_id))
        expiry = self._expiry.get(key)
        if expiry is not None and now < expiry:
            return False
        self._expiry[key] = now + self.horizon_s
        if now >= self._oldest:
            self._purge(now)
        elif self._oldest == float("inf"):
            self._oldest = now + self.horizon_s
        return True

    def new_flags(
        self, device_ids: Sequence[str | None], insert_ids: Sequence[str | None], now: float
    ) -> list[bool]:
        """``first_seen`` of each ``(device_id, insert_id)`` in order, a request at a time; a
        pair without an ``insert_id`` is always new.

        The common request (every event has an ``insert_id``, no pair twice) runs in C: one
        ``setdefault`` per pair stores the new expiry and returns what was there, and a pair is
        new when that is the very float object just stored. Identity, not equality: a pair seen
        at the same instant (a paused clock) has an equal expiry and is a duplicate. Anything
        else goes pair by pair."""
        if now >= self._oldest:
            self._purge(now)
        horizon = float(now + self.horizon_s)  # a new object, never a cached small int
        if None in insert_ids:
            return self._each(zip(device_ids, insert_ids, strict=True), now)
        keys = list(map(hash, zip(device_ids, insert_ids, strict=True)))
        if len(set(keys)) < len(keys):
            return self._each(zip(device_ids, insert_ids, strict=True), now)
        before = list(map(self._expiry.setdefault, keys, repeat(horizon)))
        flags = list(map(is_, before, repeat(horizon)))
        if min(before, default=horizon) <= now:  # pairs whose expiry has passed are new again
            for i in [i for i, seen in enumerate(before) if seen <= now]:
                self._expiry[keys[i]] = horizon
                flags[i] = True
        if self._oldest == float("inf") and self._expiry:
            self._oldest = horizon
        return flags

    def _each(self, pairs: Iterable[tuple[str | None, str | None]], now: float) -> list[bool]:
        """``new_flags`` pair by pair (a pair without ``insert_id`` is new and not kept)."""
        return [
            True if insert_id is None else self.first_seen(device_id, insert_id, now)
            for device_id, insert_id in pairs
        ]

    def add(self, device_id: str | None, insert_id: str, now: float) -> None:
        self.first_seen(device_id, insert_id, now)

    def _purge(self, now: float) -> None:
        """Drop expired pairs, at most once an hour of model time."""
        if now - self._purged_at < 3600:
            return
        self._purged_at = now
        self._expiry = {k: t for k, t in self._expiry.items() if t > now}
        self._oldest = min(self._expiry.values(), default=float("inf"))

    def clear(self) -> None:
        self._expiry.clear()
        self._oldest = float("inf")

    def __len__(self) -> int:
        return len(self._expiry)
