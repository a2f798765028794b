"""A load run's verdict as JUnit XML, so CI shows each threshold and each conformance rule as a
test case of its own (pure: builds the document, writes nothing).

Suite ``thresholds``: one case per threshold, failing with the value seen when it broke.
Suite ``conformance``: one case per conformance rule (``simulator.conformance.RULES``), failing
with its count and first examples, skipped with the reason when it could not be evaluated.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from load.thresholds import Breach, Threshold
from simulator.conformance.report import Report


def document(
    scenario: str,
    thresholds: Sequence[Threshold],
    breaches: Sequence[Breach],
    conformance: Report | None,
) -> str:
    root = ET.Element("testsuites", name=f"currents-sim load {scenario}")
    _threshold_suite(root, scenario, thresholds, breaches)
    if conformance is not None:
        _conformance_suite(root, scenario, conformance)
    _total(root)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _threshold_suite(
    root: ET.Element, scenario: str, thresholds: Sequence[Threshold], breaches: Sequence[Breach]
) -> None:
    suite = ET.SubElement(root, "testsuite", name=f"{scenario}.thresholds")
    broken = {b.threshold: b for b in breaches}
    for threshold in thresholds:
        case = ET.SubElement(
            suite, "testcase", classname=f"load.{scenario}.thresholds", name=str(threshold)
        )
        breach = broken.get(threshold)
        if breach is not None:
            failure = ET.SubElement(case, "failure", message=str(breach), type="threshold")
            failure.text = threshold.why
    _count(suite)


def _conformance_suite(root: ET.Element, scenario: str, report: Report) -> None:
    suite = ET.SubElement(root, "testsuite", name=f"{scenario}.conformance")
    for result in report.results:
        rule = result.rule
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"load.{scenario}.conformance.{rule.kind}",
            name=f"{rule.id}: {rule.title}",
        )
        if result.passed is False:
            failure = ET.SubElement(
                case, "failure", message=f"{result.count} finding(s): {rule.checks}",
                type=rule.severity,
            )  # fmt: skip
            failure.text = "\n".join(
                f"{f.event_id or '-'}: {f.explanation}" for f in result.examples
            )
        elif result.passed is None:
            ET.SubElement(case, "skipped", message=result.skipped or "")
    _count(suite)


def _count(suite: ET.Element) -> None:
    cases = suite.findall("testcase")
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
    suite.set("skipped", str(sum(1 for c in cases if c.find("skipped") is not None)))
    suite.set("errors", "0")


def _total(root: ET.Element) -> None:
    for key in ("tests", "failures", "skipped"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in root.findall("testsuite"))))
