"""Reports of a connector-under-test run, beside Locust's HTML and CSV (files only).

``reports/<scenario>/``: ``summary.json`` and ``summary.md`` with the delay plots (as every load
run, ``load.report``), ``conformance.html`` (the graded content and behaviour of what reached
Amplitude), ``junit.xml`` (a test case per threshold and per conformance rule) and
``requests.jsonl`` (the mock's request log: what the connector sent, request by request).
"""

from __future__ import annotations

from pathlib import Path

from load import report
from load.junit import document
from load.sut.judge import Verdict
from simulator.conformance.render import html_page


def write(out_dir: Path, scenario: str, verdict: Verdict) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    report.write(
        out_dir, scenario, verdict.summary, verdict.thresholds, verdict.breaches, verdict.entries
    )
    report.write_requests(out_dir / "requests.jsonl", verdict.requests)
    title = f"Conformance of the connector under test ({scenario})"
    (out_dir / "conformance.html").write_text(html_page(verdict.conformance, title), "utf-8")
    junit = document(scenario, verdict.thresholds, verdict.breaches, verdict.conformance)
    (out_dir / "junit.xml").write_text(junit, "utf-8")
