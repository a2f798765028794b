"""Figures computed from the ledger, and nothing else: counts, delays, loss window, series.

``summarize(ledger)`` gives the numbers ``currents-sim simulate --json`` prints; ``series`` gives
the data behind the plots (delay over time by device class, backlog size, cumulative loss).
Percentiles are nearest-rank (the smallest delay with at least q% of delays at or below it).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from simulator.connector.ledger import DELIVERED, DROPPED, SKIPPED, Entry, Ledger

_P = TypeVar("_P")

# Answers after which Amplitude may have stored the events anyway (AMPLITUDE_API.md §3.6:
# 500, 502, 504 "may or may not have been ingested"; 0 = no answer at all).
AMBIGUOUS = frozenset({0, 500, 502, 504})


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile of ``values`` (sorted or not); None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100.0 * len(ordered)))
    return ordered[rank - 1]


def _delays(entries: Iterable[Entry]) -> dict[str, float | None]:
    delays = [e.fate_at - e.produced_at for e in entries if e.fate == DELIVERED and e.fate_at]
    return {
        "delay_p50_s": percentile(delays, 50),
        "delay_p95_s": percentile(delays, 95),
        "delay_max_s": max(delays) if delays else None,
    }


def _copies_resent(entry: Entry, ledger: Ledger) -> int:
    """How often the event was sent again after an answer that may have stored it: each is a
    duplicate at Amplitude unless dropped there by ``insert_id``."""
    return sum(1 for i in entry.attempts[:-1] if ledger.requests[i].status in AMBIGUOUS)


def counts(entries: list[Entry], ledger: Ledger) -> dict[str, Any]:
    fates = Counter(e.fate for e in entries)
    out: dict[str, Any] = {
        "produced": len(entries),
        "delivered": fates[DELIVERED],
        "lost": fates[DROPPED],
        "skipped": fates[SKIPPED],
        "queued": fates[None],
        "duplicates": sum(_copies_resent(e, ledger) for e in entries),
    }
    out.update(_delays(entries))
    return out


def summarize(ledger: Ledger, *, exclude_classes: Iterable[str] = ()) -> dict[str, Any]:
    """Totals, per-class breakdowns, loss reasons and the window of lost event times."""
    by_class: dict[str, list[Entry]] = defaultdict(list)
    for entry in ledger:
        by_class[entry.device_class].append(entry)
    out = counts(ledger.entries, ledger)
    excluded = set(exclude_classes)
    if excluded:
        kept = [e for e in ledger if e.device_class not in excluded]
        out["without"] = {"classes": sorted(excluded), **counts(kept, ledger)}
    out["classes"] = {name: counts(rows, ledger) for name, rows in sorted(by_class.items())}
    lost = [e for e in ledger if e.fate == DROPPED]
    out["lost_reasons"] = dict(Counter(e.reason or "" for e in lost).most_common())
    out["lost_window"] = (
        {"first_s": min(e.produced_at for e in lost), "last_s": max(e.produced_at for e in lost)}
        if lost
        else None
    )
    out["skipped_reasons"] = dict(
        Counter((e.reason or "").split(":")[0] for e in ledger if e.fate == SKIPPED).most_common()
    )
    out["requests"] = len(ledger.requests)
    out["requests_by_status"] = {
        str(k): v for k, v in sorted(Counter(r.status for r in ledger.requests).items())
    }
    return out


@dataclass(frozen=True, slots=True)
class Series:
    """Plot data, times in seconds since ``start``."""

    delay: dict[str, list[tuple[float, float]]]  # class -> (produced, delay) of delivered events
    backlog: list[tuple[float, int]]  # (t, events held by the connector)
    lost: list[tuple[float, int]]  # (t, cumulative events dropped)


def series(ledger: Ledger, start: float, *, max_points: int = 20_000) -> Series:
    """Delay by class, backlog over time and cumulative loss, thinned to ``max_points``."""
    delay: dict[str, list[tuple[float, float]]] = defaultdict(list)
    steps: list[tuple[float, int]] = []
    drops: list[float] = []
    for e in ledger:
        if e.fate == SKIPPED:
            continue
        steps.append((e.produced_at - start, 1))
        if e.fate_at is not None:
            steps.append((e.fate_at - start, -1))
        if e.fate == DELIVERED and e.fate_at is not None:
            delay[e.device_class].append((e.produced_at - start, e.fate_at - e.produced_at))
        elif e.fate == DROPPED and e.fate_at is not None:
            drops.append(e.fate_at - start)
    steps.sort()
    backlog, level = [], 0
    for t, step in steps:
        level += step
        backlog.append((t, level))
    drops.sort()
    lost = [(t, i + 1) for i, t in enumerate(drops)]
    return Series(
        {k: _thin(v, max_points) for k, v in delay.items()},
        _thin(backlog, max_points),
        _thin(lost, max_points),
    )


def _thin(points: list[_P], limit: int) -> list[_P]:
    if len(points) <= limit:
        return points
    step = math.ceil(len(points) / limit)
    return points[::step] + points[-1:]
