"""Thresholds: pure data and a pure verdict (no locust import anywhere in these tests)."""

from __future__ import annotations

import sys

import pytest

from load.thresholds import Threshold, evaluate, merge, parse


def test_a_held_threshold_is_no_breach() -> None:
    assert evaluate({"lost": 0}, [Threshold("lost", "==", 0)]) == []


def test_a_broken_threshold_reports_the_value_seen() -> None:
    [breach] = evaluate({"lost": 3}, [Threshold("lost", "==", 0, "nothing lost")])
    assert breach.actual == 3
    assert str(breach) == "lost == 0: was 3 (nothing lost)"


def test_a_metric_that_was_not_measured_is_a_breach() -> None:
    [breach] = evaluate({}, [Threshold("delay_p95_s.normal", ">=", 30)])
    assert breach.actual is None and "not measured" in str(breach)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lost==0", Threshold("lost", "==", 0.0)),
        ("delay_p95_s.normal >= 30", Threshold("delay_p95_s.normal", ">=", 30.0)),
        ("error_ratio<0.01", Threshold("error_ratio", "<", 0.01)),
    ],
)
def test_parse_command_line_overrides(text: str, expected: Threshold) -> None:
    parsed = parse(text)
    assert (parsed.metric, parsed.op, parsed.value) == (
        expected.metric,
        expected.op,
        expected.value,
    )


@pytest.mark.parametrize("text", ["lost", "lost=0", "== 3", "lost<=abc"])
def test_parse_rejects_other_forms_with_the_accepted_one(text: str) -> None:
    with pytest.raises(ValueError, match="METRIC<=VALUE"):
        parse(text)


def test_overrides_replace_the_same_metric_and_add_new_ones() -> None:
    base = [Threshold("lost", "==", 0), Threshold("throttled", "==", 0)]
    merged = merge(base, [Threshold("lost", "<=", 5), Threshold("requests", ">", 1)])
    assert [(t.metric, t.op) for t in merged] == [
        ("throttled", "=="),
        ("lost", "<="),
        ("requests", ">"),
    ]


def test_pure_modules_do_not_import_locust() -> None:
    import load.scenario_table
    import load.thresholds
    import load.truth  # noqa: F401

    assert "locust" not in sys.modules
