"""CI-sized runs of every load scenario: headless, bounded, against a mock on 127.0.0.1.

These start real processes (the mock, Locust, its workers) and run for seconds each, so they are
marked ``load`` and run on their own, after the rest of the suite (``make test``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from load.scenario_table import SCENARIOS

pytestmark = pytest.mark.load


def run_load(reports: Path, *args: str) -> tuple[int, dict[str, Any]]:
    scenario = args[0]
    cmd = [sys.executable, "-m", "cli", "load", *args, "--reports", str(reports)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    summary = reports / scenario / "summary.json"
    assert summary.is_file(), f"no summary (exit {done.returncode}): {done.stderr[-3000:]}"
    return done.returncode, json.loads(summary.read_text())


@pytest.fixture(scope="module")
def steady(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    code, doc = run_load(tmp_path_factory.mktemp("steady"), "steady")
    assert code == 0, doc["breaches"]
    return doc


@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if s != "steady"])
def test_scenario_reproduces_its_story_and_passes(scenario: str, tmp_path: Path) -> None:
    code, doc = run_load(tmp_path, scenario)
    assert code == 0, doc["breaches"]
    assert doc["passed"] and doc["breaches"] == []
    assert (tmp_path / scenario / "locust.html").is_file()
    assert (tmp_path / scenario / "delay.png").stat().st_size > 0


def test_steady_loses_nothing_and_is_never_throttled(steady: dict[str, Any]) -> None:
    summary = steady["summary"]
    assert summary["lost"] == 0 and summary["throttled"] == 0 and summary["undelivered"] == 0
    assert summary["delivered"] == summary["produced"] - summary["skipped"] > 0


def test_two_local_workers_give_the_same_server_side_totals(
    steady: dict[str, Any], tmp_path: Path
) -> None:
    code, doc = run_load(tmp_path, "steady", "--workers", "2")
    assert code == 0, doc["breaches"]
    for figure in ("produced", "skipped", "delivered", "lost", "duplicated", "throttled"):
        assert doc["summary"][figure] == steady["summary"][figure], figure


def test_an_impossible_threshold_fails_the_run(tmp_path: Path) -> None:
    code, doc = run_load(tmp_path, "steady", "--threshold", "delivered>=1e12", "--duration", "20")
    assert code == 1
    assert not doc["passed"]
    assert any(b.startswith("delivered >= 1e+12") for b in doc["breaches"])
