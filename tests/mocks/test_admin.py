"""The /_mock control plane: journal queries, reset, clock, keys, faults, stats, wait."""

from __future__ import annotations

import json
import re
import threading
from importlib import resources

import orjson
import pytest

from mocks.app import create_app
from simulator.clock import ManualClock
from tests.conftest import T0
from tests.mocks.conftest import event

KEY = "key-0001"


def _send(client, events, key=KEY, path="/2/httpapi"):
    return client.post(path, data=orjson.dumps({"api_key": key, "events": events}))


def test_health_and_openapi(client):
    assert client.get("/_mock/health").json["status"] == "ok"
    doc = client.get("/_mock/openapi.json").json
    served = {p for p in doc["paths"] if "/_mock" in p}
    routes = {str(r) for r in client.application.url_map.iter_rules() if "/_mock" in str(r)}
    assert {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r) for r in routes} == served


def test_events_default_to_ingested_and_filter_and_page(client):
    _send(client, [event(i, user_id=f"user-{i % 2:04d}") for i in range(5)])
    _send(client, [event(9, time="bad")])
    page = client.get("/_mock/events", query_string={"api_key": KEY}).json
    assert page["total"] == 5 and page["next_cursor"] is None
    assert {e["outcome"] for e in page["events"]} == {"ingested"}
    assert page["events"][0]["received_at"] == 1_700_000_000_000
    assert page["events"][0]["request_id"] == 1
    invalid = client.get("/_mock/events?outcome=invalid").json
    assert invalid["total"] == 1 and invalid["events"][0]["reason"] == "time is not an integer"
    assert client.get("/_mock/events?outcome=all").json["total"] == 6
    first = client.get("/_mock/events?user_id=user-0001&limit=1").json
    second = client.get(f"/_mock/events?user_id=user-0001&limit=1&cursor={first['next_cursor']}")
    assert [e["insert_id"] for e in first["events"] + second.json["events"]] == [
        "ins-000001",
        "ins-000003",
    ]
    assert client.get("/_mock/events?insert_id=ins-000004").json["total"] == 1
    assert client.get("/_mock/events?outcome=eaten").status_code == 400
    assert client.get("/_mock/events?limit=0").status_code == 400


def test_request_log_is_paged_and_filtered_by_key(client):
    _send(client, [event(0)])
    _send(client, [event(1)], key="key-0002")
    log = client.get("/_mock/requests?api_key=key-0002").json
    assert log["total"] == 1
    entry = log["requests"][0]
    assert (entry["endpoint"], entry["status"], entry["event_count"]) == ("httpapi", 200, 1)
    assert entry["body"]["code"] == 200


def test_reset_all_or_one_key(client):
    _send(client, [event(0)])
    _send(client, [event(0)], key="key-0002")
    client.post("/_mock/reset", json={"api_key": KEY})
    assert client.get("/_mock/events?api_key=key-0002").json["total"] == 1
    assert client.get(f"/_mock/events?api_key={KEY}").json["total"] == 0
    client.post("/_mock/reset")
    assert client.get("/_mock/events").json["total"] == 0


def test_clock_read_set_advance_scale_drives_the_throttle_window(client):
    assert client.get("/_mock/clock").json == {"now_ms": 1_700_000_000_000, "scale": 1.0}
    _send(client, [event(i) for i in range(900)])
    assert _send(client, [event(1000)]).status_code == 429
    assert client.post("/_mock/clock", json={"advance_s": 30}).json["now_ms"] == 1_700_000_030_000
    assert _send(client, [event(1000)]).status_code == 200
    assert client.post("/_mock/clock", json={"set": 1_800_000_000_000}).json["now_ms"] == (
        1_800_000_000_000
    )
    assert client.post("/_mock/clock", json={"scale": 0}).json["scale"] == 0
    assert client.post("/_mock/clock", json={"advance_s": -1}).status_code == 400
    assert client.post("/_mock/clock", json={}).status_code == 400
    assert client.post("/_mock/clock", data="[1]").status_code == 400


