"""The relay's Amplitude sink: ``POST /2/httpapi`` over one kept-alive ``http.client`` connection.

Why not ``requests`` (``clients.http_sink.HttpSink``): a ``requests`` call costs about 1.4 ms of
CPU (≈14 µs per event in a 100-event batch), ``http.client`` a few tens of microseconds; the
delivery thread is the relay's bottleneck, so this is the cheapest win (``bench/bench_relay.py``).
The body is encoded once with orjson and the answer parsed with orjson.

A request that gets no HTTP answer (refused, reset, timed out) is ``NO_RESPONSE`` (status 0,
which the retry table treats like a 5xx), never an exception into the delivery thread. A
connection the server closed while idle is reopened once and the POST sent again (Amplitude
dedupes on ``insert_id``, so a re-send is harmless).
"""

from __future__ import annotations

import http.client
import socket
from typing import Any
from urllib.parse import urlsplit

import orjson

from simulator.clock import Clock
from simulator.connector.sink import NO_RESPONSE, SinkResponse

AMPLITUDE_PATH = "/2/httpapi"
HEADERS = {"Content-Type": "application/json", "Accept": "*/*"}


class AmplitudeSink:
    """``simulator.connector.Sink`` posting to ``url``: a bare base URL gets Amplitude's path,
    a URL with a path is used as it is (e.g. ``https://api.eu.amplitude.com/2/httpapi``)."""

    def __init__(self, url: str, clock: Clock, *, timeout_s: float = 30.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        try:
            self.port = parts.port
        except ValueError as exc:
            raise ValueError(f"bad port in {url!r}") from exc
        self.host, self.https = parts.hostname, parts.scheme == "https"
        path = parts.path if parts.path not in ("", "/") else AMPLITUDE_PATH
        self.path = path + (f"?{parts.query}" if parts.query else "")
        self.clock, self.timeout_s = clock, timeout_s
        self._conn: http.client.HTTPConnection | None = None

    def send(self, api_key: str, events: list[dict[str, Any]]) -> SinkResponse:
        body = orjson.dumps({"api_key": api_key, "events": events})
        for fresh in (self._conn is None, True):
            try:
                status, data = self._post(body)
            except (OSError, http.client.HTTPException):
                self.close()
                if fresh:
                    return SinkResponse(NO_RESPONSE, None)
                continue  # a kept-alive connection gone stale: once more on a new one
            return SinkResponse(status, _json(data), answered_at=self.clock.now())
        raise AssertionError("unreachable: the second try always uses a fresh connection")

    def _post(self, body: bytes) -> tuple[int, bytes]:
        conn = self._connection()
        conn.request("POST", self.path, body, HEADERS)
        response = conn.getresponse()
        data = response.read()
        if response.will_close:
            self.close()
        return response.status, data

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            cls = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
            conn = cls(self.host, self.port, timeout=self.timeout_s)
            conn.connect()
            # A request is one write; its answer should not wait for a delayed ACK.
            conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._conn = conn
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _json(data: bytes) -> dict[str, Any] | None:
    if not data:
        return None
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    return parsed if isinstance(parsed, dict) else None
