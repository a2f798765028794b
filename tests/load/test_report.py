"""A load run's charts say what happened: ``throughput.png`` and ``delay.png`` data series in
readable units; an outage is a drop to zero, never a line bridging it; whole-number counts;
legends outside the data."""

from __future__ import annotations

import matplotlib.pyplot as plt

from load.report import delay_figure, delay_series, throughput_figure, throughput_series
from simulator.generator import NO_DEVICE

T0_MS = 1_767_225_600_000
MINUTE_MS = 60_000
OUTAGE_MIN = range(180, 360)  # hours 3 to 6 of a 10-hour run: every request refused


def journal() -> list[dict[str, object]]:
    """Two events a minute for ten hours of mock time, delivered 30 s after their time,
    except during the outage (unauthorized)."""
    entries: list[dict[str, object]] = []
    for minute in range(600):
        at = T0_MS + minute * MINUTE_MS
        outcome = "unauthorized" if minute in OUTAGE_MIN else "ingested"
        for n in range(2):
            entries.append({"received_at": at, "time": at - 30_000, "outcome": outcome,
                            "insert_id": f"{minute}-{n}", "device_id": None})  # fmt: skip
    return entries


def test_throughput_buckets_are_round_and_labelled_in_readable_units() -> None:
    data = throughput_series(journal())
    assert data.bucket_s == 600.0  # ~60 buckets over ten hours: 10 minutes each
    assert data.unit == "hours" and data.xs[:3] == [0.0, 1 / 6, 2 / 6]
    assert sum(data.counts["ingested"]) == 2 * (600 - len(OUTAGE_MIN))


def test_an_outage_shows_as_zero_ingested_not_a_bridge() -> None:
    data = throughput_series(journal())
    during = [c for x, c in zip(data.xs, data.counts["ingested"], strict=True) if 3 <= x < 6]
    assert during and set(during) == {0}
    refused = [c for x, c in zip(data.xs, data.counts["unauthorized"], strict=True) if 3 <= x < 6]
    assert set(refused) == {20}  # 10 minutes x 2 events


def test_delay_series_is_per_class_in_readable_units() -> None:
    data = delay_series(journal())
    assert (data.x_unit, data.y_unit) == ("hours", "seconds")
    xs, ys = data.points[NO_DEVICE]
    assert set(ys) == {30.0} and max(xs) == 599 / 60
    assert not any(3 <= x < 6 for x in xs)  # nothing delivered during the outage


def test_figures_have_whole_number_counts_and_legends_outside() -> None:
    for fig in (throughput_figure("s", journal()), delay_figure("s", journal())):
        try:
            ax = fig.axes[0]
            fig.canvas.draw()
            assert ax.get_legend().get_window_extent().x0 >= ax.get_window_extent().x1
        finally:
            plt.close(fig)
    fig = throughput_figure("s", journal())
    try:
        ax = fig.axes[0]
        assert ax.get_ylabel() == "events per 10 minutes of mock time"
        assert all(t == int(t) for t in ax.get_yticks())
    finally:
        plt.close(fig)
