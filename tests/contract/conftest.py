"""Contract fixtures: the served mock (the ``amplitude_mock`` plugin fixture), a strict server
that knows one key only, and a clock shared by the official Python SDK and the mock.

The SDK waits 30 s before resending throttled events, timing the wait with
``amplitude.utils.current_milliseconds`` (``storage.py`` ``InMemoryStorage._insert_event`` /
``pull`` / ``wait_time``; Amplitude-Python ``src/amplitude/storage.py``). ``shared_clock``
shifts that function by an offset and moves the mock clock by the same amount, so both sides
see 30 s pass at once and no test sleeps for it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import amplitude.utils
import pytest

from mocks.app import create_app
from mocks.pytest_plugin import AmplitudeMock
from mocks.server import Server

KNOWN_KEY = "known-key-0001"


class SharedClock:
    """Advance the SDK's notion of time and the mock's together."""

    def __init__(self, mock: AmplitudeMock) -> None:
        self.mock = mock
        self.offset_ms = 0
        self._lock = threading.Lock()

    def now_ms(self) -> int:
        return int(time.time() * 1000) + self.offset_ms

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.offset_ms += int(seconds * 1000)
        self.mock.advance(seconds)


@pytest.fixture
def shared_clock(amplitude_mock: AmplitudeMock, monkeypatch: pytest.MonkeyPatch) -> SharedClock:
    clock = SharedClock(amplitude_mock)
    monkeypatch.setattr(amplitude.utils, "current_milliseconds", clock.now_ms)
    return clock


@pytest.fixture(scope="session")
def strict_server() -> Iterator[Server]:
    """A mock started with ``API_KEYS=[KNOWN_KEY]``: every other key is unknown."""
    server = Server(create_app({"API_KEYS": [KNOWN_KEY]}), "127.0.0.1", 0).start()
    yield server
    server.close()


def wait_until(predicate: Any, timeout_s: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False
