"""PNG charts of scenario runs (matplotlib, Agg backend): delay over time by device class,
backlog size, cumulative loss. The figures come from ``simulator.connector.report.series``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from simulator.connector.report import percentile, series
from simulator.connector.scenarios import HOUR, START, Run

BINS = 120


def _label(run: Run) -> str:
    return run.strategy.value + (" (without the hot device)" if run.without_hot else "")


def _binned_p95(points: list[tuple[float, float]], width: float) -> tuple[list[float], list[float]]:
    """p95 per time bin; a gap (NaN) where a bin has no events, so lines do not bridge it."""
    bins: dict[int, list[float]] = defaultdict(list)
    for t, delay in points:
        bins[int(t // width)].append(delay)
    xs: list[float] = []
    ys: list[float] = []
    for i in sorted(bins):
        if xs and i - 1 not in bins:
            xs.append(math.nan)
            ys.append(math.nan)
        xs.append((i + 0.5) * width / HOUR)
        ys.append(float(percentile(bins[i], 95) or 0.0))
    return xs, ys


def _unit(seconds: float) -> tuple[str, float]:
    if seconds > 2 * HOUR:
        return "h", HOUR
    if seconds > 600:
        return "min", 60.0
    return "s", 1.0


def write_plots(name: str, runs: list[Run], out: Path) -> list[Path]:
    """Write ``<name>-delay.png``, ``-backlog.png`` and ``-loss.png`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    data = [(run, series(run.ledger, START)) for run in runs]
    produced = [t for _, s in data for pts in s.delay.values() for t, _ in pts]
    width = max((max(produced, default=HOUR)) / BINS, 60.0)
    worst = max((d for _, s in data for pts in s.delay.values() for _, d in pts), default=1.0)
    unit, scale = _unit(worst)
    classes = sorted({cls for _, s in data for cls in s.delay})
    colour = {cls: f"C{i % 10}" for i, cls in enumerate(classes)}
    paths = []

    fig, axes = plt.subplots(
        len(data), 1, figsize=(10, 2.8 * len(data) + 0.6), sharex=True, sharey=True, squeeze=False
    )
    for ax, (run, s) in zip(axes[:, 0], data, strict=True):
        for cls in classes:
            if cls in s.delay:
                xs, ys = _binned_p95(s.delay[cls], width)
                ax.plot(xs, [y / scale for y in ys], label=cls, color=colour[cls], linewidth=1.2)
        ax.set_title(f"{name}: {_label(run)}", fontsize=10)
        ax.set_ylabel(f"p95 delay ({unit})")
        ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8, title="device class", title_fontsize=8, loc="upper right")
    axes[-1, 0].set_xlabel(f"event time (hours since start; p95 per {width / 60:.0f}-minute bin)")
    paths.append(_save(fig, out / f"{name}-delay.png"))

    span = max((t for _, s in data for t, _ in s.backlog), default=HOUR)
    for kind, ylabel in (("backlog", "events held by the connector"), ("lost", "events lost")):
        fig, ax = plt.subplots(figsize=(10, 4))
        for i, (run, s) in enumerate(data):
            steps: list[Any] = getattr(s, kind)
            xs = [0.0] + [t / HOUR for t, _ in steps] + [span / HOUR]
            ys = [0] + [v for _, v in steps] + [steps[-1][1] if steps else 0]
            style = ("-", "--", ":", "-.")[i % 4]  # overlapping runs stay visible
            ax.step(xs, ys, where="post", label=_label(run), linestyle=style)
        ax.set_title(f"{name}: {'backlog size' if kind == 'backlog' else 'cumulative loss'}")
        ax.set_xlabel("simulated time (hours since start)")
        ax.set_ylabel(ylabel)
        ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
        paths.append(_save(fig, out / f"{name}-{'loss' if kind == 'lost' else kind}.png"))
    return paths


def _save(fig: Any, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
