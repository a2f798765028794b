"""The 500-downloads-a-month limit of [COH] counts the calendar month of the mock clock."""

from __future__ import annotations

from datetime import UTC, datetime

from simulator.amplitude.cohort_limits import PER_MONTH, DownloadLimits


def _at(day: int, month: int = 1) -> float:
    return datetime(2024, month, day, tzinfo=UTC).timestamp()


def test_the_501st_download_of_a_month_is_refused_and_the_next_month_resets():
    limits = DownloadLimits()
    for i in range(PER_MONTH):
        assert limits.refusal(_at(1) + i * 700.0, 0) is None  # 700 s apart: no 10-min limit
    refusal = limits.refusal(_at(28), 0)
    assert refusal is not None and "per month" in refusal
    assert limits.refusal(_at(1, month=2), 0) is None
