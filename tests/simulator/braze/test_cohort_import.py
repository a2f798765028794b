"""The Braze cohort-import model: auth, validation, identifier rules, deltas, data points."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.braze import (
    DEFAULT_CLIENT_SECRET as SECRET,
)
from simulator.braze import (
    DEFAULT_PARTNER_KEY as KEY,
)
from simulator.braze import (
    BrazeModel,
    display_name,
    populate,
)
from simulator.clock import ManualClock
from simulator.rng import make_rng


@pytest.fixture
def braze(clock: ManualClock) -> BrazeModel:
    model = BrazeModel(clock)
    users = model.workspaces[SECRET].users
    users.add(external_id="user-1", device_ids=["dev-of-user-1"])
    users.add(external_id="user-2")
    users.add(device_ids=["anon-device-1"])
    users.add(aliases=[("amplitude_id", "alias-1")])
    return model


def changes(*items: dict[str, Any], cohort_id: str = "c1", **over: Any) -> dict[str, Any]:
    body = {
        "partner_api_key": KEY,
        "client_secret": SECRET,
        "cohort_id": cohort_id,
        "cohort_changes": list(items),
    }
    return {**body, **over}


def name(**over: Any) -> dict[str, Any]:
    body = {
        "partner_api_key": KEY,
        "client_secret": SECRET,
        "cohort_id": "c1",
        "name": "Power users",
        "created_at": "2021-01-21T19:20:30+05:00",
    }
    return {**body, **over}


def members(braze: BrazeModel, cohort_id: str = "c1") -> set[str | None]:
    workspace = braze.workspaces[SECRET]
    return {
        u.external_id or next(iter(sorted(u.device_ids)), None)
        for u in workspace.members_of(cohort_id)
    }


def test_name_call_sets_the_display_name(braze: BrazeModel) -> None:
    reply = braze.name_cohort(name())
    assert (reply.status, reply.body) == (200, {"message": "success"})
    assert braze.workspaces[SECRET].cohorts["c1"].display_name == "[Amplitude] Power users: c1"
    assert display_name("TEST_COHORT", "abcd1234") == "[Amplitude] TEST_COHORT: abcd1234"


def test_existing_users_are_added_by_external_id_device_and_alias(braze: BrazeModel) -> None:
    alias = {"alias_label": "amplitude_id", "alias_name": "alias-1"}
    reply = braze.change_users(
        changes({"user_ids": ["user-1"], "device_ids": ["anon-device-1"], "aliases": [alias]})
    )
    assert reply.status == 200
    assert len(braze.workspaces[SECRET].cohorts["c1"].members) == 3


def test_unknown_users_are_never_created(braze: BrazeModel) -> None:
    braze.change_users(changes({"user_ids": ["nobody-here"], "device_ids": ["unknown-dev"]}))
    workspace = braze.workspaces[SECRET]
    assert workspace.cohorts["c1"].members == set()
    assert len(workspace.users) == 4
    log = braze.requests()[-1]
    assert log["ignored_count"] == 2
    assert "never creates users" in log["ignored"][0]["reason"]


def test_device_id_of_an_identified_user_changes_nothing(braze: BrazeModel) -> None:
    braze.change_users(changes({"device_ids": ["dev-of-user-1"]}))
    assert members(braze) == set()
    braze.change_users(changes({"user_ids": ["user-1"]}))
    braze.change_users(changes({"device_ids": ["dev-of-user-1"], "should_remove": True}))
    assert members(braze) == {"user-1"}
    assert "identified user" in braze.requests()[-1]["ignored"][0]["reason"]


def test_changes_apply_in_order_adds_idempotent_removes_of_non_members_no_op(
    braze: BrazeModel,
) -> None:
    braze.change_users(
        changes(
            {"user_ids": ["user-1", "user-2"]},
            {"user_ids": ["user-1"], "should_remove": True},
            {"user_ids": ["user-2"]},
            {"device_ids": ["anon-device-1"], "should_remove": True},
        )
    )
    assert members(braze) == {"user-2"}
    log = braze.requests()[-1]
    assert (log["added"], log["removed"], log["unchanged"]) == (2, 1, 2)


def test_every_id_of_an_accepted_request_is_a_data_point(braze: BrazeModel) -> None:
    braze.change_users(changes({"user_ids": ["user-1", "nobody-here"], "device_ids": ["x-dev"]}))
    braze.change_users(changes({"user_ids": ["user-1"]}, partner_api_key="wrong"))
    assert braze.workspaces[SECRET].data_points == 3


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
    "over",
    [
        {"partner_api_key": "not-the-key"},
        {"partner_api_key": None},
        {"client_secret": "not-a-secret"},
        {"client_secret": 7},
    ],
)
def test_bad_partner_key_or_secret_is_401(braze: BrazeModel, over: dict[str, Any]) -> None:
    for reply in (braze.name_cohort(name(**over)), braze.change_users(changes({}, **over))):
        assert reply.status == 401
        assert reply.body["message"] in ("Invalid Partner API key", "Invalid client secret")
    assert braze.workspaces[SECRET].cohorts == {}


def test_partner_not_enabled_is_401_and_locked_is_423(braze: BrazeModel) -> None:
    braze.workspaces[SECRET].enabled = False
    reply = braze.name_cohort(name())
    assert reply.status == 401
    assert reply.body["message"] == f"Partner not enabled for client with client secret: {SECRET}"
    braze.workspaces[SECRET].enabled = True
    braze.workspaces[SECRET].locked = True
    assert braze.change_users(changes({"user_ids": ["user-1"]})).status == 423
    assert members(braze) == set()


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


ISO = [
    "2021-01-21T19:20:30+05:00",
    "2021-01-21T19:20:30Z",
    "2021-01-21T19:20:30.1",
    "2021-01-21 19:20",
]


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


def test_workspaces_are_isolated_by_client_secret(clock: ManualClock) -> None:
    braze = BrazeModel(clock, client_secrets=["secret-a", "secret-b"])
    for secret in ("secret-a", "secret-b"):
        braze.workspaces[secret].users.add(external_id="user-1")
    braze.change_users(changes({"user_ids": ["user-1"]}, client_secret="secret-a"))
    assert len(braze.member_ids("secret-a", "c1")) == 1
    assert braze.member_ids("secret-b", "c1") == set()


def test_populate_is_deterministic_and_makes_existing_users(clock: ManualClock) -> None:
    a, b = BrazeModel(clock), BrazeModel(clock)
    made_a = populate(a.workspaces[SECRET].users, make_rng(3), identified=5, anonymous=3)
    made_b = populate(b.workspaces[SECRET].users, make_rng(3), identified=5, anonymous=3)
    assert made_a == made_b
    assert len(a.workspaces[SECRET].users) == 8
    reply = a.change_users(
        changes({"user_ids": made_a["external_ids"], "device_ids": made_a["anonymous_device_ids"]})
    )
    assert reply.status == 200
    assert len(a.member_ids(SECRET, "c1")) == 8


def test_request_log_records_time_status_and_reset_forgets(
    braze: BrazeModel, clock: ManualClock
) -> None:
    clock.advance(5)
    braze.change_users(changes({"user_ids": ["user-1"]}))
    entry = braze.requests(cohort_id="c1")[0]
    assert entry["time"] == int(clock.now() * 1000)
    assert (entry["status"], entry["ids"], entry["added"]) == (200, 1, 1)
    braze.reset()
    assert braze.requests() == []
    assert braze.member_ids(SECRET, "c1") == set()
    assert len(braze.workspaces[SECRET].users) == 4
