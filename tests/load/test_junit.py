"""The load run's JUnit document: one case per threshold and per conformance rule."""

import xml.etree.ElementTree as ET

from load.junit import document
from load.thresholds import Breach, Threshold
from simulator.conformance import compare
from simulator.conformance.rules import RULES

LOST = Threshold("lost", "==", 0, "nothing acknowledged may vanish")
DELAY = Threshold("delay_p95_s.normal", "<=", 60, "normal devices are not held back")


def cases(xml: str, suite_suffix: str) -> dict[str, ET.Element]:
    root = ET.fromstring(xml)
    suite = next(s for s in root.findall("testsuite") if s.get("name").endswith(suite_suffix))
    return {c.get("name"): c for c in suite.findall("testcase")}


def test_each_threshold_is_a_case_and_a_breach_is_its_failure():
    xml = document("steady", [LOST, DELAY], [Breach(LOST, 3.0)], None)
    found = cases(xml, ".thresholds")
    assert set(found) == {"lost == 0", "delay_p95_s.normal <= 60"}
    assert "was 3" in found["lost == 0"].find("failure").get("message")
    assert found["delay_p95_s.normal <= 60"].find("failure") is None


def test_each_conformance_rule_is_a_case_with_failures_and_skips():
    event = {"event_type": "[Appboy] X", "insert_id": "a", "user_id": "u1", "time": 1000}
    report = compare([], [event])  # nothing produced: one extra event; behaviour not evaluated
    found = cases(document("steady", [], [], report), ".conformance")
    assert len(found) == len(RULES)
    extra = next(c for n, c in found.items() if n.startswith("extra:"))
    assert "1 finding" in extra.find("failure").get("message")
    pause = next(c for n, c in found.items() if n.startswith("throttle_pause:"))
    assert pause.find("skipped") is not None


def test_totals_add_up_over_suites():
    report = compare([], [])
    root = ET.fromstring(document("steady", [LOST], [Breach(LOST, 1.0)], report))
    assert root.get("tests") == str(1 + len(RULES))
    assert root.get("failures") == "1"
