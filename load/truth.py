"""Server-side truth of a load run, from the mock's journal (pure; no locust, no HTTP).

Every figure comes from what the mock saw: one journal entry per event per request, with its
``outcome`` and ``received_at`` (ms, mock clock); the event's own ``time`` (ms) is when it was
produced on the same clock, so ``received_at - time`` is its delivery delay. An event (by
``insert_id``) is *delivered* once ingested, *lost_seen* when it was sent but never ingested
(the connector gave up on it), *duplicated* when the mock saw it again after ingesting it.
Events a connector dropped without ever sending them are invisible here: the connectors' own
ledgers report those (``load.users.ledger_summary``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from simulator.connector.report import percentile as _percentile
from simulator.generator import NO_DEVICE, device_class

INGESTED, DEDUPLICATED, THROTTLED = "ingested", "deduplicated", "throttled"
QUOTA_EXCEEDED, UNAUTHORIZED = "quota_exceeded", "unauthorized"


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list (the connector report's rule)."""
    found = _percentile(values, q)
    if found is None:
        raise ValueError("percentile of nothing")
    return found


def entry_class(entry: Mapping[str, Any]) -> str:
    """The device class a journal entry is counted under (``no-device`` without a device)."""
    return device_class(entry.get("device_id")) or NO_DEVICE


@dataclass
class Ingestions:
    """The journal read once: each id's first entry and first ingestion, counts per outcome, and
    repeats of an id after its first ingestion (re-ingested or deduplicated)."""

    first_seen: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    first_ingest: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    outcomes: Counter[str] = field(default_factory=Counter)
    duplicated: int = 0


def ingestions(entries: Iterable[Mapping[str, Any]]) -> Ingestions:
    found = Ingestions()
    for entry in entries:
        outcome, insert_id = entry.get("outcome", ""), entry.get("insert_id")
        found.outcomes[outcome] += 1
        if not isinstance(insert_id, str):
            continue
        found.first_seen.setdefault(insert_id, entry)
        if outcome == INGESTED:
            if insert_id in found.first_ingest:
                found.duplicated += 1
            else:
                found.first_ingest[insert_id] = entry
        elif outcome == DEDUPLICATED:
            found.duplicated += 1
    return found


def summarize(entries: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The run's figures: counts per outcome, delivered/lost/duplicated, delays per class."""
    found = ingestions(entries)
    outcomes, first_ingest, duplicated = found.outcomes, found.first_ingest, found.duplicated
    seen_class = {i: entry_class(entry) for i, entry in found.first_seen.items()}
    summary: dict[str, Any] = {
        "seen": len(seen_class),
        "delivered": len(first_ingest),
        "lost_seen": len(seen_class) - len(first_ingest),
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
            by_class[entry_class(entry)].append(delay)
            by_class[""].append(delay)
    out: dict[str, float] = {}
    for cls, delays in by_class.items():
        suffix = f".{cls}" if cls else ""
        out[f"delay_p50_s{suffix}"] = percentile(delays, 50)
        out[f"delay_p95_s{suffix}"] = percentile(delays, 95)
        out[f"delay_max_s{suffix}"] = max(delays)
    return out


def summarize_ledgers(ledgers: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The same figures from the connectors' own ledgers, for targets that are not our mock
    (there is no journal to read): delivered, throttled (events in 429 answers), delays."""
    ledgers = list(ledgers)
    by_class: dict[str, list[float]] = defaultdict(list)
    for ledger in ledgers:
        for cls, delays in ledger["delays"].items():
            by_class[cls].extend(delays)
            by_class[""].extend(delays)
    summary: dict[str, Any] = {
        "delivered": sum(s["delivered"] for s in ledgers),
        "throttled": sum(s["throttled"] for s in ledgers),
    }
    summary.update(delay_figures(by_class))
    return summary


def delay_figures(by_class: Mapping[str, list[float]]) -> dict[str, float | int]:
    """p50, p95 and max delay for each class (key ``""``: all events, no suffix), and how many
    events of each named class were delivered."""
    out: dict[str, float | int] = {}
    for cls, delays in sorted(by_class.items()):
        suffix = f".{cls}" if cls else ""
        out[f"delay_p50_s{suffix}"] = percentile(delays, 50)
        out[f"delay_p95_s{suffix}"] = percentile(delays, 95)
        out[f"delay_max_s{suffix}"] = max(delays)
        if cls:
            out[f"delivered.{cls}"] = len(delays)
    return out
