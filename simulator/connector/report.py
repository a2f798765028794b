"""Figures computed from the ledger, and nothing else: counts, delays, loss window, series.

``summarize(ledger)`` gives the numbers ``currents-sim simulate --json`` prints; ``series`` gives
the data behind the plots (delay over time by device class, backlog size, cumulative loss).
Percentiles are nearest-rank (the smallest delay with at least q% of delays at or below it).

Both work on the ledger's columns as whole arrays (numpy): a million rows take a fraction of a
second. ``report_reference`` computes the same figures row by row, the way a reader would; the
tests hold the two equal on every scenario, so read that module to know what a figure means.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from simulator.connector.ledger import DELIVERED, DROPPED, FATE_CODES, NO_ATTEMPT, SKIPPED, Ledger

_P = TypeVar("_P")
Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]

# Answers after which Amplitude may have stored the events anyway (AMPLITUDE_API.md §3.6:
# 500, 502, 504 "may or may not have been ingested"; 0 = no answer at all).
AMBIGUOUS = frozenset({0, 500, 502, 504})
_QUEUED, _DELIVERED, _DROPPED, _SKIPPED = (
    FATE_CODES[f] for f in (None, DELIVERED, DROPPED, SKIPPED)
)


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile of ``values`` (sorted or not); None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[_rank(q, len(ordered)) - 1]


def _rank(q: float, n: int) -> int:
    return max(1, math.ceil(q / 100.0 * n))


@dataclass(frozen=True, slots=True)
class _Columns:
    """The ledger's rows as numpy arrays (copies: the ledger may keep growing)."""

    fate: npt.NDArray[np.uint8]
    produced_at: Floats
    fate_at: Floats  # NaN while queued
    device_class: npt.NDArray[np.uint32]
    reason: npt.NDArray[np.uint32]
    resent: Ints  # copies sent again after an answer that may have stored them

    @classmethod
    def of(cls, ledger: Ledger) -> _Columns:
        rows, c = len(ledger), ledger.columns
        statuses = np.array([r.status for r in ledger.requests], dtype=np.int64)
        ambiguous = np.isin(statuses, np.array(sorted(AMBIGUOUS), dtype=np.int64))
        request = np.array(c.attempt_request, dtype=np.int64)
        again = ambiguous[request] & (np.array(c.attempt_next) != NO_ATTEMPT)
        carried = np.array(c.attempt_row, dtype=np.int64)
        return cls(
            np.array(c.fate, dtype=np.uint8),
            np.array(c.produced_at, dtype=np.float64),
            np.array(c.fate_at, dtype=np.float64),
            np.array(c.device_class.codes, dtype=np.uint32),
            np.array(c.reason.codes, dtype=np.uint32),
            np.bincount(carried[again], minlength=rows).astype(np.int64),
        )


def counts(columns: _Columns, rows: Mask | None = None) -> dict[str, Any]:
    """Fates, duplicates and delays of the rows selected by ``rows`` (all when None)."""
    fate = columns.fate if rows is None else columns.fate[rows]
    fates = np.bincount(fate, minlength=len(FATE_CODES))
    delivered = fate == _DELIVERED
    produced_at = columns.produced_at if rows is None else columns.produced_at[rows]
    fate_at = columns.fate_at if rows is None else columns.fate_at[rows]
    resent = columns.resent if rows is None else columns.resent[rows]
    delays = np.sort(fate_at[delivered] - produced_at[delivered])
    n = len(delays)
    return {
        "produced": len(fate),
        "delivered": int(fates[_DELIVERED]),
        "lost": int(fates[_DROPPED]),
        "skipped": int(fates[_SKIPPED]),
        "queued": int(fates[_QUEUED]),
        "duplicates": int(resent.sum()),
        "delay_p50_s": float(delays[_rank(50, n) - 1]) if n else None,
        "delay_p95_s": float(delays[_rank(95, n) - 1]) if n else None,
        "delay_max_s": float(delays[-1]) if n else None,
    }


