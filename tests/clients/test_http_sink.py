"""The HTTP sink against a served mock (``currents-sim serve --port 0``) reproduces, event by
event, what the in-process model gives for the same short scenario."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace

import pytest

from clients.http_sink import HttpSink
from simulator.clock import ManualClock
from simulator.connector import Strategy
from simulator.connector.scenarios import SCENARIOS, simulate


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", "--host", "127.0.0.1", "--port", "0",
         "--threads", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:")
    yield url
    proc.terminate()
    proc.communicate(timeout=10)  # reaps it and closes its pipes


def fates(run):
    return [
        (
            e.event_id,
            e.fate,
            e.fate_at,
            e.reason,
            [run.ledger.requests[i].status for i in e.attempts],
        )
        for e in run.ledger
    ]


SHORT = {
    "misconfigured-device": {"events": 3_000, "hours": 0.1, "drain_h": 0.5},
    "credential-expiry": {"events": 600, "hours": 8.0, "key_expires_h": 1.0, "outage_h": 4.0,
                          "horizon_h": 2.0},
}  # fmt: skip


@pytest.mark.parametrize(
    ("name", "strategy"),
    [("misconfigured-device", Strategy.BRAZE), ("credential-expiry", Strategy.PER_DEVICE)],
)
def test_http_sink_reproduces_the_in_process_numbers(served, name, strategy):
    scenario = replace(SCENARIOS[name], **SHORT[name])

    def over_http(clock: ManualClock, sc, seed):
        sink = HttpSink(served, clock)
        sink.reset()
        return sink

    local = simulate(scenario, strategy, seed=4)
    remote = simulate(scenario, strategy, seed=4, sink_factory=over_http)
    assert remote.report == local.report
    assert fates(remote) == fates(local)
    statuses = {r.status for r in remote.ledger.requests}
    assert {"misconfigured-device": 429, "credential-expiry": 400}[name] in statuses
    assert remote.report["delivered"] > 0


def test_a_refused_connection_is_status_0():
    sink = HttpSink("http://127.0.0.1:9", ManualClock(0.0), drive_clock=False, timeout_s=2)
    response = sink.send("key", [{"event_type": "e", "device_id": "device-1"}])
    assert (response.status, response.body) == (0, None)


def test_simulate_url_prints_the_in_process_report(served, capsys):
    from cli.main import main

    argv = ["simulate", "credential-expiry", "--json", "--strategy", "braze", "--events", "400",
            "--hours", "12h", "--outage", "3h", "--horizon", "2h", "--seed", "2"]  # fmt: skip
    assert main(argv) == 0
    local = capsys.readouterr().out
    assert main([*argv, "--url", served]) == 0
    remote = capsys.readouterr().out
    assert remote == local
    assert '"credentials_expired"' in remote
