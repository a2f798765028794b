"""Amplitude cohorts in the model: upload, membership, rules on the clock, downloads."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.amplitude import AmplitudeModel
from simulator.amplitude.cohort_api import CohortApi
from simulator.clock import ManualClock
from tests.simulator.amplitude.conftest import (
    KEY,
    identify_user_a,
    make_event,
    seen,
    upload,
    upload_body,
)

DAY = 86_400


def user_ids(api: CohortApi, cohort_id: str) -> set[str | None]:
    return {p.user_id for p in api.members(KEY, cohort_id) or []}


def test_upload_keeps_known_users_and_reports_invalid_ones(
    model: AmplitudeModel, api: CohortApi, clock: ManualClock
) -> None:
    seen(model, "user-a", "user-b", at_ms=int(clock.now() * 1000))
    result = api.upload(KEY, upload_body(["user-a", "user-b", "never-seen"]))
    assert result.status == 200
    meta = result.body["metadata"]
    assert (meta["matched"], meta["totals"], meta["invalid_ids_sample"]) == (2, 3, ["never-seen"])
    assert user_ids(api, result.body["cohort_id"]) == {"user-a", "user-b"}
    strict = api.upload(KEY, upload_body(["never-seen"], skip_invalid_ids=False))
    assert strict.status == 400
    assert strict.body["error"]["code"] == 400


def test_membership_adds_and_removes_by_name_and_by_amplitude_id(
    model: AmplitudeModel, api: CohortApi, clock: ManualClock
) -> None:
    seen(model, "user-a", "user-b", "user-c", at_ms=int(clock.now() * 1000))
    cohort_id = api.upload(KEY, upload_body(["user-a"])).body["cohort_id"]
    amp_id_c = api.project(KEY).activity.find(user_id="user-c").amplitude_id  # type: ignore[union-attr]
    body = {
        "cohort_id": cohort_id,
        "memberships": [
            {"ids": ["user-b", "ghost-user"], "id_type": "BY_NAME", "operation": "ADD"},
            {"ids": [str(amp_id_c)], "id_type": "BY_ID", "operation": "ADD"},
            {"ids": ["user-a"], "id_type": "BY_NAME", "operation": "REMOVE"},
        ],
    }
    result = api.membership(KEY, body)
    assert result.status == 200
    assert result.body["memberships_result"][0]["skipped_ids"] == ["ghost-user"]
    assert user_ids(api, cohort_id) == {"user-b", "user-c"}


def test_did_event_rule_is_recomputed_on_the_clock(
    model: AmplitudeModel, api: CohortApi, clock: ManualClock
) -> None:
    now_ms = int(clock.now() * 1000)
    seen(model, "user-a", event_type="Purchase", at_ms=now_ms)
    seen(model, "user-b", event_type="Purchase", at_ms=now_ms - 5 * DAY * 1000)
    seen(model, "user-c", event_type="Played", at_ms=now_ms)
    rule = {"type": "did_event", "event_type": "Purchase", "days": 7}
    cohort_id = api.define(KEY, "Recent buyers", rule).body["id"]
    assert user_ids(api, cohort_id) == {"user-a", "user-b"}
    clock.advance(3 * DAY)  # user-b's purchase is now 8 days old
    assert user_ids(api, cohort_id) == {"user-a"}
    clock.advance(5 * DAY)
    assert user_ids(api, cohort_id) == set()


def test_user_property_rule_follows_identify(
    model: AmplitudeModel, api: CohortApi, clock: ManualClock
) -> None:
    assert identify_user_a(model, plan="pro").status == 200
    cohort_id = api.define(
        KEY, "Pro", {"type": "user_property", "property": "plan", "value": "pro"}
    ).body["id"]
    assert user_ids(api, cohort_id) == {"user-a"}
    downgrade = make_event(
        2, event_type="$identify", user_id="user-a", user_properties={"$set": {"plan": "free"}}
    )
    upload(model, [downgrade])
    assert user_ids(api, cohort_id) == set()


@pytest.mark.parametrize(
    "rule", [None, {"type": "x"}, {"type": "did_event", "event_type": "E", "days": 0}]
)
def test_bad_rules_are_400(api: CohortApi, rule: Any) -> None:
    assert api.define(KEY, "Bad", rule).status == 400


def test_download_flow_202_then_200_then_csv_with_header(
    model: AmplitudeModel, api: CohortApi, clock: ManualClock
) -> None:
    identify_user_a(model, plan="pro")
    cohort_id = api.upload(KEY, upload_body(["user-a"])).body["cohort_id"]
    requested = api.request_download(KEY, cohort_id, ["plan"])
    assert requested.status == 202
    rid = requested.body["request_id"]
    assert requested.body["cohort_id"] == cohort_id
    assert api.download_file(KEY, rid).status == 202
    first, second = api.request_status(KEY, rid), api.request_status(KEY, rid)
    assert (first.status, first.body["async_status"]) == (202, "JOB INPROGRESS")
    assert (second.status, second.body["async_status"]) == (200, "JOB COMPLETED")
    file = api.download_file(KEY, rid)
    assert (file.status, file.mimetype) == (200, "text/csv")
    amp_id = api.project(KEY).activity.find(user_id="user-a").amplitude_id  # type: ignore[union-attr]
    assert file.text == f"amplitude_id,user_id,device_id,plan\r\n{amp_id},user-a,dev-a,pro\r\n"
    assert api.request_download(KEY, "nope", []).status == 404


def test_list_cohorts_has_the_documented_fields(model: AmplitudeModel, api: CohortApi) -> None:
    api.define(KEY, "Any", {"type": "did_event", "event_type": "E", "days": 1})
    listed = api.list_cohorts(KEY).body["cohorts"]
    assert len(listed) == 1
    for name in (
        "appId",
        "archived",
        "definition",
        "id",
        "name",
        "size",
        "lastComputed",
        "createdAt",
        "owners",
        "published",
        "syncMetadata",
    ):
        assert name in listed[0]


def test_basic_pair_rules(model: AmplitudeModel, api: CohortApi) -> None:
    assert api.check_pair(KEY, "secret-0001")
    assert not api.check_pair(KEY, "other")
    assert api.check_pair("key-without-secret", "anything")  # sandbox, no secret registered
    model.revoke_key(KEY)
    assert not api.check_pair(KEY, "secret-0001")


def test_reset_forgets_cohorts(model: AmplitudeModel, api: CohortApi) -> None:
    api.define(KEY, "Any", {"type": "did_event", "event_type": "E", "days": 1})
    model.reset(KEY)
    assert api.list_cohorts(KEY).body == {"cohorts": []}
