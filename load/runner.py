"""Run one load scenario headless: start a mock when no host is given, run Locust, report.

This module never imports locust (its import monkey-patches the process): Locust runs in a
subprocess, configured through the ``CURRENTS_LOAD`` environment variable (JSON), so that
``--workers N`` (Locust's own ``--processes N``: one master and N worker processes on this
machine) sees exactly the same configuration in every process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from load import thresholds as th
from load.scenarios import SCENARIOS, Scenario

LOCUSTFILES = Path(__file__).parent / "scenarios"
ENV = "CURRENTS_LOAD"
SIM_START_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z: every run starts the mock clock here


@dataclass
class Run:
    scenario: str
    size: str = "ci"
    host: str | None = None
    users: int | None = None
    run_time_s: int | None = None
    workers: int = 0
    seed: int = 0
    reports: Path = Path("reports")
    overrides: list[str] = field(default_factory=list)
    api_key: str = ""

    def resolve(self) -> Scenario:
        if self.scenario not in SCENARIOS:
            raise ValueError(f"unknown scenario {self.scenario!r} (have: {', '.join(SCENARIOS)})")
        return SCENARIOS[self.scenario].sized(self.size)


def config(run: Run, scenario: Scenario, host: str, managed: bool) -> dict[str, Any]:
    """Everything the locustfile needs, as JSON-able data."""
    always = (th.Threshold("connectors_missing", "==", 0, "every connector reported its ledger"),)
    limits = th.merge((*always, *scenario.thresholds), (th.parse(o) for o in run.overrides))
    return {
        "scenario": scenario.name,
        "host": host,
        "managed_mock": managed,
        "api_key": run.api_key or f"load-{scenario.name}-{run.seed}",
        "seed": run.seed,
        "workers": run.workers,
        "users": run.users or scenario.users,
        "clock_scale": scenario.clock_scale,
        "sim_start_ms": SIM_START_MS,
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
        f"{run.run_time_s or scenario.run_time_s}s",
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
        cmd += ["--processes", str(run.workers)]
    return cmd


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
    return subprocess.call(locust_command(run, scenario, host), env=env)
