"""The Braze mock over HTTP: partner endpoints, error bodies, and the ``/_mock/braze`` views."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from mocks.braze import init_app
from simulator.braze import DEFAULT_CLIENT_SECRET as SECRET
from simulator.braze import DEFAULT_PARTNER_KEY as KEY
from simulator.clock import ManualClock

AUTH = {"partner_api_key": KEY, "client_secret": SECRET}


@pytest.fixture
def braze_client(clock: ManualClock) -> FlaskClient:
    app = Flask("braze-test")
    init_app(app, clock)
    client = app.test_client()
    users = [{"external_id": "user-1", "device_ids": ["dev-1"]}, {"device_ids": ["anon-1"]}]
    assert client.post("/_mock/braze/users", json={"users": users}).status_code == 201
    return client


def post_changes(client: FlaskClient, *items: dict[str, Any], **over: Any) -> Any:
    body = {**AUTH, "cohort_id": "c1", "cohort_changes": list(items), **over}
    return client.post("/partners/amplitude/cohorts/users", json=body)


def test_name_then_members_are_visible_in_the_views(braze_client: FlaskClient) -> None:
    reply = braze_client.post(
        "/partners/amplitude/cohorts",
        json={**AUTH, "cohort_id": "c1", "name": "Buyers", "created_at": "2024-05-01T10:00:00Z"},
    )
    assert (reply.status_code, reply.json) == (200, {"message": "success"})
    assert post_changes(braze_client, {"user_ids": ["user-1"], "device_ids": ["anon-1"]}).json == {
        "message": "success"
    }
    cohorts = braze_client.get("/_mock/braze/cohorts").json["cohorts"]
    expected = {"cohort_id": "c1", "name": "Buyers", "display_name": "[Amplitude] Buyers: c1"}
    assert cohorts == [{**expected, "created_at": "2024-05-01T10:00:00Z", "size": 2}]
    members = braze_client.get("/_mock/braze/members?cohort_id=c1").json
    assert {m["external_id"] for m in members["members"]} == {"user-1", None}
    received = braze_client.get("/_mock/braze/requests?cohort_id=c1").json
    assert [r["endpoint"] for r in received["requests"]] == ["cohorts", "cohorts/users"]
    assert received["requests"][1]["data_points"] == 2


def test_over_1000_ids_bad_secret_and_bad_created_at_get_braze_errors(
    braze_client: FlaskClient,
) -> None:
    too_many = post_changes(braze_client, {"user_ids": [f"u-{i}" for i in range(1001)]})
    assert too_many.status_code == 400
    assert too_many.json["errors"][0].startswith("too many ids: 1001")
    bad_secret = post_changes(braze_client, {"user_ids": ["user-1"]}, client_secret="nope")
    assert (bad_secret.status_code, bad_secret.json) == (401, {"message": "Invalid client secret"})
    bad_time = braze_client.post(
        "/partners/amplitude/cohorts",
        json={**AUTH, "cohort_id": "c1", "name": "Buyers", "created_at": "May 1st"},
    )
    assert bad_time.status_code == 400
    assert bad_time.json["message"] == "created_at must be a valid time as an ISO-8601 string"


def test_unreadable_json_is_400_and_logged(braze_client: FlaskClient) -> None:
    reply = braze_client.post("/partners/amplitude/cohorts/users", data=b"{nope")
    assert reply.status_code == 400
    assert reply.json == {"message": "Request body must be valid JSON"}
    assert braze_client.get("/_mock/braze/requests").json["requests"][0]["status"] == 400


def test_workspace_flags_give_401_and_423(braze_client: FlaskClient) -> None:
    braze_client.post("/_mock/braze/workspaces", json={"client_secret": SECRET, "locked": True})
    assert post_changes(braze_client, {"user_ids": ["user-1"]}).status_code == 423
    braze_client.post(
        "/_mock/braze/workspaces", json={"client_secret": SECRET, "locked": False, "enabled": False}
    )
    reply = post_changes(braze_client, {"user_ids": ["user-1"]})
    assert reply.status_code == 401
    assert reply.json["message"].startswith("Partner not enabled for client with client secret")


def test_new_workspace_and_generated_users(braze_client: FlaskClient) -> None:
    made = braze_client.post(
        "/_mock/braze/workspaces", json={"client_secret": "second-secret"}
    ).json
    assert made["users"] == 0
    reply = braze_client.post(
        "/_mock/braze/users",
        json={
            "client_secret": "second-secret",
            "generate": {"identified": 3, "anonymous": 2, "seed": 1},
        },
    )
    generated = reply.json["generated"]
    assert len(generated["external_ids"]) == 3
    # several workspaces now: the views need the secret
    assert braze_client.get("/_mock/braze/users").status_code == 409
    listed = braze_client.get("/_mock/braze/users?client_secret=second-secret").json["users"]
    assert len(listed) == 5
    ok = post_changes(
        braze_client, {"user_ids": generated["external_ids"]}, client_secret="second-secret"
    )
    assert ok.status_code == 200
    assert post_changes(braze_client, {"user_ids": ["user-1"]}).status_code == 200


def test_deleting_a_user_removes_it_from_cohorts(braze_client: FlaskClient) -> None:
    post_changes(braze_client, {"user_ids": ["user-1"]})
    braze_id = braze_client.get("/_mock/braze/members?cohort_id=c1").json["members"][0]["braze_id"]
    assert braze_client.delete(f"/_mock/braze/users?braze_id={braze_id}").status_code == 200
    assert braze_client.get("/_mock/braze/members?cohort_id=c1").json["size"] == 0
    post_changes(braze_client, {"user_ids": ["user-1"]})
    assert braze_client.get("/_mock/braze/members?cohort_id=c1").json["size"] == 0


def test_admin_errors_are_400_and_a_missing_cohort_404(braze_client: FlaskClient) -> None:
    assert braze_client.post("/_mock/braze/users", json={"users": [{"external_id": 5}]}).json == {
        "code": 400,
        "error": "external_id must be a string",
    }
    assert braze_client.get("/_mock/braze/members?cohort_id=none").status_code == 404
    assert braze_client.post("/_mock/braze/reset", json={}).json == {"reset": "all"}


def test_create_app_serves_braze_on_the_amplitude_clock(client: FlaskClient) -> None:
    """One app, one port: the Braze paths live beside Amplitude's and share its mock clock."""
    client.post("/_mock/braze/users", json={"users": [{"external_id": "user-1"}]})
    client.post("/_mock/clock", json={"advance_s": 60})
    assert post_changes(client, {"user_ids": ["user-1"]}).status_code == 200
    entry = client.get("/_mock/braze/requests").json["requests"][0]
    assert entry["time"] == client.get("/_mock/clock").json["now_ms"]
    assert entry["time"] == 1_700_000_060_000
