"""The cohort-import request checks (``simulator.braze.validation``): 1,000 ids at most, an
ISO-8601 ``created_at``, well-formed fields, a JSON object; each refusal a 400 naming it."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.braze import BrazeModel
from tests.simulator.braze.conftest import SECRET, changes, name

ISO = [
    "2021-01-21T19:20:30+05:00",
    "2021-01-21T19:20:30Z",
    "2021-01-21T19:20:30.1",
    "2021-01-21 19:20",
]


def test_more_than_1000_ids_is_400(braze: BrazeModel) -> None:
    ids = [f"user-{i}" for i in range(600)]
    reply = braze.change_users(changes({"user_ids": ids}, {"device_ids": ids[:401]}))
    assert reply.status == 400
    assert (
        reply.body["message"]
        == "Only 1,000 user_ids, device_ids, and aliases are allowed per request"
    )
    assert "at most 1000" in reply.body["errors"][0]
    assert braze.workspaces[SECRET].data_points == 0
    ok = braze.change_users(changes({"user_ids": ids}, {"device_ids": ids[:400]}))
    assert ok.status == 200


@pytest.mark.parametrize(
    "created_at",
    ["2021-01-21", "yesterday", "21/01/2021 19:20", "2021-13-40T19:20:30Z", 1611256830, None, ""],
)
def test_malformed_created_at_is_400(braze: BrazeModel, created_at: Any) -> None:
    reply = braze.name_cohort(name(created_at=created_at))
    assert reply.status == 400
    assert reply.body["errors"] == [
        "created_at must be an ISO-8601 timestamp, e.g. 2021-01-21T19:20:30+05:00"
    ]
    assert "c1" not in braze.workspaces[SECRET].cohorts


@pytest.mark.parametrize("created_at", ISO)
def test_iso_8601_created_at_is_accepted(braze: BrazeModel, created_at: str) -> None:
    assert braze.name_cohort(name(created_at=created_at)).status == 200


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (name(name=""), "name must be a non-empty string"),
        (name(cohort_id=""), "cohort_id must be a non-empty string"),
        (name(cohort_id=12), "cohort_id must be a non-empty string"),
        (changes(), "cohort_changes must be a non-empty array of objects"),
        (changes("user-1"), "cohort_changes[0] must be an object"),
        (changes({"should_remove": True}), "cohort_changes[0] needs user_ids, device_ids or alias"),
        (changes({"user_ids": "user-1"}), "cohort_changes[0].user_ids must be an array"),
        (
            changes({"user_ids": ["a"], "should_remove": "yes"}),
            "cohort_changes[0].should_remove must be",
        ),
        (changes({"aliases": [{"alias_name": "x"}]}), "cohort_changes[0].aliases must be"),
    ],
)
def test_malformed_fields_are_400(braze: BrazeModel, body: dict[str, Any], problem: str) -> None:
    reply = braze.name_cohort(body) if "name" in body else braze.change_users(body)
    assert reply.status == 400
    assert any(e.startswith(problem) for e in reply.body["errors"]), reply.body


def test_a_body_that_is_not_an_object_is_400(braze: BrazeModel) -> None:
    assert braze.change_users(["not", "an", "object"]).status == 400
