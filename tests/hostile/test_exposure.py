"""Safe defaults when exposed: loopback unless ``--host`` says otherwise, a token (or explicit
consent) before the admin API is served on another address, and per-key isolation."""

from __future__ import annotations

import json
import uuid

import requests

from cli.main import main


def _key() -> str:
    return f"iso-{uuid.uuid4().hex}"


def test_serve_binds_the_loopback_address_unless_told_otherwise(serve):
    assert serve().startswith("http://127.0.0.1:")


def test_a_non_loopback_host_without_a_token_refuses_to_start(capsys):
    assert main(["serve", "--host", "0.0.0.0", "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("currents-sim: --host 0.0.0.0 is not a loopback address")
    assert "--admin-token" in err and "--insecure-admin" in err and err.count("\n") == 1


def test_an_empty_admin_token_is_refused(capsys):
    assert main(["serve", "--port", "0", "--admin-token", " "]) == 2
    assert "--admin-token must not be empty" in capsys.readouterr().err


def test_with_an_admin_token_the_admin_api_needs_the_bearer_and_ingestion_does_not(serve):
    url = serve("--admin-token", "s3cret-token")
    bare = requests.get(f"{url}/_mock/keys", timeout=10)
    wrong = requests.get(f"{url}/_mock/keys", headers={"Authorization": "Bearer nope"}, timeout=10)
    right = requests.get(
        f"{url}/_mock/keys", headers={"Authorization": "Bearer s3cret-token"}, timeout=10
    )
    event = {"event_type": "e", "device_id": "device-0001"}
    ingested = requests.post(
        f"{url}/2/httpapi", json={"api_key": _key(), "events": [event]}, timeout=10
    )
    assert (bare.status_code, wrong.status_code, right.status_code) == (401, 401, 200)
    assert bare.json()["code"] == 401 and bare.headers["WWW-Authenticate"].startswith("Bearer")
    assert ingested.json()["code"] == 200


def test_one_keys_data_is_never_visible_through_another_keys_calls(served):
    a, b = _key(), _key()
    event = {"event_type": "Secret", "user_id": "user-aaaa", "insert_id": "same-insert-id"}
    identify = {"user_id": "user-aaaa", "user_properties": {"$set": {"plan": "gold"}}}
    requests.post(f"{served}/2/httpapi", json={"api_key": a, "events": [event]}, timeout=10)
    form = {"api_key": a, "identification": json.dumps(identify)}
    requests.post(f"{served}/identify", data=form, timeout=10)
    # B sends the same insert_id: not a duplicate of A's (dedupe is per key)
    b_upload = requests.post(
        f"{served}/2/httpapi", json={"api_key": b, "events": [{**event, "user_id": "user-b"}]},
        timeout=10,
    ).json()  # fmt: skip
    admin = f"{served}/_mock"
    b_events = requests.get(f"{admin}/events", params={"api_key": b, "outcome": "all"}, timeout=10)
    b_log = requests.get(f"{admin}/requests", params={"api_key": b}, timeout=10).json()
    b_props = requests.get(
        f"{admin}/properties", params={"api_key": b, "user_id": "user-aaaa"}, timeout=10
    )
    b_wait = requests.post(
        f"{admin}/wait", json={"api_key": b, "event_type": "Secret", "count": 2, "timeout_s": 0},
        timeout=10,
    ).json()  # fmt: skip
    b_profile = requests.get(
        f"{served}/v1/userprofile", params={"user_id": "user-aaaa"}, auth=(b, "any"), timeout=10
    )
    a_props = requests.get(
        f"{admin}/properties", params={"api_key": a, "user_id": "user-aaaa"}, timeout=10
    )
    assert a_props.json()["properties"] == {"plan": "gold"}  # A's data exists...
    assert b_upload["events_ingested"] == 1  # ...and none of it reaches B
    assert [e["user_id"] for e in b_events.json()["events"]] == ["user-b"]
    assert {r["api_key"] for r in b_log["requests"]} == {b} and b_log["total"] == 1
    assert b_props.status_code == 404
    assert b_wait["matched"] == 1
    assert b_profile.status_code == 400 and "user-aaaa" not in b_profile.text
