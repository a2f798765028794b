"""POST over HTTP/1.1 with a kept-alive connection (``clients.keepalive``: a request costs tens
of microseconds, where a ``requests`` call costs about a millisecond; at 500 requests/s that is
the difference between a fraction of a core and half of one).

Headers are Braze's (``simulator.delivery.HEADERS``) plus ``Authorization: Bearer <token>`` when a
token is set. A request that gets no HTTP answer is status 0 with the reason in ``error``; a
connection the server closed while idle is reopened once before giving up (the POST is then sent
again: Currents is at-least-once, receivers dedupe on ``id``).
"""

from __future__ import annotations

import time

from clients.keepalive import BadTarget, KeptAliveConnection, NoAnswer, json_object
from simulator.delivery import HEADERS, Answer

BadUrl = BadTarget  # the URL (or the token) is not one this transport can post with


class HttpTransport:
    """``simulator.delivery.Transport`` over one kept-alive connection to ``url``."""

    def __init__(self, url: str, token: str | None = None, *, timeout_s: float = 30.0) -> None:
        self.url = url
        headers = dict(HEADERS)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.connection = KeptAliveConnection(url, headers, timeout_s=timeout_s)

    def post(self, body: bytes) -> Answer:
        started = time.perf_counter()
        reply = self.connection.post(body)
        elapsed = time.perf_counter() - started
        if isinstance(reply, NoAnswer):
            return Answer(0, None, elapsed, reply.reason)
        return Answer(reply.status, json_object(reply.data), elapsed)

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> HttpTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
