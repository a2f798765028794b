"""The relay's WSGI app: Braze's Custom HTTP Currents in (any path, ``POST``), ``GET /health``,
``GET /stats``. The contract itself is the core's (``simulator.relay.receive``); this module only
reads the request, stores an accepted body in the outbox *before* answering 2xx, and hands the
parsed events to the delivery thread.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable, Iterable
from typing import Any

import orjson

from relay.service import Service
from simulator.relay import Answer

MAX_BODY_BYTES = 128 * 1024 * 1024  # 100 events of at most 900 KB each fit (BRAZE §3.1)
JSON = ("Content-Type", "application/json")

StartResponse = Callable[..., Any]
Environ = dict[str, Any]


def _respond(start: StartResponse, status: int, body: dict[str, Any], *headers: Any) -> list[bytes]:
    data = orjson.dumps(body)
    start(
        f"{status} {_REASONS.get(status, 'Status')}",
        [JSON, *headers, ("Content-Length", str(len(data)))],
    )
    return [data]


_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Payload Too Large",
    503: "Service Unavailable",
}


def _read_body(environ: Environ) -> bytes | str:
    """The request body (gunzipped when so encoded), or why it cannot be read."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return "bad Content-Length"
    if length > MAX_BODY_BYTES:
        return "too large"
    body: bytes = environ["wsgi.input"].read(length) if length else b""
    if environ.get("HTTP_CONTENT_ENCODING", "").lower() == "gzip":
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError, zlib.error):
            return "body is not valid gzip"
    return body


def create_app(service: Service) -> Callable[[Environ, StartResponse], Iterable[bytes]]:
    """The WSGI callable serving ``service``."""

    def app(environ: Environ, start: StartResponse) -> Iterable[bytes]:
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/")
        if method == "GET" and path == "/health":
            return _respond(start, 200, service.health())
        if method == "GET" and path == "/stats":
            return _respond(start, 200, service.stats())
        if method != "POST":
            return _respond(start, 405, {"code": 405, "error": f"{method} not allowed"})
        body = _read_body(environ)
        if isinstance(body, str):
            status = 413 if body == "too large" else 400
            return _respond(start, status, {"code": status, "error": body})
        answer: Answer = service.receive(body, environ.get("HTTP_AUTHORIZATION"))
        return _respond(start, answer.status, answer.body, *answer.headers)

    return app
