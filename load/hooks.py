"""Locust event hooks: set the stage at test start, judge the run at the end.

Only the master (or the single local runner) acts: it resets the API key's state on the target,
sets the mock clock (start instant and scale), schedules key expiry and restoration for the
credential story, and when Locust quits it reads the server-side truth (``/_mock/events``),
summarises it (``load.truth``), evaluates the thresholds (``load.thresholds``, pure), writes
the report (``load.report``) and sets Locust's exit code: 1 when a threshold broke.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gevent
import orjson
from locust import events
from locust.env import Environment
from locust.runners import WorkerRunner

from load import report
from load.thresholds import Threshold, evaluate
from load.truth import expected_credential_loss, summarize
from load.users import config

PAGE = 1000


def _is_judge(environment: Environment) -> bool:
    return not isinstance(environment.runner, WorkerRunner)


class Admin:
    """The target's ``/_mock`` API over a plain session (kept out of Locust's statistics)."""

    def __init__(self, base_url: str) -> None:
        import requests

        self.base_url, self.session = base_url.rstrip("/"), requests.Session()

    def post(self, path: str, body: dict[str, Any]) -> None:
        self.session.post(self.base_url + path, json=body, timeout=10).raise_for_status()

    def get(self, path: str, params: dict[str, Any]) -> Any:
        resp = self.session.get(self.base_url + path, params=params, timeout=60)
        resp.raise_for_status()
        return orjson.loads(resp.content)


@events.test_start.add_listener
def set_stage(environment: Environment, **_: Any) -> None:
    if not _is_judge(environment):
        return
    cfg, params = config(), config()["params"]
    admin = Admin(cfg["host"])
    admin.post("/_mock/reset", {"api_key": cfg["api_key"]})
    admin.post("/_mock/clock", {"set": cfg["sim_start_ms"], "scale": cfg["clock_scale"]})
    if "expire_at_s" in params:
        expires_ms = cfg["sim_start_ms"] + int(params["expire_at_s"] * 1000)
        admin.post("/_mock/keys", {"key": cfg["api_key"], "expires_at": expires_ms})
        restore_wall_s = (params["expire_at_s"] + params["outage_s"]) / cfg["clock_scale"]
        gevent.spawn_later(restore_wall_s, admin.post, "/_mock/keys", {"key": cfg["api_key"]})


def fetch_entries(admin: Admin, api_key: str) -> list[dict[str, Any]]:
    """Every journal entry of the key, page by page."""
    entries: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params = {"api_key": api_key, "limit": PAGE, **({"cursor": cursor} if cursor else {})}
        page = admin.get("/_mock/events", params)
        entries += page["events"]
        cursor = page.get("next_cursor")
        if not cursor:
            return entries


def judge(environment: Environment) -> int:
    cfg, params = config(), config()["params"]
    entries = fetch_entries(Admin(cfg["host"]), cfg["api_key"])
    summary = summarize(entries)
    stats = environment.stats.total
    summary["requests"] = stats.num_requests
    summary["error_ratio"] = stats.fail_ratio if stats.num_requests else 0.0
    if "expire_at_s" in params:
        restored_ms = cfg["sim_start_ms"] + int((params["expire_at_s"] + params["outage_s"]) * 1000)
        must_lose, must_keep = expected_credential_loss(entries, restored_ms, 48 * 3600, 300)
        delivered = {e["insert_id"] for e in entries if e.get("outcome") == "ingested"}
        summary["lost_expected"] = len(must_lose)
        summary["lost_mismatch"] = len(must_lose & delivered) + len(must_keep - delivered)
    thresholds = [Threshold(*row) for row in cfg["thresholds"]]
    breaches = evaluate(summary, thresholds)
    report.write(Path(cfg["report_dir"]), cfg["scenario"], summary, thresholds, breaches, entries)
    for breach in breaches:
        print(f"THRESHOLD BREACHED: {breach}")
    print(f"{cfg['scenario']}: " + ", ".join(
        f"{k}={summary[k]:g}" for k in ("delivered", "lost", "throttled", "duplicated")) +
        f"; report in {cfg['report_dir']}")  # fmt: skip
    return 1 if breaches else 0


@events.quitting.add_listener
def apply_thresholds(environment: Environment, **_: Any) -> None:
    if not _is_judge(environment):
        return
    try:
        code = judge(environment)
    except Exception as exc:  # a report we could not make must fail the run, loudly
        print(f"load: could not judge the run: {exc}")
        code = 2
    environment.process_exit_code = max(environment.process_exit_code or 0, code)
