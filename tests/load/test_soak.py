"""The soak (``load/soak.py``) for 60 s: what ``make soak`` checks for 30 minutes."""

from __future__ import annotations

import pytest

from load.soak import rss_budget_mb, soak


@pytest.mark.slow
def test_a_minute_of_hostile_traffic_loses_nothing_and_leaks_nothing():
    assert soak(60.0) == []


def test_the_rss_budget_counts_the_dedupe_pairs_kept_for_seven_days() -> None:
    # 30 minutes of soak ingest about 650,000 events; each (device, insert_id) stays ~100 B.
    assert rss_budget_mb(20_000, 1_000_000) - rss_budget_mb(20_000) == pytest.approx(95.4, 0.01)
