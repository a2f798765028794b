"""The ingestion routes over HTTP: any prefix, gzip, bad bytes -> Amplitude-shaped errors."""

from __future__ import annotations

import gzip
import io

import orjson
import pytest

from tests.mocks.conftest import event

KEY = "key-0001"


def _body(n: int = 1) -> bytes:
    return orjson.dumps({"api_key": KEY, "events": [event(i) for i in range(n)]})


@pytest.mark.parametrize("path", ["/2/httpapi", "/anything/2/httpapi", "/a/b/c/batch", "/batch"])
def test_uploads_under_any_prefix(client, path):
    response = client.post(path, data=_body(2), content_type="application/json")
    assert response.status_code == 200
    assert response.json["code"] == 200 and response.json["events_ingested"] == 2
    assert response.json["payload_size_bytes"] == len(_body(2))


def test_gzip_body_is_inflated_and_raw_size_reported(client, model):
    raw = gzip.compress(_body(3))
    response = client.post("/2/httpapi", data=raw, headers={"Content-Encoding": "gzip"})
    assert response.json["events_ingested"] == 3
    assert response.json["payload_size_bytes"] == len(raw)
    assert model.count(api_key=KEY) == 3


def test_json_is_parsed_whatever_the_content_type(client):
    response = client.post("/2/httpapi", data=_body(), content_type="text/plain")
    assert response.status_code == 200


INVALID_JSON = {"code": 400, "error": "Invalid JSON request body"}


@pytest.mark.parametrize(
    ("data", "headers", "expected"),
    [
        (b"{not json", {}, INVALID_JSON),
        (gzip.compress(_body())[:-12], {"Content-Encoding": "gzip"}, INVALID_JSON),
        (b"garbage", {"Content-Encoding": "gzip"}, INVALID_JSON),
        (b"api_key=k&events=[]", {"Content-Type": "application/x-www-form-urlencoded"},
         INVALID_JSON),
        (b'{"api_key": "\xff\xfe", "events": []}', {}, INVALID_JSON),
        (b"[" * 100_000 + b"]" * 100_000, {}, INVALID_JSON),
        (b"", {}, {"code": 400, "error": "Missing request body"}),
        (orjson.dumps({"api_key": KEY, "events": "x"}), {}, {"code": 400,
                                                             "error": "Invalid event JSON"}),
        (orjson.dumps({"api_key": 5, "events": []}), {}, {
            "code": 400, "error": "Request missing required field", "missing_field": "api_key"}),
    ],
    ids=["not-json", "truncated-gzip", "not-gzip", "form-encoded", "non-utf8", "deep-nesting",
         "empty", "events-not-a-list", "api-key-not-a-string"],
)  # fmt: skip
def test_bad_bodies_get_amplitude_shaped_400s(client, data, headers, expected):
    response = client.post("/2/httpapi", data=data, headers=headers)
    assert response.status_code == 400
    assert response.json == expected
    assert response.mimetype == "application/json"


def test_events_of_wrong_types_list_their_indices(client):
    payload = {"api_key": KEY, "events": [event(0), 3, None, event(3, time="soon"), [1]]}
    response = client.post("/2/httpapi", data=orjson.dumps(payload))
    assert response.status_code == 400
    assert response.json["events_with_invalid_fields"] == {"event": [1, 2, 4], "time": [3]}


def test_deeply_nested_properties_are_invalid_not_a_crash(client):
    nested: dict = {}
    for _ in range(200):
        nested = {"x": nested}
    payload = {"api_key": KEY, "events": [event(0, event_properties=nested)]}
    response = client.post("/2/httpapi", data=orjson.dumps(payload))
    assert response.status_code == 400
    assert response.json["events_with_invalid_fields"] == {"event_properties": [0]}


class _Unreadable(io.RawIOBase):
    """A 50 MB body that fails the test if anything reads it."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer):  # pragma: no cover - must never run
        raise AssertionError("the body was read")


def test_50_mb_body_is_refused_from_content_length_without_reading(client, model):
    response = client.post(
        "/batch",
        environ_overrides={
            "wsgi.input": _Unreadable(),
            "CONTENT_LENGTH": str(50 * 1024 * 1024),
            "CONTENT_TYPE": "application/json",
        },
    )
    assert response.status_code == 413
    assert response.json == {"code": 413, "error": "Payload too large"}
    assert model.requests().items[-1]["status"] == 413


def test_gzip_bomb_is_413_not_inflated_past_the_cap(client):
    bomb = gzip.compress(b" " * (21 * 1024 * 1024))
    response = client.post("/2/httpapi", data=bomb, headers={"Content-Encoding": "gzip"})
    assert response.status_code == 413


def test_over_1_mb_on_httpapi_is_413_and_journaled(client, model):
    big = {"api_key": KEY, "events": [event(0, event_properties={"p": "x" * (1024 * 1024)})]}
    assert client.post("/2/httpapi", data=orjson.dumps(big)).status_code == 413
    assert model.count(api_key=KEY, outcome="payload_too_large") == 1
    assert client.post("/batch", data=orjson.dumps(big)).status_code == 200


def test_gzip_cap_applies_after_inflating(client):
    big = {"api_key": KEY, "events": [event(0, event_properties={"p": "x" * (1024 * 1024)})]}
    small = gzip.compress(orjson.dumps(big))
    assert len(small) < 100_000
    response = client.post("/2/httpapi", data=small, headers={"Content-Encoding": "gzip"})
    assert response.json == {"code": 413, "error": "Payload too large"}


def test_unknown_paths_and_methods_answer_json_with_code(client):
    assert client.get("/nope").json == {"code": 400, "error": "Invalid request path"}
    assert client.get("/_mock/nope").json == {"code": 404, "error": "Invalid request path"}
    assert client.get("/2/httpapi").json["code"] == 405


def test_unexpected_exceptions_are_json_500s(app, client, monkeypatch):
    def boom(*_a, **_k):
        raise RuntimeError("bug")

    monkeypatch.setattr(type(app.extensions["amplitude_model"]), "upload", boom)
    response = client.post("/2/httpapi", data=_body())
    assert response.status_code == 500
    assert response.json == {"code": 500, "error": "Internal Server Error"}


def test_form_identify_route(client, model):
    ident = orjson.dumps({"user_id": "user-0001", "user_properties": {"$set": {"a": 1}}})
    response = client.post("/identify", data={"api_key": KEY, "identification": ident})
    assert response.json["code"] == 200
    assert model.user_properties(KEY, user_id="user-0001") == {"a": 1}
    group = orjson.dumps({"group_type": "org", "group_value": "acme",
                          "group_properties": {"$set": {"n": 1}}})  # fmt: skip
    response = client.post("/x/groupidentify", data={"api_key": KEY, "identification": group})
    assert response.json["code"] == 200
    assert client.post("/identify", data={"api_key": KEY}).json["error"] == "missing_event"


def test_injected_fault_bodies_reach_the_wire(client, model):
    from simulator.amplitude import Fault

    model.add_fault(Fault(status=502, body="text", count=1))
    response = client.post("/2/httpapi", data=_body())
    assert response.status_code == 502 and response.mimetype == "text/html"
    model.add_fault(Fault(status=503, count=1))
    response = client.post("/2/httpapi", data=b"{bad json")
    assert response.json == {"code": 503, "error": "Service Unavailable"}
