"""Run a scenario against a connector under test: check both ends, run Locust, return its code.

No locust import here (its import patches the process): Locust runs in a subprocess configured
through ``CURRENTS_LOAD`` (JSON), as every load run (``load.runner``). Before anything starts,
both ends are checked so that a wrong URL costs a second, not a run: the mock must answer
``/_mock/health`` (its journal is the truth), and the connector must accept an empty batch with
the token (Braze's own check: "validates the token even on empty batches", §4.3).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from clients import MockAdmin, MockAdminError
from load import thresholds as th
from load.runner import ENV, worker_args
from load.sut.table import SCENARIOS, SutScenario, thresholds_of
from simulator.delivery import EMPTY_BATCH, HEADERS, Answer, refusal

LOCUSTFILE = Path(__file__).parent / "locustfile.py"
PREFLIGHT_TIMEOUT_S = 2.0


@dataclass
class SutRun:
    scenario: str
    connector: str
    host: str
    api_key: str
    connector_token: str | None = None
    size: str = "ci"
    users: int | None = None
    run_time_s: float | None = None
    outage_s: float | None = None
    workers: int = 0
    seed: int = 0
    reports: Path = Path("reports")
    overrides: list[str] = field(default_factory=list)
    profile: str = "page"

    def resolve(self) -> SutScenario:
        if self.scenario not in SCENARIOS:
            raise ValueError(
                f"{self.scenario!r} has no connector-under-test form (have: {', '.join(SCENARIOS)})"
            )
        scenario = SCENARIOS[self.scenario].sized(self.size)
        if self.outage_s is not None:
            if "outage_s" not in scenario.params:
                raise ValueError(f"--outage applies to credential-expiry, not {self.scenario}")
            scenario = scenario.with_params(outage_s=self.outage_s)
        return scenario


def check_mock(host: str) -> None:
    try:
        with MockAdmin(host, timeout_s=PREFLIGHT_TIMEOUT_S) as admin:
            admin.health()
    except MockAdminError as exc:
        raise ValueError(f"--host {host}: not a reachable currents-sim mock ({exc})") from None


def check_connector(url: str, token: str | None) -> None:
    headers = dict(HEADERS)
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        resp = requests.post(url, data=EMPTY_BATCH, headers=headers, timeout=PREFLIGHT_TIMEOUT_S)
        answer = Answer(resp.status_code)
    except requests.RequestException as exc:
        answer = Answer(0, error=type(exc).__name__)
    why = refusal(answer)
    if why is not None:
        raise ValueError(f"--connector {url}: {why}")


def config(run: SutRun, scenario: SutScenario) -> dict[str, Any]:
    parts = urlsplit(run.connector)
    with MockAdmin(run.host) as admin:
        mock_now_s = admin.now_ms() / 1000.0
    overrides = [th.parse(text) for text in run.overrides]
    run_time = run.run_time_s or scenario.run_time_s
    return {
        "scenario": scenario.name,
        "connector": run.connector,
        "connector_path": (parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
        "connector_token": run.connector_token,
        "host_mock": run.host.rstrip("/"),
        "api_key": run.api_key,
        "seed": run.seed,
        "workers": run.workers,
        "users": run.users or scenario.users,
        "profile": run.profile,
        "start_s": mock_now_s + 2.0,  # the users start within 2 s
        "end_wall": time.time() + run_time,
        "params": scenario.params,
        "thresholds": [
            [t.metric, t.op, t.value, t.why] for t in thresholds_of(scenario, overrides)
        ],
        "report_dir": str(run.reports / scenario.name),
    }


def locust_command(cfg: dict[str, Any], run_time_s: float) -> list[str]:
    parts = urlsplit(cfg["connector"])
    users = str(cfg["users"])
    cmd = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary",
        "-u", users, "-r", users, "-t", f"{int(run_time_s)}s", "--stop-timeout", "5",
        "--host", f"{parts.scheme}://{parts.netloc}",
        "--csv", str(Path(cfg["report_dir"]) / "locust"),
        "--html", str(Path(cfg["report_dir"]) / "locust.html"),
        "--loglevel", "WARNING",
    ]  # fmt: skip
    if cfg["workers"]:
        cmd += worker_args(cfg["workers"])
    return cmd


def execute(run: SutRun) -> int:
    """Check both ends, run the scenario; Locust's exit code (1 when a threshold broke)."""
    scenario = run.resolve()
    check_mock(run.host)
    check_connector(run.connector, run.connector_token)
    cfg = config(run, scenario)
    Path(cfg["report_dir"]).mkdir(parents=True, exist_ok=True)
    env = {**os.environ, ENV: json.dumps(cfg)}
    run_time = run.run_time_s or scenario.run_time_s
    return subprocess.call(locust_command(cfg, run_time), env=env)
