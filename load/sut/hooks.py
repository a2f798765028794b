"""Locust hooks of a connector-under-test run: set the stage, judge at the end.

Only the master (or the single local runner) acts. At test start it forgets the run's API key on
the mock (that key only: other keys' data and the mock clock are left alone) and, for the
credential story, revokes the key once ``revoke_after_s`` have passed and the connector has
delivered an event, and restores it ``outage_s`` later.
When Locust quits it judges the run (``load.sut.judge``), writes the reports and sets the exit
code: 1 when a threshold broke.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gevent
from locust import events
from locust.env import Environment
from locust.runners import MasterRunner, WorkerRunner

from clients import MockAdmin
from load.sut import reports
from load.sut.judge import judge
from load.users import LEDGER_MESSAGE, LEDGERS, collect_ledger, config

FIRST_DELIVERY_WAIT_S = 60.0  # then the outage starts anyway (and the thresholds say why)


def _is_judge(environment: Environment) -> bool:
    return not isinstance(environment.runner, WorkerRunner)


def listen_for_ledgers(environment: Environment, **_: Any) -> None:
    if isinstance(environment.runner, MasterRunner):
        environment.runner.register_message(
            LEDGER_MESSAGE, lambda msg, **_: collect_ledger(environment, msg.data)
        )


def set_stage(environment: Environment, **_: Any) -> None:
    if not _is_judge(environment):
        return
    cfg, params = config(), config()["params"]
    admin = MockAdmin(cfg["host_mock"])
    admin.reset(api_key=cfg["api_key"])
    if "outage_s" in params:
        gevent.spawn(_outage, admin, cfg["api_key"], params["revoke_after_s"], params["outage_s"])


def _outage(admin: MockAdmin, key: str, after_s: float, outage_s: float) -> None:
    """Revoke ``key`` once ``after_s`` have passed *and* the connector has delivered an event
    (on a busy machine its first delivery can come late, and an outage over before the
    connector met it would test nothing), then restore it ``outage_s`` later."""
    gevent.sleep(after_s)
    admin.wait(1, timeout_s=FIRST_DELIVERY_WAIT_S, api_key=key)
    admin.revoke_key(key)
    gevent.sleep(outage_s)
    admin.restore_key(key)


def apply_verdict(environment: Environment, **_: Any) -> None:
    if not _is_judge(environment):
        return
    cfg = config()
    stats = environment.stats.total
    locust_stats = {
        "requests": stats.num_requests,
        "error_ratio": stats.fail_ratio if stats.num_requests else 0.0,
    }
    try:
        with MockAdmin(cfg["host_mock"]) as admin:
            verdict = judge(
                cfg, list(LEDGERS), admin, locust_stats=locust_stats, until_wall=cfg["end_wall"]
            )
        reports.write(Path(cfg["report_dir"]), cfg["scenario"], verdict)
    except Exception as exc:  # a run we could not judge must fail, loudly
        print(f"load: could not judge the run: {exc}")
        environment.process_exit_code = 2
        return
    for breach in verdict.breaches:
        print(f"THRESHOLD BREACHED: {breach}")
    s = verdict.summary
    print(
        f"{cfg['scenario']} (connector {cfg['connector']}): delivered={s['delivered']}, "
        f"lost={s['lost']}, duplicated={s['duplicated']}, throttled={s['throttled']}, "
        f"conformance_errors={s['conformance_errors']}"
    )
    code = 1 if verdict.breaches else 0
    environment.process_exit_code = max(environment.process_exit_code or 0, code)


events.init.add_listener(listen_for_ledgers)
events.test_start.add_listener(set_stage)
events.quitting.add_listener(apply_verdict)
