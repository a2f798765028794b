"""PNG charts of scenario runs (matplotlib, Agg backend): delay over time by device class,
backlog size, cumulative loss.

The data of every chart is computed first, as plain series (``charts``), and drawn after
(``write_plots``), so tests check what a chart says, not only that a PNG exists. Honest by
construction: time axes in the unit the span reads best in (days for simulated days), a time bin
without deliveries is a gap (NaN) rather than a line bridging it, counts get whole-number ticks,
and legends sit outside the data.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.connector.report import Series, percentile, series
from simulator.connector.scenarios import START, Run
from simulator.durations import axis_unit, describe_step, round_step

BINS = 120
MIN_BIN_S = 60.0
STYLES = ("-", "--", ":", "-.")  # overlapping runs stay visible


@dataclass(frozen=True, slots=True)
class Line:
    label: str
    xs: list[float]
    ys: list[float]
    style: str = "-"


@dataclass(frozen=True, slots=True)
class Chart:
    """One PNG: a panel per run (delay) or one panel of every run (counts)."""

    file: str
    panels: list[tuple[str, list[Line]]]  # (title, lines)
    xlabel: str
    ylabel: str
    counts: bool  # whole-number y ticks; drawn as steps (a count holds until it changes)
    legend_title: str | None = None


def _label(run: Run) -> str:
    return run.strategy.value + (" (without the hot device)" if run.without_hot else "")


def binned_p95(points: list[tuple[float, float]], width: float) -> tuple[list[float], list[float]]:
    """p95 per time bin (x at the bin's middle, seconds); a gap (NaN) where bins have no
    events, so lines do not bridge them."""
    bins: dict[int, list[float]] = defaultdict(list)
    for t, delay in points:
        bins[int(t // width)].append(delay)
    xs: list[float] = []
    ys: list[float] = []
    for i in sorted(bins):
        if xs and i - 1 not in bins:
            xs.append(math.nan)
            ys.append(math.nan)
        xs.append((i + 0.5) * width)
        ys.append(float(percentile(bins[i], 95) or 0.0))
    return xs, ys


def _span(data: list[tuple[Run, Series]]) -> float:
    times = [t for _, s in data for pts in s.delay.values() for t, _ in pts]
    times += [t for _, s in data for t, _ in s.backlog]
    return max(times, default=1.0)


def charts(name: str, runs: list[Run]) -> list[Chart]:
    """The data of ``<name>-delay.png``, ``-backlog.png`` and ``-loss.png``."""
    data = [(run, series(run.ledger, START)) for run in runs]
    span = _span(data)
    x_unit, x_size = axis_unit(span)
    return [
        _delay_chart(name, data, span, x_unit, x_size),
        _count_chart(name, data, "backlog", span, x_unit, x_size),
        _count_chart(name, data, "lost", span, x_unit, x_size),
    ]


def _delay_chart(
    name: str, data: list[tuple[Run, Series]], span: float, x_unit: str, x_size: float
) -> Chart:
    width = max(round_step(span / BINS), MIN_BIN_S)
    worst = max((d for _, s in data for pts in s.delay.values() for _, d in pts), default=1.0)
    y_unit, y_size = axis_unit(worst)
    classes = sorted({cls for _, s in data for cls in s.delay})
    panels = []
    for run, s in data:
        lines = []
        for cls in classes:
            if cls in s.delay:
                xs, ys = binned_p95(s.delay[cls], width)
                lines.append(Line(cls, [x / x_size for x in xs], [y / y_size for y in ys]))
        panels.append((f"{name}: {_label(run)}", lines))
    return Chart(
        f"{name}-delay.png",
        panels,
        f"event time ({x_unit} since start; p95 per {describe_step(width)})",
        f"p95 delay ({y_unit})",
        counts=False,
        legend_title="device class",
    )


def _count_chart(
    name: str, data: list[tuple[Run, Series]], kind: str, span: float, x_unit: str, x_size: float
) -> Chart:
    lines = []
    for i, (run, s) in enumerate(data):
        steps: list[tuple[float, int]] = getattr(s, kind)
        xs = [0.0] + [t / x_size for t, _ in steps] + [span / x_size]
        ys = [0.0] + [float(v) for _, v in steps] + [float(steps[-1][1]) if steps else 0.0]
        lines.append(Line(_label(run), xs, ys, STYLES[i % len(STYLES)]))
    title, ylabel, file = {
        "backlog": ("backlog size", "events held by the connector", "backlog"),
        "lost": ("cumulative loss", "events lost", "loss"),
    }[kind]
    return Chart(
        f"{name}-{file}.png",
        [(f"{name}: {title}", lines)],
        f"simulated time ({x_unit} since start)",
        ylabel,
        counts=True,
    )


def write_plots(name: str, runs: list[Run], out: Path) -> list[Path]:
    """Draw every chart of ``charts`` into the folder ``out``; the paths written."""
    return [draw(chart, out / chart.file) for chart in charts(name, runs)]


def draw(chart: Chart, path: Path) -> Path:
    import matplotlib.pyplot as plt

    fig = figure(chart)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def figure(chart: Chart) -> Any:
    """The matplotlib figure of ``chart`` (the caller saves and closes it)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    rows = len(chart.panels)
    labels = sorted({line.label for _, lines in chart.panels for line in lines})
    colour = {label: f"C{i % 10}" for i, label in enumerate(labels)}  # one per label, all panels
    fig, axes = plt.subplots(
        rows, 1, figsize=(11, 2.8 * rows + 1.2), sharex=True, sharey=True, squeeze=False
    )
    for ax, (title, lines) in zip(axes[:, 0], chart.panels, strict=True):
        for line in lines:
            style = {"label": line.label, "color": colour[line.label], "linestyle": line.style}
            if chart.counts:
                ax.step(line.xs, line.ys, where="post", **style)
            else:
                ax.plot(line.xs, line.ys, linewidth=1.2, **style)
        ax.set_title(title, fontsize=10)
        ax.set_ylabel(chart.ylabel)
        ax.set_ylim(bottom=0, top=None if _any_above_zero(lines) else 1)
        if chart.counts:
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(True, alpha=0.3)
        if lines:  # outside the data, to the right of the axes
            ax.legend(fontsize=8, title=chart.legend_title, title_fontsize=8,
                      loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)  # fmt: skip
    axes[-1, 0].set_xlabel(chart.xlabel)
    fig.tight_layout()
    return fig


def _any_above_zero(lines: list[Line]) -> bool:
    return any(y > 0 for line in lines for y in line.ys if not math.isnan(y))
