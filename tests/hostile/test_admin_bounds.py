"""Every admin parameter is bounded at the edge (``mocks/bounds.py``), over a real socket: a
bad value is a 400 naming the field and its range, and nothing can poison state or hold a
server thread longer than the documented maximum."""

from __future__ import annotations

import threading
import uuid
from importlib import resources
from typing import Any

import orjson
import pytest
import requests

from mocks import bounds
from mocks.admin import wait_slots


def _key() -> str:
    return f"bounds-{uuid.uuid4().hex}"


def test_a_huge_expires_at_is_refused_and_the_key_list_still_renders(served):
    answer = requests.post(
        f"{served}/_mock/keys", json={"key": _key(), "expires_at": 5.853625954424833e77},
        timeout=10,
    )  # fmt: skip
    assert answer.status_code == 400
    assert answer.json()["error"] == (
        f"expires_at must be a number within [0, {bounds.MAX_TIME_MS}] ms since the epoch"
    )
    assert requests.get(f"{served}/_mock/keys", timeout=10).status_code == 200


def test_a_wait_longer_than_the_maximum_is_refused_at_once(served):
    answer = requests.post(f"{served}/_mock/wait", json={"timeout_s": 1.7e16}, timeout=10)
    assert answer.status_code == 400
    assert answer.json() == {
        "code": 400,
        "error": "timeout_s must be a number within [0, 300] seconds",
    }


def test_waits_beyond_the_cap_are_refused_and_ingestion_keeps_its_threads(serve):
    served, slots = serve("--threads", "8"), wait_slots(8)
    key = _key()
    body = {"api_key": key, "count": 1, "timeout_s": 3}
    answers: list[int] = []

    def wait() -> None:
        answers.append(requests.post(f"{served}/_mock/wait", json=body, timeout=10).status_code)

    waiters = [threading.Thread(target=wait) for _ in range(slots)]
    for thread in waiters:
        thread.start()
    _until_waiting(served, key)
    extra = requests.post(f"{served}/_mock/wait", json=body, timeout=10)
    other_key = {"api_key": _key(), "events": [{"event_type": "e", "device_id": "device-0001"}]}
    ingested = requests.post(f"{served}/2/httpapi", json=other_key, timeout=2)
    for thread in waiters:
        thread.join()
    assert extra.status_code == 429 and f"at most {slots}" in extra.json()["error"]
    assert ingested.json()["code"] == 200
    assert answers == [408] * slots


def _until_waiting(url: str, key: str) -> None:
    """Until the waits hold their threads: a probe wait is refused (429) once they all do."""
    probe = {"api_key": key, "count": 1, "timeout_s": 0}
    for _ in range(200):
        if requests.post(f"{url}/_mock/wait", json=probe, timeout=10).status_code == 429:
            return
        threading.Event().wait(0.01)
    raise AssertionError("the waits never started")


# (method, path, where, field, bad value): one row per bounded parameter of /_mock.
BAD = [
    ("GET", "events", "query", "limit", "0"),
    ("GET", "events", "query", "limit", "10001"),
    ("GET", "events", "query", "cursor", "-1"),
    ("GET", "events", "query", "cursor", "x"),
    ("GET", "events", "query", "user_id", "u" * 1025),
    ("GET", "requests", "query", "limit", "1e999"),
    ("GET", "properties", "query", "api_key", "k" * 1025),
    ("POST", "wait", "json", "count", -1),
    ("POST", "wait", "json", "count", 1.5),
    ("POST", "wait", "json", "timeout_s", -0.5),
    ("POST", "wait", "json", "timeout_s", True),
    ("POST", "wait", "json", "event_type", 7),
    ("POST", "clock", "json", "set", bounds.MAX_TIME_MS + 1),
    ("POST", "clock", "json", "advance_s", 1e300),
    ("POST", "clock", "json", "scale", -1),
    ("POST", "clock", "json", "scale", 1e9),
    ("POST", "keys", "json", "key", ""),
    ("POST", "keys", "json", "expires_at", -1),
    ("POST", "reset", "json", "api_key", ["a"]),
    ("POST", "faults", "json", "latency_ms", 10**12),
    ("POST", "faults", "json", "probability", 1.5),
    ("POST", "faults", "json", "status", 600),
    ("POST", "faults", "json", "count", 0),
]


