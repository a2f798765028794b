"""pytest plugin (entry point ``pytest11``): the ``amplitude_mock`` fixture.

One mock server per test session (waitress in a thread on 127.0.0.1, a free port), and a fresh
API key per test, so tests share nothing (state is isolated per key)::

    def test_my_exporter_sends_events(amplitude_mock):
        export(server_url=amplitude_mock.server_url, api_key=amplitude_mock.api_key)
        amplitude_mock.wait(3, event_type="Signed Up")
        assert [e["user_id"] for e in amplitude_mock.events()] == ["user-0001"] * 3

Helpers are a thin layer over ``clients.MockAdmin`` (``amplitude_mock.admin``, bound to the
test's key, for everything else the ``/_mock`` API offers). Faults added with ``fault()`` apply
to this test's key only; at teardown the key's state and faults are removed and the clock's speed
is restored (moved time stays moved: windows are per key, so later tests with new keys are
unaffected).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import closing
from typing import Any

import pytest

from clients.admin import MockAdmin


class AmplitudeMock:
    """A handle on the served mock for one test."""

    def __init__(self, url: str, api_key: str, admin: MockAdmin) -> None:
        self.url = url
        self.api_key = api_key
        self.server_url = f"{url}/2/httpapi"
        self.batch_url = f"{url}/batch"
        self.admin = admin

    def events(self, **filters: Any) -> list[dict[str, Any]]:
        """Journal entries of this key, every page (``outcome`` defaults to ``ingested``;
        ``"all"`` lifts it)."""
        return self.admin.events(**filters)

    def requests(self) -> list[dict[str, Any]]:
        """This key's request log (time, endpoint, status, event count, body), every page."""
        return self.admin.requests()

    def wait(self, count: int, *, timeout_s: float = 10.0, **filters: Any) -> int:
        """Block until ``count`` matching events of this key exist; AssertionError on timeout."""
        result = self.admin.wait(count, timeout_s=timeout_s, **filters)
        if not result.ok:
            raise AssertionError(f"waited {timeout_s} s for {count} events, saw {result.matched}")
        return result.matched

    def wait_stream(
        self, count: int, *, timeout_s: float = 10.0, **filters: str
    ) -> list[dict[str, Any]]:
        """Follow ``/_mock/stream`` (this key's journal from its first entry on, ``filters`` as
        its query: ``outcome="throttled"``...) until ``count`` entries arrived; returns them.
        AssertionError when fewer arrive within ``timeout_s``."""
        seen: list[dict[str, Any]] = []
        deadline = time.monotonic() + timeout_s
        messages = self.admin.stream(since=0, topics="entries", max_s=timeout_s, **filters)
        with closing(messages):
            for event, data in messages:
                if event == "entries":
                    seen.extend(data)
                if len(seen) >= count:
                    return seen[:count]
                if event == "end" or time.monotonic() > deadline:
                    break
        raise AssertionError(f"streamed {timeout_s} s for {count} events, saw {len(seen)}")

    def advance(self, seconds: float) -> int:
        """Move the mock clock forward; returns the new time (ms)."""
        return self.admin.advance(seconds).now_ms

    def now_ms(self) -> int:
        return self.admin.now_ms()

    def fault(self, status: int | None = None, *, count: int | None = 1, **spec: Any) -> None:
        """Inject a fault for this key (``body``, ``latency_ms``, ``drop``, ``probability``...)."""
        self.admin.add_fault(status, count=count, **spec)

    def properties(self, **ids: str) -> dict[str, Any] | None:
        """What identify operations set: ``user_id=``/``device_id=`` or ``group_type=`` and
        ``group_value=``; None when nothing was set."""
        return self.admin.properties(**ids)

    def stats(self) -> dict[str, Any]:
        return self.admin.stats()

    def reset(self) -> None:
        self.admin.reset()


@pytest.fixture(scope="session")
def amplitude_mock_server() -> Iterator[Any]:
    """The session's mock server (``.url``, ``.app``); most tests want ``amplitude_mock``."""
    from mocks.app import create_app
    from mocks.server import Server

    server = Server(create_app(seed=0), "127.0.0.1", 0).start()
    yield server
    server.close()


@pytest.fixture
def amplitude_mock(amplitude_mock_server: Any) -> Iterator[AmplitudeMock]:
    """A served Amplitude mock and a fresh API key for this test."""
    url, api_key = amplitude_mock_server.url, f"test-{uuid.uuid4().hex}"
    with MockAdmin(url, api_key=api_key, timeout_s=30) as admin:
        yield AmplitudeMock(url, api_key, admin)
        admin.clear_faults()
        admin.set_scale(1.0)
        admin.reset()
