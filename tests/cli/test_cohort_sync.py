"""``currents-sim cohort-sync`` end to end over HTTP (a mock served on a free 127.0.0.1 port)."""

from __future__ import annotations

import json

import pytest

from cli.main import main
from mocks.app import create_app
from mocks.server import Server
from simulator.clock import ControllableClock
from tests.cli.commands import assert_one_line_error, run


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = main(["cohort-sync", "--json", *argv])
    return code, json.loads(capsys.readouterr().out)


def test_hourly_sync_agrees_and_counts_every_id_as_a_data_point(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, report = run_json(capsys, "--duration", "30h", "--users", "20", "--buy-rate", "0.03")
    totals = report["totals"]
    assert code == 0 and report["agreement"] is True
    assert totals["runs"] == 31 and totals["runs_failed"] == 0
    assert totals["ids_removed"] > 0  # people left a day after their last purchase
    assert totals["data_points"] == totals["ids_added"] + totals["ids_removed"]
    assert report["braze_size"] == report["expected_size"] < report["amplitude_size"]
    quiet = [r for r in report["runs"] if r["requests"] == 0]
    assert all(r["data_points"] == 0 for r in quiet)


def test_same_seed_same_report(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("--duration", "5h", "--users", "10", "--seed", "7")
    assert run_json(capsys, *args) == run_json(capsys, *args)


def test_one_time_sync_falls_behind_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "cohort-sync",
            "--schedule",
            "one-time",
            "--duration",
            "12h",
            "--users",
            "20",
            "--buy-rate",
            "0.3",
        ]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "runs: 1 (0 failed)" in out
    assert "agreement: NO" in out


def test_against_a_running_mock_with_url(capsys: pytest.CaptureFixture[str]) -> None:
    app = create_app(clock=ControllableClock(start=1_700_000_000.0, scale=0))
    server = Server(app).start()
    try:
        code, report = run_json(
            capsys,
            "--url",
            server.url,
            "--duration",
            "1h",
            "--users",
            "5",
            "--schedule",
            "real-time",
        )
    finally:
        server.close()
    assert code == 0 and report["totals"]["runs"] == 61


@pytest.mark.parametrize("argv", [["--duration", "3 days"], ["--duration", "0h"], ["--users", "0"]])
def test_usage_errors_are_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, _, err = run(capsys, ["cohort-sync", *argv])  # argparse's type checks included
    assert_one_line_error(code, err)
