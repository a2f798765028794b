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

from locust import events
from locust.env import Environment
from locust.runners import MasterRunner, WorkerRunner

from clients.admin import MockAdmin
from load import report
from load.crosscheck import edge_tolerance, mismatch, simulated_losses
from load.thresholds import Threshold, evaluate
from load.truth import summarize, summarize_ledgers
from load.users import LEDGER_MESSAGE, LEDGERS, collect_ledger, config

PAGE = 1000
ADMIN_TIMEOUT_S = 60.0
EDGE_TOLERANCE_S = 1800.0  # mock seconds of jitter forgiven at the lost window's edges, at least
EDGE_NEAR_S = 2 * 3600.0  # requests this close to the expiry or the restore measure the jitter


def _is_judge(environment: Environment) -> bool:
    return not isinstance(environment.runner, WorkerRunner)


def listen_for_ledgers(environment: Environment, **_: Any) -> None:
    runner = environment.runner
    if isinstance(runner, MasterRunner):
        runner.register_message(
            LEDGER_MESSAGE, lambda msg, **_: collect_ledger(environment, msg.data)
        )


def client_truth(ledgers: list[dict[str, Any]]) -> dict[str, Any]:
    """What the connectors themselves know: produced, skipped, lost (dropped for good) and
    still queued when the run ended."""
    return {
        "produced": sum(s["produced"] for s in ledgers),
        "skipped": sum(s["skipped"] for s in ledgers),
        "lost": sum(len(s["dropped"]) for s in ledgers),
        "still_queued": sum(s["queued"] for s in ledgers),
        "connectors_reported": len(ledgers),
    }


def set_stage(environment: Environment, **_: Any) -> None:
    if not _is_judge(environment):
        return
    cfg, params = config(), config()["params"]
    if cfg["truth"] != "server":
        return  # not our mock: nothing to set up, the connectors' ledgers will tell
    admin = MockAdmin(cfg["host"], api_key=cfg["api_key"], timeout_s=ADMIN_TIMEOUT_S)
    admin.reset()
    admin.set_clock(cfg["sim_start_ms"], scale=cfg["clock_scale"])
    if "expire_at_s" in params:
        # Both instants on the mock clock: a restore sent from here after a wall-clock wait
        # came late by the admin calls' latency (0.4 s under load: 50 minutes of mock time).
        expires_ms = cfg["sim_start_ms"] + int(params["expire_at_s"] * 1000)
        restores_ms = expires_ms + int(params["outage_s"] * 1000)
        admin.expire_key(cfg["api_key"], expires_ms, until_ms=restores_ms)


def judge(environment: Environment) -> int:
    cfg, params = config(), config()["params"]
    entries: list[dict[str, Any]] = []
    requests_log: list[dict[str, Any]] = []
    if cfg["truth"] == "server":
        with MockAdmin(
            cfg["host"], api_key=cfg["api_key"], timeout_s=ADMIN_TIMEOUT_S, page_size=PAGE
        ) as admin:
            entries = admin.events(outcome="all")
            requests_log = admin.requests()
        summary = summarize(entries)
    else:
        summary = summarize_ledgers(LEDGERS)
    summary["truth"] = cfg["truth"]
    summary.update(client_truth(LEDGERS))
    summary["undelivered"] = summary["produced"] - summary["skipped"] - summary["delivered"]
    summary["connectors_missing"] = cfg["users"] - summary["connectors_reported"]
    stats = environment.stats.total
    summary["requests"] = stats.num_requests
    summary["error_ratio"] = stats.fail_ratio if stats.num_requests else 0.0
    if "expire_at_s" in params:
        dropped = {i: t for s in LEDGERS for i, t in s["dropped"].items()}
        expected = simulated_losses(cfg)
        start = cfg["sim_start_ms"] / 1000.0
        expiry = start + params["expire_at_s"]
        deadlines = [expiry, expiry + params["outage_s"]]
        lateness = [tuple(pair) for s in LEDGERS for pair in s.get("lateness", [])]
        tolerance = edge_tolerance(lateness, deadlines, EDGE_TOLERANCE_S, near_s=EDGE_NEAR_S)
        away, edge = mismatch(expected, dropped, tolerance_s=tolerance)
        summary.update(
            lost_expected=len(expected), lost_mismatch=away, lost_at_edges=edge,
            edge_tolerance_s=round(tolerance),
        )  # fmt: skip
    thresholds = [Threshold(*row) for row in cfg["thresholds"]]
    breaches = evaluate(summary, thresholds)
    out = Path(cfg["report_dir"])
    report.write(out, cfg["scenario"], summary, thresholds, breaches, entries)
    report.write_requests(out / "requests.jsonl", requests_log)
    for breach in breaches:
        print(f"THRESHOLD BREACHED: {breach}")
    print(
        f"{cfg['scenario']}: "
        + ", ".join(
            f"{k}={summary[k]:g}"
            for k in ("delivered", "lost", "throttled", "duplicated")
            if k in summary
        )
    )  # the report's folder is named by `currents-sim load` once it is in place
    return 1 if breaches else 0


def apply_thresholds(environment: Environment, **_: Any) -> None:
    if not _is_judge(environment):
        return
    try:
        code = judge(environment)
    except Exception as exc:  # a report we could not make must fail the run, loudly
        print(f"load: could not judge the run: {exc}")
        code = 2
    environment.process_exit_code = max(environment.process_exit_code or 0, code)


events.init.add_listener(listen_for_ledgers)
events.test_start.add_listener(set_stage)
events.quitting.add_listener(apply_thresholds)
