"""The session's served mock (the plugin's ``amplitude_mock_server``: 127.0.0.1, a free port)
and a client bound to a fresh key."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import requests

from clients.admin import MockAdmin
from mocks.server import Server


@pytest.fixture
def served(amplitude_mock_server: Server) -> Server:
    return amplitude_mock_server


@pytest.fixture
def admin(served: Server) -> Iterator[MockAdmin]:
    with MockAdmin(served.url, api_key=f"key-{uuid.uuid4().hex}", timeout_s=10) as client:
        yield client
        client.clear_faults()
        client.set_scale(1.0)


def send(admin: MockAdmin, count: int, *, start: int = 0, **fields: str) -> int:
    """Post ``count`` events of the admin's key to ``/2/httpapi``; the answer's status."""
    events = [
        {"event_type": "Played", "device_id": "device-0001", "insert_id": f"i{start + i}", **fields}
        for i in range(count)
    ]
    body = {"api_key": admin.api_key, "events": events}
    return requests.post(admin.base_url + "/2/httpapi", json=body, timeout=10).status_code
