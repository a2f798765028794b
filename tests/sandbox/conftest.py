"""A mock served over a real socket (waitress in a thread) on a frozen, controllable clock."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from mocks.app import create_app
from mocks.server import Server
from simulator.clock import ControllableClock, ManualClock
from tests.conftest import T0


@pytest.fixture
def served() -> Iterator[Server]:
    app = create_app({"LIMITS": {"eps_httpapi": 2}}, clock=ControllableClock(ManualClock(T0)))
    with Server(app, threads=8).start() as server:
        yield server


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


def upload(http: requests.Session, url: str, key: str, events: list[dict[str, Any]]) -> Any:
    response = http.post(f"{url}/2/httpapi", json={"api_key": key, "events": events}, timeout=10)
    return response.json()


def played(n: int, device: str = "device-0001", start: int = 0) -> list[dict[str, Any]]:
    return [
        {"event_type": "Played", "device_id": device, "insert_id": f"ins-{start + i}"}
        for i in range(n)
    ]
