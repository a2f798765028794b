"""The relay's Amplitude sink: ``POST /2/httpapi`` over one kept-alive connection
(``clients.keepalive``: a request is one write, a few tens of microseconds of CPU where a
``requests`` call costs about 1.4 ms, ≈14 µs per event in a 100-event batch; the delivery thread
is the relay's bottleneck, ``bench/bench_relay.py``). The body is encoded once with orjson and the
answer parsed with orjson.

A request that gets no HTTP answer (refused, reset, timed out) is ``NO_RESPONSE`` (status 0,
which the retry table treats like a 5xx), never an exception into the delivery thread.
"""

from __future__ import annotations

from typing import Any

import orjson

from clients.keepalive import KeptAliveConnection, NoAnswer, json_object
from simulator.clock import Clock
from simulator.connector.sink import NO_RESPONSE, SinkResponse

AMPLITUDE_PATH = "/2/httpapi"
HEADERS = {"Content-Type": "application/json", "Accept": "*/*"}


class AmplitudeSink:
    """``simulator.connector.Sink`` posting to ``url``: a bare base URL gets Amplitude's path,
    a URL with a path is used as it is (e.g. ``https://api.eu.amplitude.com/2/httpapi``).
    ``ValueError`` for a URL it cannot post to."""

    def __init__(self, url: str, clock: Clock, *, timeout_s: float = 30.0) -> None:
        self.connection = KeptAliveConnection(
            url, HEADERS, default_path=AMPLITUDE_PATH, timeout_s=timeout_s
        )
        self.clock = clock

    def send(self, api_key: str, events: list[dict[str, Any]]) -> SinkResponse:
        reply = self.connection.post(orjson.dumps({"api_key": api_key, "events": events}))
        if isinstance(reply, NoAnswer):
            return SinkResponse(NO_RESPONSE, None)
        return SinkResponse(reply.status, json_object(reply.data), answered_at=self.clock.now())

    def close(self) -> None:
        self.connection.close()
