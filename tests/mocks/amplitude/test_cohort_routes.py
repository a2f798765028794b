"""Amplitude cohort and profile routes over HTTP (Flask test client)."""

from __future__ import annotations

import base64

import orjson
from flask.testing import FlaskClient

KEY, SECRET = "key-0001", "secret-0001"


def basic(key: str = KEY, secret: str = SECRET) -> dict[str, str]:
    token = base64.b64encode(f"{key}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def identify(client: FlaskClient, user_id: str, **props: object) -> None:
    event = {
        "event_type": "$identify",
        "user_id": user_id,
        "device_id": f"dev-{user_id}",
        "insert_id": f"ins-{user_id}",
        "user_properties": {"$set": props},
    }
    reply = client.post("/2/httpapi", data=orjson.dumps({"api_key": KEY, "events": [event]}))
    assert reply.status_code == 200


def test_download_flow_over_http(client: FlaskClient) -> None:
    client.post("/_mock/amplitude/secrets", json={"api_key": KEY, "secret_key": SECRET})
    identify(client, "user-a", plan="pro")
    made = client.post(
        "/_mock/amplitude/cohorts",
        json={
            "api_key": KEY,
            "name": "Pro",
            "rule": {"type": "user_property", "property": "plan", "value": "pro"},
        },
    )
    cohort_id = made.json["id"]
    listed = client.get("/api/3/cohorts", headers=basic()).json["cohorts"]
    assert [(c["id"], c["size"]) for c in listed] == [(cohort_id, 1)]
    requested = client.get(f"/api/5/cohorts/request/{cohort_id}", headers=basic())
    assert requested.status_code == 202
    rid = requested.json["request_id"]
    status = client.get(f"/api/5/cohorts/request-status/{rid}", headers=basic())
    assert (status.status_code, status.json["async_status"]) == (202, "JOB INPROGRESS")
    status = client.get(f"/api/5/cohorts/request-status/{rid}", headers=basic())
    assert (status.status_code, status.json["async_status"]) == (200, "JOB COMPLETED")
    file = client.get(f"/api/5/cohorts/request/{rid}/file", headers=basic())
    assert file.status_code == 200
    assert file.mimetype == "text/csv"
    header, row = file.get_data(as_text=True).splitlines()
    assert header == "amplitude_id,user_id,device_id"
    assert row.endswith(",user-a,dev-user-a")


def test_bad_basic_pair_is_403(client: FlaskClient) -> None:
    client.post("/_mock/amplitude/secrets", json={"api_key": KEY, "secret_key": SECRET})
    reply = client.get("/api/3/cohorts", headers=basic(secret="wrong"))
    assert reply.status_code == 403
    assert reply.json["error"]["message"] == "Invalid API/Secret Key combination"


def test_upload_membership_and_profile_over_http(client: FlaskClient) -> None:
    client.post("/_mock/amplitude/secrets", json={"api_key": KEY, "secret_key": SECRET})
    identify(client, "user-a", plan="pro")
    identify(client, "user-b", plan="free")
    body = {
        "name": "VIP",
        "app_id": 1,
        "id_type": "BY_USER_ID",
        "ids": ["user-a"],
        "owner": "qa@example.com",
        "published": True,
    }
    uploaded = client.post("/api/3/cohorts/upload", json=body, headers=basic())
    cohort_id = uploaded.json["cohort_id"]
    change = {
        "cohort_id": cohort_id,
        "memberships": [{"ids": ["user-b"], "id_type": "BY_NAME", "operation": "ADD"}],
    }
    assert client.post("/api/3/cohorts/membership", json=change, headers=basic()).status_code == 200
    track = {"api_key": KEY, "cohort_id": cohort_id}
    assert client.post("/_mock/amplitude/profile-cohorts", json=track).status_code == 200
    profile = client.get(
        "/v1/userprofile?user_id=user-b&get_amp_props=true&get_cohort_ids=true",
        headers={"Authorization": f"Api-Key {SECRET}"},
    )
    assert profile.status_code == 200
    assert profile.json["userData"]["amp_props"]["plan"] == "free"
    assert profile.json["userData"]["cohort_ids"] == [cohort_id]
    denied = client.get("/v1/userprofile?user_id=user-b", headers={"Authorization": "Api-Key x"})
    assert (denied.status_code, denied.get_data(as_text=True)) == (401, "Invalid Api-Key")


def test_profile_reflects_the_form_encoded_identify_api(client: FlaskClient) -> None:
    client.post("/_mock/amplitude/secrets", json={"api_key": KEY, "secret_key": SECRET})
    identification = orjson.dumps(
        {"user_id": "user-f", "user_properties": {"$set": {"tier": "gold"}, "$add": {"logins": 2}}}
    ).decode()
    reply = client.post("/identify", data={"api_key": KEY, "identification": identification})
    assert reply.status_code == 200
    made = client.post(
        "/_mock/amplitude/cohorts",
        json={
            "api_key": KEY,
            "name": "Gold",
            "rule": {"type": "user_property", "property": "tier", "value": "gold"},
        },
    )
    track = {"api_key": KEY, "cohort_id": made.json["id"]}
    assert client.post("/_mock/amplitude/profile-cohorts", json=track).status_code == 200
    profile = client.get(
        "/v1/userprofile",
        query_string={"user_id": "user-f", "get_amp_props": "true", "get_cohort_ids": "true"},
        headers=basic(),
    ).json["userData"]
    assert {k: profile["amp_props"][k] for k in ("tier", "logins")} == {"tier": "gold", "logins": 2}
    assert profile["cohort_ids"] == [made.json["id"]]
