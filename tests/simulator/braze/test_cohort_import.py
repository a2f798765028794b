"""The Braze cohort-import model: auth, identifier rules, deltas, data points (request checks:
test_validation.py)."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.braze import BrazeModel, display_name, populate
from simulator.clock import ManualClock
from simulator.rng import make_rng
from tests.simulator.braze.conftest import SECRET, changes, members, name


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
