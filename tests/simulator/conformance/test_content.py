"""Content rules: the reference's own output is clean; each seeded mutation is caught by its
rule with the right count and nothing else is flagged (issue 8, "what must hold")."""

from __future__ import annotations

import copy
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from simulator.conformance import ContentCheck, compare
from simulator.conformance.report import Tally
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


EXTRAS: list[Any] = [
    {"event_type": "[Appboy] Email Open", "insert_id": "anon-0001", "time": 1},  # Braze skips it
    {"event_type": "[Appboy] Email Open", "insert_id": "not-produced", "time": 1},
    {"event_type": "[Appboy] Email Open", "time": 1},  # no insert_id
    42,
]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(  # the extreme: every row its own run
    plan={"seconds": 2, "drop": 2, "duplicate": 2},
    seed=0,
    extras=EXTRAS,
    repeats=[0, 5],
    examples=2,
    memory=1,
)
@given(
    plan=st.dictionaries(
        st.sampled_from(mutations.ALL), st.integers(1, 6), max_size=len(mutations.ALL)
    ),
    seed=st.integers(0, 2**16),
    extras=st.lists(st.sampled_from(EXTRAS), max_size=6),
    repeats=st.lists(st.integers(0, 399), max_size=4),
    examples=st.integers(0, 4),
    memory=st.integers(1, 30_000),  # 400 events need ~19 KB: from one run per row to none
)
def test_spilled_result_is_identical_to_in_memory(
    plan: dict[str, int],
    seed: int,
    extras: list[Any],
    repeats: list[int],
    examples: int,
    memory: int,
    produced: list[Any],
    reference: list[Any],
) -> None:
    """Same report, examples included, whatever the memory budget (400 events need ~19 KB)."""
    received, _ = apply(reference, plan, seed)
    received += copy.deepcopy(extras)
    inputs = [*produced, NO_IDS, *(produced[i] for i in repeats)]  # repeated ids: first counts
    in_memory = compare(inputs, received, examples=examples)
    spilled = compare(inputs, received, examples=examples, memory=memory)
    assert spilled.to_dict() == in_memory.to_dict()


def test_a_tiny_budget_spills_to_a_temporary_directory_removed_on_close(
    tmp_path: Path, produced: list[Any], reference: list[Any]
) -> None:
    received, expected = apply(reference, {"seconds": 5, "drop": 3, "duplicate": 2}, seed=1)
    tally = Tally()
    with ContentCheck(workdir=str(tmp_path), memory=4096) as check:
        result = check.run(lambda: produced, lambda: received, tally)
        assert check.spilled and list(tmp_path.iterdir())
    assert list(tmp_path.iterdir()) == []
    assert (result.missing, result.duplicated, result.mismatched) == (3, 2, 5)
    assert tally.counts == expected
    with ContentCheck(workdir=str(tmp_path)) as check:
        check.run(lambda: produced, lambda: reference, Tally())
        assert not check.spilled and list(tmp_path.iterdir()) == []  # small and clean: no files


def test_temporary_files_are_removed_when_a_source_fails(
    tmp_path: Path, produced: list[Any], reference: list[Any]
) -> None:
    received, _ = apply(reference, {"seconds": 5}, seed=2)
    reads = 0

    def failing_on_second_read() -> Iterator[Any]:
        nonlocal reads
        reads += 1
        if reads == 2:  # pass 2, after the runs and the SQLite file were written
            raise OSError("disk gone")
        yield from received

    check = ContentCheck(workdir=str(tmp_path), memory=4096)
    with pytest.raises(OSError, match="disk gone"), check:
        check.run(lambda: produced, failing_on_second_read, Tally())
    assert reads == 2 and list(tmp_path.iterdir()) == []
