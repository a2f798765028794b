"""CORS on the served mock (``mocks/cors.py``): a browser page on another origin can read every
answer, errors included, and its preflight is answered, on every ingestion path and prefix."""

from __future__ import annotations

import pytest
import requests

INGESTION = ["2/httpapi", "batch", "identify", "groupidentify", "some/prefix/2/httpapi",
             "some/prefix/batch", "p/identify", "p/groupidentify"]  # fmt: skip


@pytest.mark.parametrize("path", INGESTION)
def test_a_preflight_is_answered_with_the_methods_and_the_requested_headers(amplitude_mock, path):
    answer = requests.options(
        f"{amplitude_mock.url}/{path}",
        headers={
            "Origin": "http://127.0.0.1:9",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,content-encoding,x-custom",
        },
        timeout=10,
    )
    assert 200 <= answer.status_code < 300
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in answer.headers["Access-Control-Allow-Methods"]
    assert (
        answer.headers["Access-Control-Allow-Headers"] == "content-type,content-encoding,x-custom"
    )


@pytest.mark.parametrize("path", INGESTION)
def test_an_error_answer_carries_the_origin_header(amplitude_mock, path):
    answer = requests.post(f"{amplitude_mock.url}/{path}", data=b"not json", timeout=10)
    assert answer.status_code == 400
    assert answer.headers["Access-Control-Allow-Origin"] == "*"


def test_a_success_and_a_throttle_answer_carry_the_origin_header(amplitude_mock):
    body = {
        "api_key": amplitude_mock.api_key,
        "events": [{"event_type": "e", "device_id": "d-0001"}],
    }
    ok = requests.post(amplitude_mock.server_url, json=body, timeout=10)
    amplitude_mock.fault(429)
    throttled = requests.post(amplitude_mock.server_url, json=body, timeout=10)
    assert (ok.status_code, throttled.status_code) == (200, 429)
    assert ok.headers["Access-Control-Allow-Origin"] == "*"
    assert throttled.headers["Access-Control-Allow-Origin"] == "*"


def test_an_unknown_path_answer_carries_the_origin_header(amplitude_mock):
    answer = requests.get(f"{amplitude_mock.url}/no/such/path", timeout=10)
    assert answer.status_code == 400 and answer.headers["Access-Control-Allow-Origin"] == "*"
