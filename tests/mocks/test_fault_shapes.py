"""Injected faults answer Amplitude's own bodies by default, over a real socket (the served mock).

The SDKs act on the body (``simulator.amplitude.faults`` says which keys they read), so these
are the bodies a client sees: a 429 names the request's ids and events, a 413 says
``Payload too large``, a 400 is one of Amplitude's shapes, and ``body: "bare"`` keeps the
generic ``{"code", "error"}``.
"""

from __future__ import annotations

import pytest
import requests


def _events(n: int = 3) -> list[dict[str, str]]:
    return [
        {"event_type": "Played", "device_id": f"device-{i:04d}", "user_id": f"user-{i:04d}"}
        for i in range(n)
    ]


def _post(mock, path: str = "2/httpapi", n: int = 3) -> requests.Response:
    body = {"api_key": mock.api_key, "events": _events(n)}
    return requests.post(f"{mock.url}/{path}", json=body, timeout=10)


def test_a_429_fault_answers_the_throttle_body_for_the_requests_events(amplitude_mock):
    amplitude_mock.fault(429)
    answer = _post(amplitude_mock)
    assert answer.status_code == 429
    assert answer.json() == {
        "code": 429,
        "error": "Too many requests for some devices and users",
        "eps_threshold": 30,
        "throttled_devices": {f"device-{i:04d}": 31 for i in range(3)},
        "throttled_users": {f"user-{i:04d}": 31 for i in range(3)},
        "throttled_events": [0, 1, 2],
        "exceeded_daily_quota_users": {},
        "exceeded_daily_quota_devices": {},
    }


def test_a_429_fault_on_batch_names_the_batch_threshold(amplitude_mock):
    amplitude_mock.fault(429)
    body = _post(amplitude_mock, "batch", n=1).json()
    assert body["eps_threshold"] == 1000 and body["throttled_devices"] == {"device-0000": 1001}


def test_a_413_fault_says_payload_too_large(amplitude_mock):
    amplitude_mock.fault(413)
    answer = _post(amplitude_mock)
    assert (answer.status_code, answer.json()) == (413, {"code": 413, "error": "Payload too large"})


def test_a_400_fault_defaults_to_invalid_fields_listing_every_event(amplitude_mock):
    amplitude_mock.fault(400)
    assert _post(amplitude_mock).json() == {
        "code": 400,
        "error": "Invalid field values on some events",
        "events_with_invalid_fields": {"event_type": [0, 1, 2]},
    }


def test_a_400_fault_can_be_missing_field_shaped(amplitude_mock):
    amplitude_mock.fault(400, body="missing_field")
    assert _post(amplitude_mock).json() == {
        "code": 400,
        "error": "Request missing required field",
        "missing_field": "api_key",
    }


def test_a_400_fault_can_be_invalid_key_shaped(amplitude_mock):
    amplitude_mock.fault(400, body="invalid_key")
    body = _post(amplitude_mock).json()
    assert body == {"code": 400, "error": f"Invalid API key: {amplitude_mock.api_key}"}


@pytest.mark.parametrize("status", [400, 413, 429, 503])
def test_bare_keeps_the_generic_body(amplitude_mock, status):
    amplitude_mock.fault(status, body="bare")
    reasons = {400: "Bad Request", 413: "Request Entity Too Large", 429: "Too Many Requests",
               503: "Service Unavailable"}  # fmt: skip
    assert _post(amplitude_mock).json() == {"code": status, "error": reasons[status]}


def test_a_shape_with_the_wrong_status_is_refused(amplitude_mock):
    rule = {"status": 500, "body": "invalid_key", "api_key": amplitude_mock.api_key}
    answer = requests.post(f"{amplitude_mock.url}/_mock/faults", json=rule, timeout=10)
    assert answer.status_code == 400
    assert answer.json()["error"] == "bad fault: body invalid_key needs status 400"


def test_a_faulted_request_ingests_nothing(amplitude_mock):
    amplitude_mock.fault(429)
    _post(amplitude_mock)
    assert amplitude_mock.events() == []
