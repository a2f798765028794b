"""``insert_id`` deduplication over a horizon (7 days by default).

[V2]: a later event with the same ``insert_id`` on the same ``device_id`` (when it has one) within
the past 7 days is ignored; the request still succeeds (AMPLITUDE_API.md §4.5). The key is
``(device_id, insert_id)``; events without ``insert_id`` are never duplicates.
"""

from __future__ import annotations


class Dedupe:
    """Seen ``(device_id, insert_id)`` pairs with their expiry time (seconds)."""

    def __init__(self, horizon_s: float) -> None:
        self.horizon_s = horizon_s
        self._expiry: dict[tuple[str | None, str], float] = {}
        self._oldest = float("inf")
        self._purged_at = float("-inf")

    def seen(self, device_id: str | None, insert_id: str, now: float) -> bool:
        """True when the pair was first seen less than the horizon ago."""
        expiry = self._expiry.get((device_id, insert_id))
        return expiry is not None and now < expiry

    def add(self, device_id: str | None, insert_id: str, now: float) -> None:
        expiry = now + self.horizon_s
        self._expiry[(device_id, insert_id)] = expiry
        self._oldest = min(self._oldest, expiry)
        self._purge(now)

    def _purge(self, now: float) -> None:
        """Drop expired pairs, at most once an hour of model time and only when any expired."""
        if now < self._oldest or now - self._purged_at < 3600:
            return
        self._purged_at = now
        self._expiry = {k: t for k, t in self._expiry.items() if t > now}
        self._oldest = min(self._expiry.values(), default=float("inf"))

    def clear(self) -> None:
        self._expiry.clear()
        self._oldest = float("inf")

    def __len__(self) -> int:
        return len(self._expiry)
