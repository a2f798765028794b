"""Server-side truth of a load run, from the mock's journal (pure; no locust, no HTTP).

Every figure comes from what the mock saw: one journal entry per event per request, with its
``outcome`` and ``received_at`` (ms, mock clock); the event's own ``time`` (ms) is when it was
produced on the same clock, so ``received_at - time`` is its delivery delay. An event (by
``insert_id``) is *delivered* once ingested, *lost* when it was sent but never ingested (the
connector gave up), *duplicated* when the mock saw it again after ingesting it.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from simulator.generator import device_class

INGESTED, DEDUPLICATED, THROTTLED = "ingested", "deduplicated", "throttled"
QUOTA_EXCEEDED, UNAUTHORIZED = "quota_exceeded", "unauthorized"


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def _class(entry: Mapping[str, Any]) -> str:
    return device_class(entry.get("device_id")) or "no-device"


def summarize(entries: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The run's figures: counts per outcome, delivered/lost/duplicated, delays per class."""
    outcomes: Counter[str] = Counter()
    first_ingest: dict[str, Mapping[str, Any]] = {}
    seen_class: dict[str, str] = {}
    duplicated = 0
    for entry in entries:
        outcome, insert_id = entry.get("outcome", ""), entry.get("insert_id")
        outcomes[outcome] += 1
        if not isinstance(insert_id, str):
            continue
        seen_class.setdefault(insert_id, _class(entry))
        if outcome == INGESTED:
            if insert_id in first_ingest:
                duplicated += 1
            else:
                first_ingest[insert_id] = entry
        elif outcome == DEDUPLICATED:
            duplicated += 1
    summary: dict[str, Any] = {
        "seen": len(seen_class),
        "delivered": len(first_ingest),
        "lost": len(seen_class) - len(first_ingest),
        "duplicated": duplicated,
        "throttled": outcomes[THROTTLED],
        "quota_exceeded": outcomes[QUOTA_EXCEEDED],
        "unauthorized": outcomes[UNAUTHORIZED],
        "outcomes": dict(outcomes),
    }
    summary.update(_delays(first_ingest.values()))
    for cls, n in Counter(seen_class[i] for i in first_ingest).items():
        summary[f"delivered.{cls}"] = n
    return summary


def delay_s(entry: Mapping[str, Any]) -> float | None:
    time, received = entry.get("time"), entry.get("received_at")
    if not isinstance(time, int | float) or not isinstance(received, int | float):
        return None
    return (received - time) / 1000.0


def _delays(ingested: Iterable[Mapping[str, Any]]) -> dict[str, float]:
    by_class: dict[str, list[float]] = defaultdict(list)
    for entry in ingested:
        delay = delay_s(entry)
        if delay is not None:
            by_class[_class(entry)].append(delay)
            by_class[""].append(delay)
    out: dict[str, float] = {}
    for cls, delays in by_class.items():
        suffix = f".{cls}" if cls else ""
        out[f"delay_p50_s{suffix}"] = percentile(delays, 50)
        out[f"delay_p95_s{suffix}"] = percentile(delays, 95)
        out[f"delay_max_s{suffix}"] = max(delays)
    return out


def expected_credential_loss(
    entries: Iterable[Mapping[str, Any]],
    restored_at_ms: int,
    horizon_s: float,
    retry_max_s: float,
) -> tuple[set[str], set[str]]:
    """The oracle for the credential-expiry story, from the server's own log.

    An event whose first rejected attempt (``unauthorized``) came more than one horizon plus
    one retry interval before the key was restored must be lost; one that failed less than a
    horizon before must be delivered; the events in between depend on where the connector's
    retry ticks fell and are left out. Returns (must be lost, must be delivered).
    """
    first_fail: dict[str, int] = {}
    for entry in entries:
        insert_id = entry.get("insert_id")
        if entry.get("outcome") == UNAUTHORIZED and isinstance(insert_id, str):
            first_fail.setdefault(insert_id, int(entry["received_at"]))
    lost, kept = set(), set()
    for insert_id, failed_at in first_fail.items():
        waited_s = (restored_at_ms - failed_at) / 1000.0
        if waited_s > horizon_s + retry_max_s:
            lost.add(insert_id)
        elif waited_s < horizon_s:
            kept.add(insert_id)
    return lost, kept
