"""POST over HTTP/1.1 with a kept-alive connection (``http.client``: a request costs tens of
microseconds, where a ``requests`` call costs about a millisecond; at 500 requests/s that is the
difference between a fraction of a core and half of one).

Headers are Braze's (``simulator.delivery.HEADERS``) plus ``Authorization: Bearer <token>`` when a
token is set. A request that gets no HTTP answer is status 0 with the reason in ``error``; a
connection the server closed while idle is reopened once before giving up (the POST is then sent
again: Currents is at-least-once, receivers dedupe on ``id``).
"""

from __future__ import annotations

import http.client
import socket
import time
from typing import Any
from urllib.parse import urlsplit

import orjson

from simulator.delivery import HEADERS, Answer


class BadUrl(ValueError):
    """The URL is not one this transport can POST to."""


class HttpTransport:
    """``simulator.delivery.Transport`` over one kept-alive connection to ``url``."""

    def __init__(self, url: str, token: str | None = None, *, timeout_s: float = 30.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BadUrl(f"not an http(s) URL: {url!r}")
        try:
            port = parts.port
        except ValueError as exc:
            raise BadUrl(f"bad port in {url!r}") from exc
        self.url = url
        self.host, self.port, self.https = parts.hostname, port, parts.scheme == "https"
        self.path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.timeout_s = timeout_s
        self.headers = dict(HEADERS)
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self._conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            cls = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
            self._conn = cls(self.host, self.port, timeout=self.timeout_s)
        return self._conn

    def post(self, body: bytes) -> Answer:
        started = time.perf_counter()
        for fresh in (self._conn is None, True):
            conn = self._connection()
            try:
                if conn.sock is None:
                    _connect(conn)
                conn.request("POST", self.path, body, self.headers)
                response = conn.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException) as exc:
                self.close()
                if fresh:
                    return Answer(0, None, time.perf_counter() - started, _describe(exc))
                continue
            if response.will_close:
                self.close()
            return Answer(response.status, _json(data), time.perf_counter() - started)
        raise AssertionError("unreachable: the second try always uses a fresh connection")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> HttpTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _connect(conn: http.client.HTTPConnection) -> None:
    """Open the connection with Nagle's algorithm off: a request is one write, and its answer
    should not wait for a delayed ACK."""
    conn.connect()
    sock: socket.socket = conn.sock
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _json(data: bytes) -> dict[str, Any] | None:
    if not data:
        return None
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    return parsed if isinstance(parsed, dict) else None


def _describe(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__
