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
from pathlib import Path
from typing import Any

from load.thresholds import Breach, Threshold
from load.truth import INGESTED, delay_s, entry_class


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


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_delay(path: Path, scenario: str, entries: Iterable[Mapping[str, Any]]) -> None:
    plt = _pyplot()
    series: dict[str, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    start = None
    for entry in entries:
        delay = delay_s(entry)
        if entry.get("outcome") != INGESTED or delay is None:
            continue
        start = entry["received_at"] if start is None else min(start, entry["received_at"])
        xs, ys = series[entry_class(entry)]
        xs.append(entry["received_at"])
        ys.append(delay)
    fig, ax = plt.subplots(figsize=(9, 4.5))
    for cls, (xs, ys) in sorted(series.items()):
        ax.scatter([(x - (start or 0)) / 1000 for x in xs], ys, s=4, label=cls, alpha=0.6)
    ax.set(
        title=f"{scenario}: delivery delay by device class",
        xlabel="mock time since first delivery (s)",
        ylabel="delay (s)",
    )
    if series:
        ax.legend(markerscale=4)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_throughput(path: Path, scenario: str, entries: Iterable[Mapping[str, Any]]) -> None:
    plt = _pyplot()
    rows = [(e["received_at"], e.get("outcome", "")) for e in entries if "received_at" in e]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    if rows:
        start = min(t for t, _ in rows)
        span = max(1, max(t for t, _ in rows) - start)
        bucket = max(1000, span // 60)  # ~60 bars, at least one second of mock time
        counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for t, outcome in rows:
            counts[outcome][(t - start) // bucket] += 1
        for outcome, per in sorted(counts.items()):
            xs = sorted(per)
            ax.plot([x * bucket / 1000 for x in xs], [per[x] for x in xs], label=outcome)
        ax.legend()
        ax.set_ylabel(f"events per {bucket / 1000:g} s of mock time")
    ax.set(title=f"{scenario}: events by outcome over time", xlabel="mock time (s)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
