"""`currents-sim load`: its usage errors and its configuration, without running Locust."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cli.main import main


def test_bad_threshold_is_a_one_line_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["load", "steady", "--threshold", "lost=0"]) == 2
    assert capsys.readouterr().err.strip().startswith("currents-sim: bad threshold 'lost=0'")


def test_print_config_needs_a_host(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["load", "steady", "--print-config"]) == 2
    assert "needs --host" in capsys.readouterr().err


def test_print_config_gives_every_process_the_same_configuration(
    amplitude_mock: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "load",
        "credential-expiry",
        "--host",
        amplitude_mock.url,
        "--print-config",
        "--threshold",
        "lost<=10",
    ]
    assert main(args) == 0
    cfg = json.loads(capsys.readouterr().out)
    assert cfg["host"] == amplitude_mock.url and cfg["clock_scale"] == 7200.0
    assert cfg["truth"] == "server"
    assert ["lost", "<=", 10.0, "set on the command line"] in cfg["thresholds"]
    assert ["connectors_missing", "==", 0, "every connector reported its ledger"] in cfg[
        "thresholds"
    ]