def _tally(
    codes: npt.NDArray[np.uint32], names: list[str | None], key: Any = lambda s: s or ""
) -> dict[str, int]:
    """``Counter(key(name) for each row).most_common()`` as a dict: by count, ties in the order
    first seen, computed per distinct code."""
    unique, first, n = np.unique(codes, return_index=True, return_counts=True)
    tally: dict[str, int] = {}
    by_first = sorted(zip(first.tolist(), unique.tolist(), n.tolist(), strict=True))
    for _, code, count in by_first:
        label = key(names[code])
        tally[label] = tally.get(label, 0) + count
    return dict(sorted(tally.items(), key=lambda kv: -kv[1]))


def summarize(ledger: Ledger, *, exclude_classes: Iterable[str] = ()) -> dict[str, Any]:
    """Totals, per-class breakdowns, loss reasons and the window of lost event times."""
    columns = _Columns.of(ledger)
    names = ledger.columns.device_class.values
    out = counts(columns)
    excluded = set(exclude_classes)
    if excluded:
        codes = [c for name, c in ledger.columns.device_class.codes_of.items() if name in excluded]
        kept = ~np.isin(columns.device_class, np.array(codes, dtype=np.uint32))
        out["without"] = {"classes": sorted(excluded), **counts(columns, kept)}
    present = sorted((names[c] or "", c) for c in np.unique(columns.device_class).tolist())
    out["classes"] = {name: counts(columns, columns.device_class == c) for name, c in present}
    lost = columns.fate == _DROPPED
    reasons = ledger.columns.reason.values
    out["lost_reasons"] = _tally(columns.reason[lost], reasons)
    out["lost_window"] = (
        {
            "first_s": float(columns.produced_at[lost].min()),
            "last_s": float(columns.produced_at[lost].max()),
        }
        if lost.any()
        else None
    )
    skipped = columns.reason[columns.fate == _SKIPPED]
    out["skipped_reasons"] = _tally(skipped, reasons, lambda s: (s or "").split(":")[0])
    out["requests"] = len(ledger.requests)
    statuses, n = np.unique([r.status for r in ledger.requests], return_counts=True)
    out["requests_by_status"] = {
        str(k): v for k, v in zip(statuses.tolist(), n.tolist(), strict=True)
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
    c = _Columns.of(ledger)
    held = c.fate != _SKIPPED
    left = held & ~np.isnan(c.fate_at)  # delivered or dropped: leaves the backlog then
    times = np.concatenate([c.produced_at[held] - start, c.fate_at[left] - start])
    steps = np.concatenate(
        [np.ones(int(held.sum()), np.int64), -np.ones(int(left.sum()), np.int64)]
    )
    order = np.lexsort((steps, times))  # as sorting (t, step) pairs: -1 before +1 at one t
    backlog = list(zip(times[order].tolist(), np.cumsum(steps[order]).tolist(), strict=True))
    drops = np.sort(c.fate_at[c.fate == _DROPPED] - start).tolist()
    lost = [(t, i + 1) for i, t in enumerate(drops)]
    return Series(
        {k: thin(v, max_points) for k, v in _delay_by_class(ledger, c, start).items()},
        thin(backlog, max_points),
        thin(lost, max_points),
    )


def _delay_by_class(
    ledger: Ledger, c: _Columns, start: float
) -> dict[str, list[tuple[float, float]]]:
    """(produced, delay) of each delivered event by class, classes in order of first delivery."""
    delivered = c.fate == _DELIVERED
    classes = c.device_class[delivered]
    produced, fate_at = c.produced_at[delivered], c.fate_at[delivered]
    t, delay = (produced - start).tolist(), (fate_at - produced).tolist()
    unique, first = np.unique(classes, return_index=True)
    out: dict[str, list[tuple[float, float]]] = {}
    for code, _ in sorted(zip(unique.tolist(), first.tolist(), strict=True), key=lambda p: p[1]):
        rows = np.flatnonzero(classes == code).tolist()
        out[ledger.columns.device_class.values[code] or ""] = [(t[i], delay[i]) for i in rows]
    return out


def thin(points: list[_P], limit: int) -> list[_P]:
    """At most about ``limit`` points: every k-th, and the last."""
    if len(points) <= limit:
        return points
    step = math.ceil(len(points) / limit)
    return points[::step] + points[-1:]