def test_keys_add_expire_revoke(client):
    started = create_app({"API_KEYS": ["only-this-key"]}).test_client()
    assert _send(started, [event(0)], key="other-key").json == {
        "code": 400,
        "error": "Invalid API key: other-key",
    }
    assert started.post("/_mock/keys", json={"key": "other-key"}).status_code == 201
    assert _send(started, [event(0)], key="other-key").status_code == 200
    started.delete("/_mock/keys/other-key")
    assert _send(started, [event(1)], key="other-key").status_code == 400
    expires = 1_700_000_060_000
    client.post("/_mock/keys", json={"key": "soon-gone", "expires_at": expires})
    assert _send(client, [event(0)], key="soon-gone").status_code == 200
    client.post("/_mock/clock", json={"advance_s": 60})
    assert _send(client, [event(1)], key="soon-gone").status_code == 400
    listed = client.get("/_mock/keys").json["keys"]
    assert listed == [{"key": "soon-gone", "expires_at": expires, "restores_at": None}]
    assert client.post("/_mock/keys", json={"key": ""}).status_code == 400


def test_faults_scripted_then_cleared(client):
    spec = {"faults": [{"status": 503, "count": 1}, {"status": 200, "body": "no_code"}]}
    assert client.post("/_mock/faults", json=spec).status_code == 201
    assert _send(client, [event(0)]).json == {"code": 503, "error": "Service Unavailable"}
    no_code = _send(client, [event(0)])
    assert no_code.status_code == 200 and "code" not in no_code.json
    assert len(client.get("/_mock/faults").json["faults"]) == 1
    client.delete("/_mock/faults")
    assert _send(client, [event(0)]).json["code"] == 200
    assert client.post("/_mock/faults", json={"status": 5}).status_code == 400
    assert client.post("/_mock/faults", json={"colour": "red"}).status_code == 400


def test_stats_counts_outcomes_and_throttled_ids(client):
    _send(client, [event(i) for i in range(901)])
    _send(client, [event(0)], key="key-0002")
    stats = client.get("/_mock/stats").json
    assert stats["outcomes"]["throttled"] == 901
    assert stats["keys"]["key-0002"]["ingested"] == 1
    assert stats["throttled"] == {KEY: {"devices": ["device-0001"], "users": []}}


def test_wait_returns_when_enough_events_arrive(client):
    app = client.application
    sender = threading.Timer(0.2, lambda: _send(app.test_client(), [event(0), event(1)]))
    sender.start()
    waited = client.post("/_mock/wait", json={"count": 2, "api_key": KEY, "timeout_s": 10})
    sender.join()
    assert waited.status_code == 200 and waited.json == {"ok": True, "matched": 2, "count": 2}


def test_wait_times_out_with_408(client):
    waited = client.post("/_mock/wait", json={"count": 1, "timeout_s": 0.1})
    assert waited.status_code == 408 and waited.json["ok"] is False


@pytest.mark.parametrize("path", ["/_mock/reset", "/_mock/wait", "/_mock/keys"])
def test_admin_rejects_non_object_bodies(client, path):
    assert client.post(path, data="[]", content_type="application/json").status_code == 400


def test_openapi_file_is_packaged_json():
    doc = json.loads(resources.files("mocks").joinpath("openapi.json").read_text())
    assert doc["openapi"].startswith("3.")


def test_properties_set_by_identify(client):
    ident = {"event_type": "$identify", "user_id": "user-0001", "insert_id": "x1",
             "user_properties": {"$set": {"plan": "pro"}}}  # fmt: skip
    group = {"event_type": "$groupidentify", "groups": {"org": "acme"}, "insert_id": "x2",
             "group_properties": {"$set": {"size": 3}}}  # fmt: skip
    _send(client, [ident, group])
    found = client.get(f"/_mock/properties?api_key={KEY}&user_id=user-0001")
    assert found.json == {"properties": {"plan": "pro"}}
    group_found = client.get(f"/_mock/properties?api_key={KEY}&group_type=org&group_value=acme")
    assert group_found.json == {"properties": {"size": 3}}
    assert client.get(f"/_mock/properties?api_key={KEY}&user_id=nobody").status_code == 404
    assert client.get("/_mock/properties?user_id=user-0001").status_code == 400
    assert client.get(f"/_mock/properties?api_key={KEY}").status_code == 400


def test_a_clock_that_cannot_be_set_is_read_only():
    client = create_app(clock=ManualClock(T0)).test_client()
    assert client.get("/_mock/clock").json == {"now_ms": int(T0 * 1000), "scale": None}
    refused = client.post("/_mock/clock", json={"advance_s": 1})
    assert refused.status_code == 400 and "cannot be changed" in refused.json["error"]
