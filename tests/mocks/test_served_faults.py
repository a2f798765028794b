"""Faults that only a real server can show: a dropped connection, and injected latency."""

from __future__ import annotations

import pytest
import requests

from mocks.amplitude import wire


def _send(mock):
    body = {"api_key": mock.api_key, "events": [{"event_type": "e", "device_id": "device-0001"}]}
    return requests.post(mock.server_url, json=body, timeout=10)


def test_dropped_connection_cuts_the_response(amplitude_mock):
    amplitude_mock.fault(drop=True, count=1)
    with pytest.raises(requests.exceptions.RequestException):
        _send(amplitude_mock).json()
    assert _send(amplitude_mock).json()["code"] == 200
    # drop without a status: the request was processed, only the answer was lost (like a 500
    # after ingestion), so the retried event appears twice in the journal.
    assert len(amplitude_mock.events()) == 2


def test_latency_is_slept_by_the_shell(client, model, monkeypatch):
    from simulator.amplitude import Fault

    slept: list[float] = []
    monkeypatch.setattr(wire.time, "sleep", slept.append)
    model.add_fault(Fault(latency_ms=1500, count=1))
    body = b'{"api_key": "key-0001", "events": []}'
    assert client.post("/2/httpapi", data=body).json["code"] == 200
    assert slept == [1.5]
    client.post("/2/httpapi", data=body)
    assert slept == [1.5]
