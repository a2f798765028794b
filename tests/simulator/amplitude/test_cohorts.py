"""Amplitude cohorts in the model: upload, membership, rules on the clock, downloads, profiles."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from simulator.amplitude import AmplitudeModel
from simulator.amplitude.cohort_api import CohortApi
from simulator.amplitude.profiles import user_profile
from simulator.clock import ManualClock
from tests.simulator.amplitude.conftest import make_event, upload

KEY = "key-0001"
DAY = 86_400


@pytest.fixture
def api(model: AmplitudeModel) -> CohortApi:
    return CohortApi(model, {KEY: "secret-0001"})


def seen(model: AmplitudeModel, *user_ids: str, event_type: str = "Played", at_ms: int) -> None:
    events = [
        make_event(
            hash((u, event_type, at_ms)) % 10**6,
            user_id=u,
            device_id=f"dev-{u}",
            event_type=event_type,
            time=at_ms,
        )
        for u in user_ids
    ]
    assert upload(model, events).status == 200


def identify_user_a(model: AmplitudeModel, **properties: Any) -> Any:
    """``$identify`` of user ``user-a`` on device ``dev-a``, setting ``properties``."""
    ident = make_event(
        1,
        event_type="$identify",
        user_id="user-a",
        device_id="dev-a",
        user_properties={"$set": properties},
    )
    return upload(model, [ident])


def upload_body(ids: list[Any], **over: Any) -> dict[str, Any]:
    body = {
        "name": "Buyers",
        "app_id": 1,
        "id_type": "BY_USER_ID",
        "ids": ids,
        "owner": "qa@example.com",
        "published": True,
    }
    return {**body, **over}


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


def _basic(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


def test_user_profile_returns_identify_properties_and_cohort_ids(
    model: AmplitudeModel, api: CohortApi, clock: ManualClock
) -> None:
    identify_user_a(model, plan="pro", age=41)
    seen(model, "user-b", at_ms=int(clock.now() * 1000))
    in_it = api.upload(KEY, upload_body(["user-a"])).body["cohort_id"]
    api.upload(KEY, upload_body(["user-b"]))
    assert api.track_cohort(KEY, in_it, True).status == 200
    params = {"user_id": "user-a", "get_amp_props": "true", "get_cohort_ids": "true"}
    for auth in ("Api-Key secret-0001", _basic(KEY, "secret-0001")):
        result = user_profile(api, auth, params)
        assert result.status == 200
        data = result.body["userData"]
        # identify only: no event, so no first/last use ([IDENT]); the HTTP API's library
        assert data["amp_props"] == {"library": "http/2.0", "first_used": None,
                                     "last_used": None, "plan": "pro", "age": 41}  # fmt: skip
        assert data["cohort_ids"] == [in_it]
        assert (data["user_id"], data["device_id"], data["recommendations"]) == (
            "user-a",
            "dev-a",
            None,
        )
    plain = user_profile(api, "Api-Key secret-0001", {"user_id": "user-a"}).body["userData"]
    assert (plain["amp_props"], plain["cohort_ids"]) == (None, None)


@pytest.mark.parametrize(
    ("auth", "status", "text"),
    [
        (None, 401, "Missing Api-Key in Authorization header"),
        ("Bearer x", 401, "Missing Api-Key in Authorization header"),
        ("Api-Key wrong-secret", 401, "Invalid Api-Key"),
        (_basic(KEY, "wrong-secret"), 401, "Invalid Api-Key"),
    ],
)
def test_user_profile_auth_errors(api: CohortApi, auth: str | None, status: int, text: str) -> None:
    result = user_profile(api, auth, {"user_id": "user-a"})
    assert (result.status, result.text) == (status, text)


def test_user_profile_unknown_or_missing_id(api: CohortApi) -> None:
    unknown = user_profile(api, "Api-Key secret-0001", {"user_id": "nobody"})
    assert unknown.body == {"error": "User id and device id not seen before"}
    assert user_profile(api, "Api-Key secret-0001", {}).status == 400


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
