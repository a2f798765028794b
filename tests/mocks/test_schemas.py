"""Every body the mock answers validates against its hand-written schema (schemas/amplitude/)."""

from __future__ import annotations

import gzip
from typing import Any

import orjson
import pytest

import schemas
from tests.mocks.conftest import event

KEY = "key-0001"


def schema_for(status: int, body: dict[str, Any]) -> str:
    if status == 200:
        return "amplitude/responses/success"
    if status == 413:
        return "amplitude/responses/payload_too_large"
    if status == 429:
        return "amplitude/responses/throttled"
    if status == 400 and body["error"].startswith("Invalid API key: "):
        return "amplitude/responses/invalid_api_key"
    if status == 400:
        return "amplitude/responses/invalid_request"
    return "amplitude/responses/error"


def _post(client, payload: Any, path: str = "/2/httpapi", **kw: Any):
    data = payload if isinstance(payload, bytes) else orjson.dumps(payload)
    return client.post(path, data=data, **kw)


def _responses(client, model):
    model.add_key("expired-key", expires_at=0)
    yield _post(client, {"api_key": KEY, "events": [event(0)]})
    yield _post(client, {"api_key": KEY, "events": [event(1, time="x"), event(2, device_id="ab")]})
    yield _post(client, {"api_key": KEY, "events": [event(3, device_id=None, event_type=None)]})
    yield _post(client, {"api_key": KEY, "events": [event(4, device_id="ab")]})
    yield _post(client, {"api_key": KEY})
    yield _post(client, {"events": []})
    yield _post(client, {"api_key": KEY, "events": 1})
    yield _post(client, {"api_key": KEY, "events": [event(0)], "options": {"min_id_length": -1}})
    yield _post(client, b"{")
    yield _post(client, b"")
    yield _post(client, {"api_key": "expired-key", "events": [event(0)]})
    yield _post(client, {"api_key": KEY, "events": [event(i) for i in range(2001)]})
    yield _post(client, {"api_key": KEY, "events": [event(10 + i) for i in range(950)]})
    yield _post(client, gzip.compress(b"x" * 2_000_000), headers={"Content-Encoding": "gzip"})
    yield client.post("/identify", data={"api_key": KEY})
    yield client.get("/nowhere")
    yield client.put("/batch")


def test_every_response_body_matches_its_schema(client, model):
    seen = set()
    for response in _responses(client, model):
        body = response.json
        assert body["code"] == response.status_code
        name = schema_for(response.status_code, body)
        assert schemas.validate(name, body) == [], (name, body)
        seen.add(name)
    assert seen == {n for n in schemas.names("amplitude/responses/")}


@pytest.mark.parametrize(
    ("events", "valid"),
    [
        ([event(0)], True),
        ([{"event_type": "$groupidentify", "groups": {"org": "a"}}], True),
        ([event(0, time="2024")], False),
        ([event(0, device_id="null")], False),
        ([event(0, event_type="")], False),
        ([{"event_type": "x"}], False),
    ],
)
def test_request_schema_agrees_with_the_mock(client, events, valid):
    payload = {"api_key": KEY, "events": events}
    assert schemas.is_valid("amplitude/httpapi_request", payload) is valid
    assert schemas.is_valid("amplitude/batch_request", payload) is valid
    assert (_post(client, payload).status_code == 200) is valid