@pytest.mark.parametrize(("method", "path", "where", "field", "value"), BAD)
def test_an_out_of_range_parameter_is_a_400_naming_the_field_and_its_range(
    served, method, path, where, field, value
):
    given: dict[str, Any] = {field: value}
    if path == "faults" and field != "status":
        given["status"] = 500
    if path == "keys" and field != "key":
        given["key"] = _key()
    kw: dict[str, Any] = {"params": given} if where == "query" else {"json": given}
    answer = requests.request(method, f"{served}/_mock/{path}", timeout=10, **kw)
    assert answer.status_code == 400, answer.text
    error = answer.json()["error"]
    assert error.startswith(f"{field} must be ") and " within [" in error


def test_a_nan_timeout_is_refused_not_waited_on(served):
    answer = requests.post(
        f"{served}/_mock/wait", data=b'{"timeout_s": NaN}',
        headers={"Content-Type": "application/json"}, timeout=10,
    )  # fmt: skip
    assert answer.status_code == 400 and "timeout_s" in answer.json()["error"]


# The routes of mocks/admin.py, whose parameters all go through mocks.bounds.
ADMIN_PATHS = {
    f"/_mock/{name}"
    for name in ("events", "requests", "reset", "clock", "keys", "faults", "properties", "wait")
}


def _documented_params() -> dict[tuple[str, str], dict[str, Any]]:
    """(path, name) -> schema of every /_mock parameter and JSON body property in the doc."""
    doc = orjson.loads(resources.files("mocks").joinpath("openapi.json").read_bytes())
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for path, item in doc["paths"].items():
        if path not in ADMIN_PATHS:
            continue
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for param in operation.get("parameters", []):
                found[(path, param["name"])] = param["schema"]
            body = operation.get("requestBody", {}).get("content", {})
            schema = body.get("application/json", {}).get("schema", {})
            for name, prop in _properties(doc, schema).items():
                found[(path, name)] = prop
    return found


def _properties(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Properties of an object schema, of its ``oneOf`` alternatives and array items."""
    if "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    found = {name: prop for name, prop in schema.get("properties", {}).items() if "type" in prop}
    items = [schema["items"]] if "items" in schema else []
    for alternative in [*schema.get("oneOf", []), *items]:
        found.update(_properties(doc, alternative))
    return found


def test_the_openapi_document_states_the_same_bounds_as_the_table():
    mismatched = []
    for (path, name), schema in _documented_params().items():
        table = bounds.FAULT_PARAMS if path == "/_mock/faults" else bounds.PARAMS
        bound = table.get(name)
        if bound is None or "enum" in schema:
            continue
        low, high = ("minLength", "maxLength") if bound.kind == "string" else ("minimum", "maximum")
        kind = schema.get("type")
        kind = kind[0] if isinstance(kind, list) and kind[1:] == ["null"] else kind
        if (kind, schema.get(low), schema.get(high)) != (
            bound.kind,
            bound.low,
            bound.high,
        ):
            mismatched.append((path, name, schema))
    assert mismatched == []


def test_a_null_field_counts_as_absent_not_as_a_server_error(served):
    answer = requests.post(f"{served}/_mock/clock", json={"set": None, "advance_s": 0}, timeout=10)
    empty = requests.post(f"{served}/_mock/faults", json={"faults": []}, timeout=10)
    assert answer.status_code == 200  # was a 500 (None / 1000.0), found by schemathesis
    assert empty.status_code == 400 and "at least one rule" in empty.json()["error"]
