"""The verdict of a connector-under-test run (no locust): truth, conformance, thresholds.

``judge(cfg, ledgers, admin)`` waits (bounded by the run's drain) until Amplitude holds every
event the connector acknowledged, reads the journal and request log of the run's key, joins them
with the senders' ledgers (``load.sut.truth``), grades every delivered event against the
reference transformer and the connector's requests against the behaviour rules (the same
``simulator.conformance`` checks as ``currents-sim conformance --mock``), and evaluates the
thresholds. Writing the reports is ``load.sut.reports``'s job.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from clients import MockAdmin
from load.sut.streams import events
from load.sut.truth import ACKNOWLEDGED, Handed, join
from load.thresholds import Breach, Threshold, evaluate
from simulator.conformance import ContentCheck, Tally, summary
from simulator.conformance.behaviour import check_behaviour, requests_from_log
from simulator.conformance.report import Report, build_report
from simulator.transform import Transformed, transform

WAIT_STEP_S = 30.0  # one /_mock/wait call at most this long (the admin API caps waits)


@dataclass(frozen=True)
class Verdict:
    summary: dict[str, Any]
    thresholds: list[Threshold]
    breaches: list[Breach]
    conformance: Report
    entries: list[dict[str, Any]]
    requests: list[dict[str, Any]]


def handed_rows(ledgers: Iterable[Mapping[str, Any]]) -> Iterator[Handed]:
    for ledger in ledgers:
        for event_id, cls, sent_at, fate in ledger["rows"]:
            yield Handed(event_id, cls, sent_at, fate)


def handed_records(
    cfg: dict[str, Any], ledgers: Iterable[Mapping[str, Any]]
) -> tuple[list[dict[str, Any]], set[str]]:
    """The acknowledged events, regenerated from each partition's seed, and the ids of every
    handed event the reference transformer exports."""
    acked: list[dict[str, Any]] = []
    exported: set[str] = set()
    for ledger in ledgers:
        fates = {row[0]: row[3] for row in ledger["rows"]}
        for record in events(cfg, int(ledger["index"])):
            fate = fates.get(str(record["id"]))
            if fate is None:
                continue
            if isinstance(transform(record, cfg["profile"]), Transformed):
                exported.add(str(record["id"]))
            if fate == ACKNOWLEDGED:
                acked.append(record)
    return acked, exported


def wait_for_ingestion(admin: MockAdmin, api_key: str, count: int, until_wall: float) -> None:
    """Block until the key has ``count`` ingested events or the wall clock reaches the bound."""
    while time.time() < until_wall:
        step = min(WAIT_STEP_S, until_wall - time.time())
        if step <= 0 or admin.wait(count, api_key=api_key, timeout_s=step, outcome="ingested").ok:
            return


def conformance(
    cfg: dict[str, Any],
    acked: list[dict[str, Any]],
    entries: list[dict[str, Any]],
    requests: list[dict[str, Any]],
    now_ms: int,
) -> Report:
    tally = Tally()
    with ContentCheck(cfg["profile"]) as check:
        result = check.run(lambda: acked, lambda: entries, tally)
    sent = requests_from_log(requests, entries)
    n_requests = check_behaviour(sent, tally, observed_until=now_ms)
    return build_report(tally, {**summary(result), "requests": n_requests})


def conformance_errors(report: Report) -> int:
    return sum(r.count for r in report.failed if r.rule.severity == "error")


def judge(
    cfg: dict[str, Any],
    ledgers: list[Mapping[str, Any]],
    admin: MockAdmin,
    *,
    locust_stats: Mapping[str, Any],
    until_wall: float,
) -> Verdict:
    api_key = cfg["api_key"]
    acked, exported = handed_records(cfg, ledgers)
    wait_for_ingestion(admin, api_key, sum(1 for r in acked if r["id"] in exported), until_wall)
    entries = admin.events(api_key=api_key, outcome="all")
    requests = admin.requests(api_key=api_key)
    figures = join(handed_rows(ledgers), entries, exported)
    report = conformance(cfg, acked, entries, requests, admin.now_ms())
    figures.update(
        senders_missing=cfg["users"] - len(ledgers),
        conformance_errors=conformance_errors(report),
        conformance_failed_rules=[r.rule.id for r in report.failed],
        **locust_stats,
    )
    thresholds = [Threshold(*row) for row in cfg["thresholds"]]
    return Verdict(figures, thresholds, evaluate(figures, thresholds), report, entries, requests)
