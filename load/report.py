"""Our own report of a load run, beside Locust's HTML and CSV: JSON, markdown and PNG plots.

Written to ``reports/<scenario>/``: ``summary.json`` (figures, thresholds, breaches),
``summary.md`` (the same for humans and CI job summaries), ``delay.png`` (delivery delay of
each ingested event over the run, by device class) and ``throughput.png`` (events ingested and
rejected per bucket of mock time).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from load.thresholds import Breach, Threshold
from load.truth import INGESTED, delay_s, entry_class
from simulator.durations import axis_unit, describe_step, round_step


def write(
    out_dir: Path,
    scenario: str,
    summary: Mapping[str, Any],
    thresholds: Sequence[Threshold],
    breaches: Sequence[Breach],
    entries: Sequence[Mapping[str, Any]],
) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    doc = {
        "scenario": scenario,
        "passed": not breaches,
        "summary": dict(summary),
        "thresholds": [str(t) for t in thresholds],
        "breaches": [str(b) for b in breaches],
    }
    (out_dir / "summary.json").write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    (out_dir / "summary.md").write_text(markdown(scenario, summary, thresholds, breaches))
    plot_delay(out_dir / "delay.png", scenario, entries)
    plot_throughput(out_dir / "throughput.png", scenario, entries)


def write_requests(path: Path, rows: Iterable[Mapping[str, Any]]) -> None:
    """The mock's request log as JSON Lines: what the connector did, request by request."""
    with path.open("w") as stream:
        for row in rows:
            stream.write(json.dumps(row, sort_keys=True) + "\n")


def markdown(
    scenario: str,
    summary: Mapping[str, Any],
    thresholds: Sequence[Threshold],
    breaches: Sequence[Breach],
) -> str:
    broken = {b.threshold.metric: b for b in breaches}
    lines = [
        f"# Load scenario `{scenario}`: {'FAILED' if breaches else 'passed'}",
        "",
        "| threshold | seen | verdict |",
        "|---|---|---|",
    ]
    for t in thresholds:
        seen = summary.get(t.metric)
        verdict = "**breached**" if t.metric in broken else "ok"
        lines.append(f"| `{t}` | {_fmt(seen)} | {verdict} |")
    lines += ["", "| figure | value |", "|---|---|"]
    lines += [f"| {k} | {_fmt(v)} |" for k, v in sorted(summary.items()) if k != "outcomes"]
    lines += [
        "",
        "Outcomes seen by the mock: "
        + ", ".join(f"{k} {v}" for k, v in sorted(summary.get("outcomes", {}).items())),
        "",
    ]
    return "\n".join(lines)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    return "not measured" if value is None else str(value)


BUCKETS = 60  # bars of a throughput chart, about


@dataclass(frozen=True, slots=True)
class Throughput:
    """Events per bucket of mock time by outcome; every bucket listed (0 where none)."""

    bucket_s: float
    unit: str  # of xs: "seconds", "minutes", "hours" or "days" since the first entry
    xs: list[float]  # bucket starts
    counts: dict[str, list[int]]  # outcome -> count per bucket


@dataclass(frozen=True, slots=True)
class Delays:
    """Delivery delay of each first ingestion, by device class."""

    x_unit: str  # mock time since the first delivery
    y_unit: str
    points: dict[str, tuple[list[float], list[float]]]  # class -> (xs, ys)


def throughput_series(entries: Iterable[Mapping[str, Any]]) -> Throughput:
    rows = [(e["received_at"], e.get("outcome", "")) for e in entries if "received_at" in e]
    if not rows:
        return Throughput(1.0, "seconds", [], {})
    start = min(t for t, _ in rows)
    span_s = max(1.0, (max(t for t, _ in rows) - start) / 1000)
    bucket_s = round_step(span_s / BUCKETS)
    unit, unit_s = axis_unit(span_s)
    n = int(span_s // bucket_s) + 1
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * n)
    for t, outcome in rows:
        counts[outcome][int((t - start) / 1000 // bucket_s)] += 1
    xs = [i * bucket_s / unit_s for i in range(n)]
    return Throughput(bucket_s, unit, xs, dict(sorted(counts.items())))


def delay_series(entries: Iterable[Mapping[str, Any]]) -> Delays:
    rows = [(e["received_at"], entry_class(e), delay_s(e)) for e in entries
            if e.get("outcome") == INGESTED and delay_s(e) is not None]  # fmt: skip
    if not rows:
        return Delays("seconds", "seconds", {})
    start = min(t for t, _, _ in rows)
    x_unit, x_size = axis_unit((max(t for t, _, _ in rows) - start) / 1000)
    y_unit, y_size = axis_unit(max(float(d or 0) for _, _, d in rows))
    points: dict[str, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    for t, cls, delay in sorted(rows, key=lambda r: (r[1], r[0])):
        points[cls][0].append((t - start) / 1000 / x_size)
        points[cls][1].append(float(delay or 0) / y_size)
    return Delays(x_unit, y_unit, dict(points))


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _legend_outside(ax: Any, **extra: Any) -> None:
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0, fontsize=8, **extra)


def delay_figure(scenario: str, entries: Iterable[Mapping[str, Any]]) -> Any:
    plt = _pyplot()
    data = delay_series(entries)
    fig, ax = plt.subplots(figsize=(10, 4.5))
    for cls, (xs, ys) in data.points.items():
        ax.scatter(xs, ys, s=4, label=cls, alpha=0.6)
    ax.set(
        title=f"{scenario}: delivery delay by device class",
        xlabel=f"mock time since the first delivery ({data.x_unit})",
        ylabel=f"delay ({data.y_unit})",
    )
    ax.set_ylim(bottom=0)
    if data.points:
        _legend_outside(ax, markerscale=4, title="device class")
    fig.tight_layout()
    return fig


def throughput_figure(scenario: str, entries: Iterable[Mapping[str, Any]]) -> Any:
    plt = _pyplot()
    from matplotlib.ticker import MaxNLocator

    data = throughput_series(entries)
    fig, ax = plt.subplots(figsize=(10, 4.5))
    for outcome, counts in data.counts.items():
        ax.step(data.xs, counts, where="post", label=outcome)
    ax.set(
        title=f"{scenario}: events by outcome over time",
        xlabel=f"mock time since the first request ({data.unit})",
        ylabel=f"events per {describe_step(data.bucket_s)} of mock time",
    )
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if data.counts:
        _legend_outside(ax, title="outcome")
    fig.tight_layout()
    return fig


def plot_delay(path: Path, scenario: str, entries: Iterable[Mapping[str, Any]]) -> None:
    _save(delay_figure(scenario, entries), path)


def plot_throughput(path: Path, scenario: str, entries: Iterable[Mapping[str, Any]]) -> None:
    _save(throughput_figure(scenario, entries), path)


def _save(fig: Any, path: Path) -> None:
    fig.savefig(path, dpi=100)
    _pyplot().close(fig)
