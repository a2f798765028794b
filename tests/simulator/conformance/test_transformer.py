"""check_transformer grades a team's in-process transformer function against the reference."""

from typing import Any

import pytest

from simulator.conformance.transformer import check_transformer
from simulator.currents.catalogue import EXPORTED
from simulator.transform import Transformed, transform

PURCHASE = "users.behaviors.Purchase"
PUSH_SEND = "users.messages.pushnotification.Send"


def reference(record: dict[str, Any]) -> dict[str, Any] | None:
    result = transform(record)
    return result.event if isinstance(result, Transformed) else None


def test_the_reference_transformer_is_clean_on_every_exported_type():
    report = check_transformer(reference, n=3, seed=1)
    assert report.clean, report.to_dict()["failed_rules"]
    assert report.summary["types"] == len(EXPORTED)
    assert report.summary["matched"] == report.summary["expected"] > 0


def test_http_envelopes_are_graded_like_flat_records():
    report = check_transformer(reference, n=3, shape="http", types=[PURCHASE, PUSH_SEND])
    assert report.clean
    assert report.summary["matched"] == report.summary["expected"]


def test_time_in_seconds_is_caught_by_the_time_unit_rule():
    def seconds(record):
        event = reference(record)
        if event is not None:
            event["time"] //= 1000
        return event

    report = check_transformer(seconds, n=4, types=[PUSH_SEND])
    assert [r.rule.id for r in report.failed] == ["time_unit"]
    assert report.count("time_unit") == report.summary["expected"]


def test_a_lowercased_appboy_prefix_is_caught_by_the_prefix_rule():
    def lowercased(record):
        event = reference(record)
        if event is not None:
            event["event_type"] = event["event_type"].replace("[Appboy]", "[appboy]")
        return event

    report = check_transformer(lowercased, n=2, types=[PUSH_SEND, PURCHASE])
    assert "event_type_prefix" in [r.rule.id for r in report.failed]


def test_an_exception_is_counted_and_the_event_graded_as_not_sent():
    def fragile(record):
        if record["event_type"] == PURCHASE:
            raise KeyError("price")
        return reference(record)

    report = check_transformer(fragile, n=3, types=[PURCHASE, PUSH_SEND])
    assert report.summary["raised"]["count"] == 3
    assert "KeyError('price')" in report.summary["raised"]["examples"][0]
    assert report.count("missing") == 3
    assert report.summary["matched"] == report.summary["expected"] - 3


def test_a_list_of_events_may_be_returned_and_duplicates_are_graded():
    def twice(record):
        event = reference(record)
        return [] if event is None else [event, event]

    report = check_transformer(twice, n=2, types=[PUSH_SEND])
    assert [r.rule.id for r in report.failed] == ["duplicated"]


def test_the_function_gets_a_copy_it_may_mutate():
    def destructive(record):
        event = reference(record)
        record.clear()
        return event

    assert check_transformer(destructive, n=2, types=[PURCHASE]).clean


def test_the_same_seed_gives_the_same_events():
    seen: list[list[str]] = [[], []]
    for run in seen:
        check_transformer(lambda r, run=run: run.append(r["id"]), n=2, types=[PUSH_SEND], seed=7)
    assert seen[0] == seen[1] and len(seen[0]) == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"types": ["users.nope.Thing"]}, "not Currents event types"), ({"n": 0}, "n must be")],
)
def test_bad_arguments_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        check_transformer(reference, **kwargs)
