"""Hypothesis: random bodies, headers and event lists never give a 5xx or a traceback.

Only injected faults may answer 5xx; here none are injected. Each answer must be JSON with an
integer ``code`` equal to the status (AMPLITUDE_API.md §12.2).
"""

from __future__ import annotations

import gzip
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mocks.app import create_app
from simulator.clock import ControllableClock, ManualClock
from tests.conftest import T0

PATHS = ["/2/httpapi", "/batch", "/p/2/httpapi", "/identify", "/groupidentify"]
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ints = st.integers(-(2**63), 2**63 - 1)
json_values = st.recursive(
    st.none() | st.booleans() | ints | st.floats(allow_nan=False,
    allow_infinity=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=12,
)  # fmt: skip
ids = st.one_of(st.none(), ints, st.sampled_from(["", "null", "abc", "user-00001"]),
                st.text(max_size=8))  # fmt: skip
events = st.fixed_dictionaries(
    {},
    optional={
        "event_type": st.one_of(st.text(max_size=6), json_values),
        "user_id": ids,
        "device_id": ids,
        "time": st.one_of(ints, st.text(max_size=4), st.floats(allow_nan=False)),
        "insert_id": st.one_of(st.text(max_size=6), ints),
        "event_properties": json_values,
        "user_properties": json_values,
        "groups": json_values,
        "group_properties": json_values,
        "price": json_values,
        "session_id": json_values,
    },
)
payloads = st.fixed_dictionaries(
    {},
    optional={
        "api_key": st.one_of(st.text(max_size=6), json_values),
        "events": st.one_of(st.lists(st.one_of(events, json_values), max_size=6), json_values),
        "options": st.one_of(json_values, st.fixed_dictionaries({"min_id_length": json_values})),
    },
)


@pytest.fixture(scope="module")
def client():
    return create_app(clock=ControllableClock(ManualClock(T0))).test_client()


def _check(response: Any) -> None:
    assert response.status_code < 500, response.data[:300]
    assert b"Traceback" not in response.data
    body = orjson.loads(response.data)
    assert body["code"] == response.status_code


@FUZZ
@given(body=st.binary(max_size=300), path=st.sampled_from(PATHS),
       content_type=st.sampled_from(["application/json", "text/plain", "application/x-www-form-"
                                     "urlencoded", "multipart/form-data", "", "garbage/x"]),
       encoding=st.sampled_from([None, "gzip", "deflate", "br", "gzip, gzip"]))  # fmt: skip
def test_random_bytes_and_headers(client, body, path, content_type, encoding):
    headers = {"Content-Type": content_type}
    if encoding:
        headers["Content-Encoding"] = encoding
    _check(client.post(path, data=body, headers=headers))


@FUZZ
@given(payload=st.one_of(payloads, json_values), path=st.sampled_from(PATHS[:3]),
       gzipped=st.booleans())  # fmt: skip
def test_random_json_payloads_and_event_lists(client, payload, path, gzipped):
    data = orjson.dumps(payload)
    headers = {"Content-Encoding": "gzip"} if gzipped else {}
    _check(client.post(path, data=gzip.compress(data) if gzipped else data, headers=headers))


form_values = st.one_of(st.text(max_size=20), json_values.map(lambda v: orjson.dumps(v).decode()))
form_names = st.sampled_from(["api_key", "identification", "options", "x"])


@FUZZ
@given(fields=st.dictionaries(form_names, form_values))
def test_random_identify_forms(client, fields):
    _check(client.post("/identify", data=fields))
    _check(client.post("/groupidentify", data=fields))
    _check(client.get("/identify", query_string=fields))
