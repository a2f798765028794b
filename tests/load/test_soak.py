"""The soak (``load/soak.py``) for 60 s: what ``make soak`` checks for 30 minutes."""

from __future__ import annotations

import pytest

from load.soak import soak


@pytest.mark.slow
def test_a_minute_of_hostile_traffic_loses_nothing_and_leaks_nothing():
    assert soak(60.0) == []
