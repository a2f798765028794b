"""`currents-sim conformance --mock`: the connector model drives the served mock over HTTP, then
the report reads the mock's journal and request log. Issue 8: a `braze` run (whole-batch retry)
is flagged for head-of-line blocking; a `per-device` run (only throttled_events wait 30 s) is not.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from cli.main import main
from clients.http_sink import HttpSink
from simulator.clock import ManualClock
from simulator.connector import Connector, ConnectorConfig, Strategy
from tests.simulator.connector.helpers import T0, steady


def run_connector(mock: Any, strategy: Strategy, tmp: Path) -> Path:
    """A hot device (35 events/s, over Amplitude's 30) among 20 quiet ones, for 90 s."""
    records = list(steady(20, 10, 90, hot=35))
    produced = tmp / "produced.jsonl"
    produced.write_text("".join(json.dumps(r) + "\n" for r in records))
    clock = ManualClock(T0)
    sink = HttpSink(mock.url, clock)
    config = ConnectorConfig(api_key=mock.api_key, strategy=strategy, batch_size=100)
    Connector(sink, clock, config, rng=random.Random(0)).run(records, until=T0 + 1800)
    return produced


def report(mock: Any, produced: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, Any]:
    code = main(["conformance", "--produced", str(produced), "--mock", mock.url,
                 "--api-key", mock.api_key, "--json"])  # fmt: skip
    return code, json.loads(capsys.readouterr().out)


def rule(doc: Any, name: str) -> dict[str, Any]:
    return next(r for r in doc["rules"] if r["rule"] == name)


@pytest.mark.parametrize("strategy", [Strategy.BRAZE, Strategy.PER_DEVICE])
def test_head_of_line_blocking_is_flagged_for_braze_only(
    amplitude_mock: Any, strategy: Strategy, tmp_path: Path, capsys: Any
) -> None:
    produced = run_connector(amplitude_mock, strategy, tmp_path)
    statuses = {r["status"] for r in amplitude_mock.requests()}
    assert 429 in statuses, "the hot device must have been throttled"
    code, doc = report(amplitude_mock, produced, capsys)
    hol = rule(doc, "head_of_line_blocking")
    assert doc["requests"] == len(amplitude_mock.requests())
    assert all(r["passed"] is not None for r in doc["rules"])  # behaviour rules evaluated
    if strategy is Strategy.BRAZE:
        assert hol["passed"] is False and hol["count"] >= 1
        assert "held back" in hol["examples"][0]["explanation"]
        assert code == 1
    else:
        assert hol["passed"] is True, hol
    # Every event arrived exactly as the reference transformer says, whatever the strategy.
    assert doc["matched"] == doc["expected"] and doc["missing"] == doc["extra"] == 0
    failed = {r["rule"] for r in doc["rules"] if r["passed"] is False}
    if strategy is Strategy.BRAZE:  # its 429 backoff starts at 30 s: the pause itself holds
        assert failed == {"head_of_line_blocking"}, failed


def test_per_device_run_is_clean(amplitude_mock: Any, tmp_path: Path, capsys: Any) -> None:
    produced = run_connector(amplitude_mock, Strategy.PER_DEVICE, tmp_path)
    code, doc = report(amplitude_mock, produced, capsys)
    assert [r["rule"] for r in doc["rules"] if r["passed"] is False] == []
    assert code == 0


def test_mock_without_api_key_is_a_usage_error(capsys: Any, tmp_path: Path) -> None:
    produced = tmp_path / "p.jsonl"
    produced.write_text("")
    code = main(["conformance", "--produced", str(produced), "--mock", "http://127.0.0.1:9"])
    assert code == 2 and "--api-key" in capsys.readouterr().err


def test_unreachable_mock_is_one_line_exit_2(capsys: Any, tmp_path: Path) -> None:
    produced = tmp_path / "p.jsonl"
    produced.write_text("")
    code = main(["conformance", "--produced", str(produced), "--mock", "http://127.0.0.1:9",
                 "--api-key", "k"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and "cannot reach the mock" in err and err.count("\n") == 1


def test_braze_retry_matrix_passes_the_behaviour_rules(
    amplitude_mock: Any, tmp_path: Path, capsys: Any
) -> None:
    """A 400, a 413 and a revoked key on a well-behaved (braze) run: no false positives."""
    import requests

    from simulator.connector import Action

    mock = amplitude_mock
    records = list(steady(3, 1, 450))
    produced = tmp_path / "produced.jsonl"
    produced.write_text("".join(json.dumps(r) + "\n" for r in records))
    clock = ManualClock(T0)
    sink = HttpSink(mock.url, clock)
    keys = f"{mock.url}/_mock/keys"
    actions = [
        Action(T0 + 50, lambda c: mock.fault(400, count=1), "a 400"),
        Action(T0 + 150, lambda c: mock.fault(413, count=1), "a 413"),
        Action(T0 + 300, lambda c: requests.delete(f"{keys}/{mock.api_key}", timeout=10), "revoke"),
        Action(T0 + 360, lambda c: requests.post(keys, json={"key": mock.api_key}, timeout=10),
               "restore"),
    ]  # fmt: skip
    config = ConnectorConfig(api_key=mock.api_key, batch_size=50, batch_wait_s=10)
    Connector(sink, clock, config, rng=random.Random(0)).run(records, until=T0 + 3600,
                                                              actions=actions)  # fmt: skip
    log = mock.requests()
    errors = [(r["status"], (r["body"] or {}).get("error", ""), r["event_count"]) for r in log]
    assert any(s == 400 and n > 1 and not e.startswith("Invalid API key") for s, e, n in errors)
    assert any(s == 413 and n > 1 for s, e, n in errors)
    assert any(s == 400 and e.startswith("Invalid API key") for s, e, n in errors)
    code, doc = report(mock, produced, capsys)
    failed = {r["rule"]: r["examples"] for r in doc["rules"] if r["passed"] is False}
    assert failed == {} and code == 0
    assert doc["matched"] == doc["expected"] == len(records)
