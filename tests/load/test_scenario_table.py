"""The load scenarios (``load.scenario_table``): each has thresholds, a Locust file, and a full
size at least as long as its CI size."""

from __future__ import annotations

from load.scenario_table import SCENARIOS


def test_every_scenario_has_thresholds_and_a_locustfile() -> None:
    from load.runner import LOCUSTFILES

    for scenario in SCENARIOS.values():
        assert scenario.thresholds, scenario.name
        assert (LOCUSTFILES / scenario.locustfile).is_file()
        assert scenario.sized("full").run_time_s >= scenario.run_time_s
