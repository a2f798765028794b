"""The connector's sink over HTTP: posts each batch to ``/2/httpapi`` of a served mock (or any
Amplitude-compatible URL) and, against our mock, drives the mock's clock so that simulated days
pass in seconds.

Before each request whose simulated instant differs from the last one, the sink sets the mock's
clock with ``POST /_mock/clock {"set": <ms>}``; it freezes that clock once (``{"scale": 0}``) so
the mock sees exactly the instants the in-process model would. Keys and faults are set up through
``/_mock/keys`` and ``/_mock/faults``; duplicates dropped by ``insert_id`` are read from
``/_mock/stats``: every control call goes through ``admin`` (a ``MockAdmin`` on the same session).
Against a real endpoint, pass ``drive_clock=False`` (and use no control calls).
A request that gets no HTTP answer at all is status 0 (the retry matrix's "any other code").
"""

from __future__ import annotations

from typing import Any

import orjson
import requests

from clients.admin import MockAdmin
from simulator.clock import Clock
from simulator.connector.sink import NO_RESPONSE, SinkResponse


class HttpSink:
    """``Sink`` over HTTP; ``base_url`` like ``http://127.0.0.1:8080`` (no trailing path)."""

    def __init__(
        self,
        base_url: str,
        clock: Clock,
        *,
        path: str = "/2/httpapi",
        drive_clock: bool = True,
        timeout_s: float = 30.0,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.clock = clock
        self.path = path
        self.drive_clock = drive_clock
        self.timeout_s = timeout_s
        self.session = session or requests.Session()
        self.admin = MockAdmin(self.base_url, session=self.session, timeout_s=timeout_s)
        self._clock_at: float | None = None
        if drive_clock:
            self.admin.set_scale(0)

    def send(self, api_key: str, events: list[dict[str, Any]]) -> SinkResponse:
        self._sync_clock()
        body = orjson.dumps({"api_key": api_key, "events": events})
        try:
            response = self.session.post(
                self.base_url + self.path,
                data=body,
                headers={"Content-Type": "application/json", "Accept": "*/*"},
                timeout=self.timeout_s,
            )
        except requests.ConnectionError:
            return SinkResponse(NO_RESPONSE, None)
        try:
            parsed = orjson.loads(response.content)
        except orjson.JSONDecodeError:
            parsed = None
        answer = parsed if isinstance(parsed, dict) else None
        return SinkResponse(response.status_code, answer, answered_at=self.clock.now())

    # -- control of our own mock -----------------------------------------------------------------
    def add_key(self, key: str, expires_at: float | None = None) -> None:
        """Accept ``key`` until ``expires_at`` (seconds on the mock clock) when given."""
        self.admin.add_key(key, None if expires_at is None else expires_at * 1000.0)

    def add_fault(self, fault: dict[str, Any]) -> None:
        self.admin.add_faults([fault])

    def clear_faults(self) -> None:
        self.admin.clear_faults()

    def reset(self) -> None:
        """Forget everything the mock holds (journal, windows, faults)."""
        self.admin.reset_everything()

    def deduplicated(self) -> int:
        return int(self.admin.stats()["outcomes"]["deduplicated"])

    def ingested(self) -> int:
        return int(self.admin.stats()["outcomes"]["ingested"])

    def _sync_clock(self) -> None:
        now = self.clock.now()
        if self.drive_clock and now != self._clock_at:
            self.admin.set_clock(now * 1000.0)
            self._clock_at = now
