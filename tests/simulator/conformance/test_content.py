"""Content rules: the reference's own output is clean; each seeded mutation is caught by its
rule with the right count and nothing else is flagged (issue 8, "what must hold")."""

from __future__ import annotations

import copy
import random
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.conformance import compare
from simulator.conformance.rules import BEHAVIOUR_RULES, CONTENT_RULES
from tests.simulator.conformance import mutations
from tests.simulator.conformance.conftest import golden_inputs, reference_output

NO_IDS = {
    "event_type": "users.messages.email.Open",
    "id": "anon-0001",
    "user_id": "5f3c9a1e2b7d4c0012ab34cd",
    "time": 1700000000,
    "email_address": "a@example.com",
}


def failing(report: Any) -> dict[str, int]:
    return {r.rule.id: r.count for r in report.failed}


def apply(
    reference: list[dict[str, Any]], plan: dict[str, int], seed: int
) -> tuple[list[dict[str, Any]], Counter[str]]:
    """Mutate disjoint, randomly chosen events; the expected count per rule."""
    events = copy.deepcopy(reference)
    order = list(range(len(events)))
    random.Random(seed).shuffle(order)
    used: set[int] = set()
    expected: Counter[str] = Counter()
    dropped: set[int] = set()
    repeated: list[dict[str, Any]] = []
    for name, count in sorted(plan.items()):
        if name in mutations.IN_PLACE:
            mutate, rule, applies = mutations.IN_PLACE[name]
            chosen = [i for i in order if i not in used and applies(events[i])][:count]
            for i in chosen:
                mutate(events[i])
        else:
            rule = mutations.STREAM[name]
            chosen = [i for i in order if i not in used][:count]
            if name == "drop":
                dropped.update(chosen)
            else:
                repeated.extend(copy.deepcopy(events[i]) for i in chosen)
        used.update(chosen)
        expected[rule] += len(chosen)
    out = [e for i, e in enumerate(events) if i not in dropped] + repeated
    random.Random(seed + 1).shuffle(out)
    return out, +expected


def test_reference_output_is_clean(produced: list[Any], reference: list[Any]) -> None:
    report = compare(produced, reference)
    assert report.clean
    assert report.summary["matched"] == len(reference) == report.summary["expected"]
    for name in ("missing", "extra", "duplicated", "mismatched"):
        assert report.summary[name] == 0
    assert all(report.count(rule) == 0 for rule in CONTENT_RULES)
    assert {r.rule.id for r in report.results if r.passed is None} == set(BEHAVIOUR_RULES)


def test_every_golden_type_is_clean() -> None:
    records = golden_inputs()
    report = compare(records, reference_output(records))
    assert report.clean and report.summary["matched"] == len(records)


def test_correctly_skipped_events_are_not_errors(reference: list[Any], produced: list[Any]) -> None:
    report = compare([*produced, NO_IDS], reference)
    assert report.clean
    assert report.summary["skipped"] == {"no_ids": 1}


def test_sending_an_event_braze_skips_is_extra(reference: list[Any], produced: list[Any]) -> None:
    sent = {"event_type": "[Appboy] Email Open", "insert_id": "anon-0001", "time": 1}
    report = compare([*produced, NO_IDS], [*reference, sent])
    assert failing(report) == {"extra": 1}
    (finding,) = report.results[1].examples
    assert finding.event_id == "anon-0001" and "Braze skips it" in finding.explanation


@pytest.mark.parametrize("name", mutations.ALL)
def test_each_mutation_is_caught_by_its_rule_alone(
    name: str, produced: list[Any], reference: list[Any]
) -> None:
    count = max(1, len(reference) // 100) if name == "drop" else 3  # "drop 1 % of events"
    received, expected = apply(reference, {name: count}, seed=7)
    report = compare(produced, received)
    assert failing(report) == dict(expected)
    assert sum(expected.values()) == count


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    plan=st.dictionaries(
        st.sampled_from(mutations.ALL), st.integers(1, 6), max_size=len(mutations.ALL)
    ),
    seed=st.integers(0, 2**16),
)
def test_mutation_sets_are_each_counted_under_their_rule(
    plan: dict[str, int], seed: int, produced: list[Any], reference: list[Any]
) -> None:
    received, expected = apply(reference, plan, seed)
    report = compare(produced, received)
    assert failing(report) == dict(expected)
    mismatched = sum(n for rule, n in expected.items() if rule not in ("missing", "duplicated"))
    assert report.summary["mismatched"] == mismatched
    assert report.summary["missing"] == expected["missing"]
    assert report.summary["duplicated"] == expected["duplicated"]
    assert report.summary["extra"] == 0
    assert report.clean == (not plan)


def test_examples_name_the_event_and_explain_in_one_line(
    produced: list[Any], reference: list[Any]
) -> None:
    received, _ = apply(reference, {"seconds": 8}, seed=3)
    report = compare(produced, received, examples=2)
    result = next(r for r in report.results if r.rule.id == "time_unit")
    assert result.count == 8 and len(result.examples) == 2
    for finding in result.examples:
        assert finding.event_id and finding.event_id.startswith("ev-")
        assert "\n" not in finding.explanation and "seconds" in finding.explanation


def test_received_request_bodies_and_journal_entries(
    produced: list[Any], reference: list[Any]
) -> None:
    bodies = [
        {"api_key": "k", "events": reference[i : i + 50]} for i in range(0, len(reference), 50)
    ]
    journal = [{**e, "outcome": "ingested", "received_at": 1, "request_id": 1} for e in reference]
    throttled = {**reference[0], "outcome": "throttled", "received_at": 0, "request_id": 0}
    assert compare(produced, bodies).clean
    assert compare(produced, [throttled, *journal]).clean
    assert failing(compare(produced, [throttled])) == {"missing": len(reference)}
