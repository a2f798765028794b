"""Run one load scenario headless: start a mock when no host is given, run Locust, report.

This module never imports locust (its import monkey-patches the process): Locust runs in a
subprocess, configured through the ``CURRENTS_LOAD`` environment variable (JSON), so that
``--workers N`` (Locust's own ``--processes N``: one master and N worker processes on this
machine) sees exactly the same configuration in every process.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from load import thresholds as th
from load.scenario_table import SCENARIOS, Scenario

LOCUSTFILES = Path(__file__).parent / "locustfiles"
ENV = "CURRENTS_LOAD"
SIM_START_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z: every run starts the mock clock here


@dataclass
class Run:
    scenario: str
    size: str = "ci"
    host: str | None = None
    users: int | None = None
    run_time_s: float | None = None
    workers: int = 0
    seed: int = 0
    reports: Path = Path("reports")
    overrides: list[str] = field(default_factory=list)
    api_key: str = ""

    def resolve(self) -> Scenario:
        if self.scenario not in SCENARIOS:
            raise ValueError(f"unknown scenario {self.scenario!r} (have: {', '.join(SCENARIOS)})")
        return SCENARIOS[self.scenario].sized(self.size)


def run_api_key(run: Run) -> str:
    """The API key a run sends with: the only data it resets on a mock it shares."""
    return run.api_key or f"load-{run.scenario}-{run.seed}"


def serves_mock_api(host: str) -> bool:
    """Whether ``host`` is a currents-sim mock (it answers ``GET /_mock/health`` with JSON)."""
    from clients.admin import MockAdmin
    from clients.transport import MockAdminError

    with MockAdmin(host, timeout_s=5) as admin:
        try:
            admin.health()
        except MockAdminError:
            return False
    return True


def needs_mock(scenario: Scenario) -> bool:
    """Scenarios that drive the mock's clock or keys cannot run against any other endpoint."""
    return scenario.clock_scale != 1.0 or "expire_at_s" in scenario.params


def config(run: Run, scenario: Scenario, host: str, managed: bool) -> dict[str, Any]:
    """Everything the locustfile needs, as JSON-able data.

    ``truth`` says where the figures come from: ``server`` (the mock's journal) or, against an
    endpoint that is not our mock (a proxy in front of Amplitude), ``client`` (the connectors'
    own ledgers); such a run starts its events at the wall clock's now instead of the fixed
    simulated start.
    """
    truth = "server" if managed or serves_mock_api(host) else "client"
    if truth == "client" and needs_mock(scenario):
        raise ValueError(
            f"{scenario.name} drives the mock's clock and keys: give --host a currents-sim mock "
            "(or no --host); only steady runs against any endpoint"
        )
    always = (th.Threshold("connectors_missing", "==", 0, "every connector reported its ledger"),)
    limits = th.merge((*always, *scenario.thresholds), (th.parse(o) for o in run.overrides))
    return {
        "scenario": scenario.name,
        "host": host,
        "managed_mock": managed,
        "api_key": run_api_key(run),
        "seed": run.seed,
        "workers": run.workers,
        "users": run.users or scenario.users,
        "clock_scale": scenario.clock_scale,
        "truth": truth,
        "sim_start_ms": SIM_START_MS if truth == "server" else int(time.time() * 1000),
        "params": scenario.params,
        "thresholds": [[t.metric, t.op, t.value, t.why] for t in limits],
        "report_dir": str(run.reports / scenario.name),
    }


@contextmanager
def mock_server(extra_args: tuple[str, ...]) -> Iterator[str]:
    """A `currents-sim serve` on a free 127.0.0.1 port for the length of the run."""
    cmd = [sys.executable, "-m", "cli", "serve", "--host", "127.0.0.1", "--port", "0", *extra_args]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        if not url.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"the mock did not start (said {url!r})")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def locust_command(run: Run, scenario: Scenario, host: str) -> list[str]:
    report_dir = run.reports / scenario.name
    users = run.users or scenario.users
    cmd = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILES / scenario.locustfile),
        "--headless",
        "--only-summary",
        "-u",
        str(users),
        "-r",
        str(users),
        "-t",
        f"{int(run.run_time_s or scenario.run_time_s)}s",
        "--stop-timeout",
        "5",
        "--host",
        host,
        "--csv",
        str(report_dir / "locust"),
        "--html",
        str(report_dir / "locust.html"),
        "--loglevel",
        "WARNING",
    ]
    if run.workers:
        cmd += worker_args(run.workers)
    return cmd


def worker_args(workers: int) -> list[str]:
    """Locust's options for ``workers`` local worker processes. Its master binds every
    interface on port 5557 by default: two distributed runs at once collided ("Address already
    in use") and the port was open beyond this machine. Here: 127.0.0.1 and a free port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    return ["--processes", str(workers), "--master-bind-host", "127.0.0.1",
            "--master-bind-port", port, "--master-port", port]  # fmt: skip


def execute(run: Run) -> int:
    """Run the scenario; Locust's exit code (non-zero when a threshold broke)."""
    scenario = run.resolve()
    (run.reports / scenario.name).mkdir(parents=True, exist_ok=True)
    if run.host:
        return _locust(run, scenario, run.host, managed=False)
    with mock_server(scenario.mock_args) as url:
        return _locust(run, scenario, url, managed=True)


def _locust(run: Run, scenario: Scenario, host: str, *, managed: bool) -> int:
    env = {**os.environ, ENV: json.dumps(config(run, scenario, host, managed))}
    # Its own session: a Ctrl-C reaches only us, and we stop Locust (and its workers) quietly,
    # instead of every process printing its own interruption.
    proc = subprocess.Popen(locust_command(run, scenario, host), env=env, start_new_session=True)
    try:
        return proc.wait()
    except BaseException:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise
