"""The ledger's figures computed row by row, as a reader would write them: the reference.

``report.summarize`` and ``report.series`` compute the same figures from the ledger's columns
at once (a million rows in a fraction of a second); the tests hold them equal to these, row by
row, on every scenario. Read this module to know what a figure means.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from simulator.connector.ledger import DELIVERED, DROPPED, SKIPPED, Entry, Ledger
from simulator.connector.report import AMBIGUOUS, Series, percentile, thin


def _delays(entries: Iterable[Entry]) -> dict[str, float | None]:
    delays = [e.delay_s for e in entries if e.delay_s is not None]
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
    entries = list(ledger)
    by_class: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_class[entry.device_class].append(entry)
    out = counts(entries, ledger)
    excluded = set(exclude_classes)
    if excluded:
        kept = [e for e in entries if e.device_class not in excluded]
        out["without"] = {"classes": sorted(excluded), **counts(kept, ledger)}
    out["classes"] = {name: counts(rows, ledger) for name, rows in sorted(by_class.items())}
    lost = [e for e in entries if e.fate == DROPPED]
    out["lost_reasons"] = dict(Counter(e.reason or "" for e in lost).most_common())
    out["lost_window"] = (
        {"first_s": min(e.produced_at for e in lost), "last_s": max(e.produced_at for e in lost)}
        if lost
        else None
    )
    out["skipped_reasons"] = dict(
        Counter((e.reason or "").split(":")[0] for e in entries if e.fate == SKIPPED).most_common()
    )
    out["requests"] = len(ledger.requests)
    out["requests_by_status"] = {
        str(k): v for k, v in sorted(Counter(r.status for r in ledger.requests).items())
    }
    return out


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
        {k: thin(v, max_points) for k, v in delay.items()},
        thin(backlog, max_points),
        thin(lost, max_points),
    )
