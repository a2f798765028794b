"""`currents-sim load SCENARIO --connector URL`: the team's connector is the system under test.

Real processes: one served mock, the reference relay or a deliberately broken variant of it
(``tests/load/broken_relay.py``) pointed at the mock, and the load command playing Braze in front
of it. Each run's verdict comes from its exit code and its reports. The runs are independent
(one API key each) and mostly wait on the wall clock, so they run four at a time.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.relay.helpers import Process, processes

pytestmark = pytest.mark.load

CLI = [sys.executable, "-m", "cli"]


@dataclass(frozen=True)
class Case:
    scenario: str
    connector: str  # "relay" (currents-sim relay) or a defect of tests.load.broken_relay
    extra: tuple[str, ...] = ()


# The credential story takes longest (the connector retries 2 minutes after a refused key, as
# Braze's matrix and the invalid_key_backoff rule want): listed first, it runs beside the others.
CASES = {
    "credential expiry": Case("credential-expiry", "none", ("--outage", "8s")),
    "reference relay, steady": Case("steady", "relay"),
    "time in seconds": Case("steady", "time-in-seconds"),
    "lowercased [appboy]": Case("steady", "lowercase-appboy"),
    "per-device holds, misconfigured": Case("misconfigured-device", "none"),
    "whole-batch retry": Case("misconfigured-device", "retries-throttled-batch-whole"),
    "drops after a 429": Case("misconfigured-device", "drops-after-429"),
}


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    summary: dict[str, Any]
    junit: ET.Element


def _start_connector(case: Case, mock: str, key: str, started: list[Process]) -> Process:
    if case.connector == "relay":
        args = ("relay", "--listen", "127.0.0.1:0", "--amplitude", mock, "--api-key", key)
        process = Process(*args)
    else:
        retry = ("--credentials-retry", "121") if case.scenario == "credential-expiry" else ()
        process = BrokenRelay(case.connector, "--amplitude", mock, "--api-key", key, *retry)
    started.append(process)
    return process


class BrokenRelay(Process):
    """``python -m tests.load.broken_relay DEFECT ...`` (its first stdout line is its URL)."""

    def __init__(self, *args: str) -> None:
        import os

        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.load.broken_relay", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        self.stderr = ""
        if not self.url.startswith("http://"):
            self.stop()
            raise AssertionError(f"broken relay did not start: {self.stderr}")


def _run(case: Case, mock: str, reports: Path) -> Outcome:
    key = f"sut-{uuid.uuid4().hex[:12]}"
    with processes() as started:
        connector = _start_connector(case, mock, key, started)
        done = subprocess.run(
            [*CLI, "load", case.scenario, "--connector", connector.url, "--host", mock,
             "--api-key", key, "--reports", str(reports), *case.extra],
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
    folder = reports / case.scenario
    summary = json.loads((folder / "summary.json").read_text()) if folder.is_dir() else {}
    junit = ET.parse(folder / "junit.xml").getroot() if folder.is_dir() else ET.Element("none")
    return Outcome(done.returncode, done.stdout, done.stderr, summary, junit)


@pytest.fixture(scope="module")
def mock_url() -> Any:
    with processes() as started:
        started.append(Process("serve", "--host", "127.0.0.1", "--port", "0"))
        yield started[0].url


@pytest.fixture(scope="module")
def outcomes(mock_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    root = tmp_path_factory.mktemp("sut")
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {
            name: pool.submit(_run, case, mock_url, root / f"run{i}")
            for i, (name, case) in enumerate(CASES.items())
        }
        return {name: future.result() for name, future in futures.items()}


def _failed_rules(outcome: Outcome) -> list[str]:
    return outcome.summary["summary"]["conformance_failed_rules"]


def _failures(outcome: Outcome) -> list[str]:
    return [c.get("name") for c in outcome.junit.iter("testcase") if c.find("failure") is not None]


def test_the_reference_relay_delivers_every_exported_event_once_and_conforms(outcomes):
    run = outcomes["reference relay, steady"]
    assert run.code == 0, run.stdout + run.stderr
    figures = run.summary["summary"]
    assert figures["delivered"] == figures["exported"] > 0
    assert (figures["lost"], figures["duplicated"], figures["conformance_errors"]) == (0, 0, 0)
    assert _failures(run) == []


def test_reports_include_conformance_html_and_a_junit_case_per_threshold_and_rule(outcomes):
    run = outcomes["reference relay, steady"]
    suites = {s.get("name") for s in run.junit.iter("testsuite")}
    assert suites == {"steady.thresholds", "steady.conformance"}
    assert any(c.get("name") == "lost == 0" for c in run.junit.iter("testcase"))


@pytest.mark.parametrize(
    ("name", "rule"),
    [("time in seconds", "time_unit"), ("lowercased [appboy]", "event_type_prefix")],
)
def test_a_content_defect_is_caught_by_its_conformance_rule(outcomes, name, rule):
    run = outcomes[name]
    assert run.code == 1, run.stdout + run.stderr
    assert rule in _failed_rules(run)
    assert "conformance_errors == 0" in _failures(run)


def test_holding_back_only_the_hot_device_passes_the_misconfigured_device_scenario(outcomes):
    run = outcomes["per-device holds, misconfigured"]
    assert run.code == 0, run.stdout + run.stderr
    assert run.summary["summary"]["throttled"] > 0


def test_retrying_a_throttled_batch_whole_breaks_the_normal_devices_delay_threshold(outcomes):
    run = outcomes["whole-batch retry"]
    assert run.code == 1, run.stdout + run.stderr
    assert "delay_p95_s.normal <= 20" in _failures(run)
    good = outcomes["per-device holds, misconfigured"].summary["summary"]
    assert run.summary["summary"]["delay_p95_s.normal"] > good["delay_p95_s.normal"]


def test_dropping_events_after_a_429_is_caught_as_lost(outcomes):
    run = outcomes["drops after a 429"]
    assert run.code == 1, run.stdout + run.stderr
    assert run.summary["summary"]["lost"] > 0
    assert "lost == 0" in _failures(run)


def test_a_revoked_then_restored_key_loses_nothing(outcomes):
    run = outcomes["credential expiry"]
    assert run.code == 0, run.stdout + run.stderr
    figures = run.summary["summary"]
    assert figures["unauthorized"] > 0
    assert (figures["lost"], figures["undelivered"]) == (0, 0)


def test_an_unreachable_connector_is_one_line_and_exit_2(mock_url, tmp_path):
    done = subprocess.run(
        [*CLI, "load", "steady", "--connector", "http://127.0.0.1:9/currents", "--host", mock_url,
         "--api-key", "k", "--reports", str(tmp_path / "r")],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "--connector" in done.stderr


def test_a_refused_token_is_one_line_and_exit_2(mock_url, tmp_path):
    with processes() as started:
        relay = Process("relay", "--listen", "127.0.0.1:0", "--amplitude", mock_url,
                        "--api-key", "k", "--token", "right")  # fmt: skip
        started.append(relay)
        done = subprocess.run(
            [*CLI, "load", "steady", "--connector", relay.url, "--connector-token", "wrong",
             "--host", mock_url, "--api-key", "k", "--reports", str(tmp_path / "r")],
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
    assert done.returncode == 2
    assert "refused the credentials" in done.stderr and done.stderr.count("\n") == 1
