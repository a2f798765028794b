"""Bytes <-> core: read an upload body (size caps, gzip, JSON) and render ``UploadResult``s.

AMPLITUDE_API.md §2.1: the body is JSON whatever ``Content-Type`` says (SDKs send
``application/json; charset=UTF-8``, browsers' beacons ``text/plain``) and is inflated when
``Content-Encoding: gzip`` is present. The byte cap applies after decompression ([V2-new]) and is
checked by the model, so an over-cap request still shows its key and events (outcome
``payload_too_large``) in the journal. Only bodies beyond ``read_limit`` (the largest cap, 20 MB)
are refused (413) from ``Content-Length`` before any of the body is read, and a gzip stream is
never inflated beyond that limit (no zip bombs).
"""

from __future__ import annotations

import time
import zlib
from typing import IO, Any

import orjson
from flask import Response

from mocks.amplitude import errors as shell_errors
from simulator.amplitude import AmplitudeModel, errors
from simulator.amplitude.errors import UploadResult
from simulator.amplitude.limits import Limits

JSON = "application/json"


class Rejected(Exception):
    """The body could not be turned into a payload; ``result`` is Amplitude's answer."""

    def __init__(self, result: UploadResult) -> None:
        super().__init__(result.status)
        self.result = result


def read_limit(limits: Limits, endpoint: str) -> int:
    """Bytes the shell reads at most: the largest cap, so the model sees any near-cap body."""
    return max(limits.max_bytes_batch, limits.max_bytes_for(endpoint))


def read_body(
    length: int | None, stream: IO[bytes], content_encoding: str | None, cap: int
) -> tuple[bytes, bytes]:
    """``(raw, decoded)`` bytes of a body; raises ``Rejected`` (413, 400) otherwise.

    ``length`` is the request's Content-Length (None when absent); nothing is read when it is
    over ``cap``."""
    if length is not None and length > cap:
        raise Rejected(errors.payload_too_large())
    raw = stream.read(cap + 1 if length is None else length)
    if len(raw) > cap:
        raise Rejected(errors.payload_too_large())
    if not raw:
        raise Rejected(errors.bad_request(errors.MISSING_BODY))
    if content_encoding and "gzip" in content_encoding.lower():
        return raw, _gunzip(raw, cap)
    return raw, raw


def handle_upload(
    model: AmplitudeModel,
    endpoint: str,
    length: int | None,
    stream: IO[bytes],
    content_encoding: str | None,
) -> UploadResult:
    """One upload from bytes to the model's answer (shared by the Flask view and the fast
    WSGI path, so both behave the same)."""
    try:
        raw, decoded = read_body(
            length, stream, content_encoding, read_limit(model.limits, endpoint)
        )
        payload = parse_json(decoded)
    except Rejected as rejected:
        return shell_errors.rejected(model, endpoint, rejected.result)
    return model.upload(endpoint, payload, size_bytes=len(raw), decoded_bytes=len(decoded))


def _gunzip(raw: bytes, cap: int) -> bytes:
    inflater = zlib.decompressobj(wbits=31)
    try:
        decoded = inflater.decompress(raw, cap + 1)
    except zlib.error:
        raise Rejected(errors.bad_request(errors.INVALID_JSON)) from None
    if len(decoded) > cap:
        raise Rejected(errors.payload_too_large())
    if not inflater.eof:
        raise Rejected(errors.bad_request(errors.INVALID_JSON))
    return decoded


def parse_json(decoded: bytes) -> Any:
    """The JSON document (orjson: strict UTF-8, nesting limit), or ``Rejected`` 400."""
    try:
        return orjson.loads(decoded)
    except orjson.JSONDecodeError:
        raise Rejected(errors.bad_request(errors.INVALID_JSON)) from None


def wsgi_respond(result: UploadResult, start_response: Any) -> list[bytes]:
    """``respond`` for the fast WSGI path: the same status, headers and body."""
    if result.latency_s > 0:
        time.sleep(result.latency_s)
    if result.drop:
        start_response("200 OK", [("Content-Type", JSON), ("Content-Length", "1024")])
        return []
    status = f"{result.status} {errors.reason(result.status)}"
    if result.body is None:
        text = (result.text or "").encode()
        start_response(status, [("Content-Type", "text/html; charset=utf-8"),
                                ("Content-Length", str(len(text)))])  # fmt: skip
        return [text]
    body = orjson.dumps(result.body)
    start_response(status, [("Content-Type", JSON), ("Content-Length", str(len(body)))])
    return [body]


def respond(result: UploadResult) -> Response:
    """The HTTP response for a result, after any injected latency; a drop is a cut response."""
    if result.latency_s > 0:
        time.sleep(result.latency_s)
    if result.drop:
        return dropped()
    if result.body is None:
        return Response(result.text or "", status=result.status, mimetype="text/html")
    return Response(orjson.dumps(result.body), status=result.status, mimetype=JSON)


def dropped() -> Response:
    """Headers promising a body that never comes: the server then closes the connection.

    A WSGI app cannot reset the socket itself; waitress closes the connection when the body is
    shorter than ``Content-Length``, so the client sees the connection end mid-response (like
    WireMock's ``EMPTY_RESPONSE``/``CONNECTION_RESET_BY_PEER`` faults). No ``Connection`` header:
    it is hop-by-hop, which WSGI forbids; waitress refused it with a 500 instead of the drop.
    """
    response = Response(b"", status=200, mimetype=JSON)
    response.headers["Content-Length"] = "1024"
    return response
