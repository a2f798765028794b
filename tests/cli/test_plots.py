"""``simulate --plot``'s charts say what happened: their data series are checked, in readable
units, with gaps as gaps, whole-number counts and legends outside the data."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pytest

from cli.plots import Chart, charts, figure
from simulator.connector.ledger import Ledger
from simulator.connector.model import Strategy
from simulator.connector.scenarios import HOUR, START, Run

DELIVERED_HOURS = [h for h in range(96) if not 10 <= h <= 20]
LOST_HOURS = list(range(10, 21))  # produced in hours 10..20, dropped for good at hour 30


def story(with_loss: bool = True) -> list[Run]:
    """One event an hour for four simulated days; an outage loses hours 10..20 (or delivers
    them late at hour 30 when ``with_loss`` is False)."""
    ledger = Ledger()
    for h in range(96):
        entry = ledger.produce(f"e{h}", START + h * HOUR, "d1", "normal")
        if h in LOST_HOURS and with_loss:
            ledger.drop(entry, START + 30 * HOUR, "credentials_expired")
        elif h in LOST_HOURS:
            ledger.deliver(entry, START + 30 * HOUR)
        else:
            ledger.deliver(entry, START + h * HOUR + 60)
    return [Run(Strategy.BRAZE, False, ledger, {}, None)]  # type: ignore[arg-type]


def by_file(name: str, runs: list[Run]) -> dict[str, Chart]:
    return {c.file.removeprefix(f"{name}-"): c for c in charts(name, runs)}


def test_simulated_days_read_in_days() -> None:
    made = by_file("x", story())
    for chart in made.values():
        assert "days since start" in chart.xlabel
    (_, [line]) = made["delay.png"].panels[0]
    assert max(x for x in line.xs if not math.isnan(x)) == pytest.approx(95.5 / 24, abs=0.05)


def test_hours_without_deliveries_are_a_gap_not_a_bridge() -> None:
    delay = by_file("x", story())["delay.png"]
    (_, [line]) = delay.panels[0]
    gaps = [i for i, x in enumerate(line.xs) if math.isnan(x)]
    assert len(gaps) == 1
    before, after = line.xs[gaps[0] - 1], line.xs[gaps[0] + 1]
    assert before < 10 / 24 and after > 20 / 24  # nothing drawn across the lost hours
    assert all(math.isnan(y) or y == 60 for y in line.ys)
    assert delay.ylabel == "p95 delay (seconds)"


def test_loss_is_a_step_of_whole_events_at_the_drop() -> None:
    loss = by_file("x", story())["loss.png"]
    (_, [line]) = loss.panels[0]
    assert loss.counts
    points = list(zip(line.xs, line.ys, strict=True))
    assert points[0] == (0.0, 0.0)
    assert (30 / 24, float(len(LOST_HOURS))) in [(pytest.approx(x), y) for x, y in points]
    assert line.ys[-1] == len(LOST_HOURS) and all(y == int(y) for y in line.ys)


def test_backlog_counts_the_held_events() -> None:
    (_, [line]) = by_file("x", story(with_loss=False))["backlog.png"].panels[0]
    assert max(line.ys) == len(LOST_HOURS) + 1  # the held ones plus the hour's fresh event
    assert line.ys[-1] == 0


def test_a_chart_without_loss_has_whole_number_ticks_and_an_outside_legend() -> None:
    loss = by_file("x", story(with_loss=False))["loss.png"]
    assert set(loss.panels[0][1][0].ys) == {0.0}
    fig = figure(loss)
    try:
        ax = fig.axes[0]
        ticks = [t for t in ax.get_yticks() if 0 <= t <= ax.get_ylim()[1]]
        assert ticks and all(t == int(t) for t in ticks)
        fig.canvas.draw()
        legend = ax.get_legend().get_window_extent()
        assert legend.x0 >= ax.get_window_extent().x1  # right of the data, never over it
    finally:
        plt.close(fig)
