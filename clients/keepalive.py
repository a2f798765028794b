"""``POST`` over one kept-alive HTTP/1.1 connection: the relay's Amplitude sink
(``relay.amplitude``) and the senders' transport (``senders.http_transport``) both post this way.

Why not ``requests``: a ``requests`` call costs about a millisecond of CPU, this a few tens of
microseconds, and both callers post hundreds of batches a second. Why not
``http.client.HTTPConnection.request``: it writes the headers and a body over 2,000 bytes in two
``send`` calls, and in a busy threaded process each blocking call can wait for the GIL; here a
request is one ``sendall`` of bytes made once per connection but for the ``Content-Length``.
The answer is read by ``read_reply`` from one buffered reader kept with the connection: status,
``Content-Length``, chunked or until-close bodies, ``Connection: close``, and nothing more
(``http.client.HTTPResponse`` parses every header through the ``email`` package and builds a
reader per answer: a sixth of the relay's sending thread).

A request that gets no HTTP answer (refused, reset, timed out) comes back as ``NoAnswer`` with the
reason, never as an exception. A connection the server closed while idle is reopened once and the
``POST`` sent again (both callers' receivers dedupe: Amplitude on ``insert_id``, a Currents
receiver on ``id``).
"""

from __future__ import annotations

import http.client
import socket
import ssl
from dataclasses import dataclass
from typing import Any, BinaryIO
from urllib.parse import urlsplit

import orjson

MAX_LINE = 65_536  # a status or header line longer than this is not an answer we read
MAX_HEADERS = 100
NO_BODY = frozenset({204, 304})


class BadTarget(ValueError):
    """A URL (or a header value) that this connection cannot post with."""


@dataclass(frozen=True, slots=True)
class Reply:
    """An HTTP answer: its status and its body."""

    status: int
    data: bytes


@dataclass(frozen=True, slots=True)
class NoAnswer:
    """No HTTP answer at all, and why (``refused``, ``timed out``, ...)."""

    reason: str


class KeptAliveConnection:
    """Posts to ``url`` over one connection, opened on the first post and kept alive.

    ``default_path``: the path posted to when the URL has none (or only ``/``). ``headers`` go
    with every request, after ``Host`` and ``Content-Length``."""

    def __init__(
        self,
        url: str,
        headers: dict[str, str],
        *,
        default_path: str = "/",
        timeout_s: float = 30.0,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BadTarget(f"not an http(s) URL: {url!r}")
        try:
            port = parts.port
        except ValueError as exc:
            raise BadTarget(f"bad port in {url!r}") from exc
        self.https = parts.scheme == "https"
        self.host, self.port = parts.hostname, port or (443 if self.https else 80)
        path = parts.path if parts.path not in ("", "/") else default_path
        self.path = path + (f"?{parts.query}" if parts.query else "")
        self.timeout_s = timeout_s
        self._before, self._after = _head(self.path, _host_header(self.host, port), headers)
        self._sock: socket.socket | None = None
        self._reader: BinaryIO | None = None

    def post(self, body: bytes) -> Reply | NoAnswer:
        """One ``POST`` of ``body``; its answer, or why there was none."""
        request = b"".join((self._before, str(len(body)).encode(), self._after, body))
        for fresh in (self._sock is None, True):
            try:
                return self._exchange(request)
            except (OSError, http.client.HTTPException) as exc:
                self.close()
                if fresh:
                    return NoAnswer(str(exc) or type(exc).__name__)
                # a kept-alive connection gone stale: once more on a new one
        raise AssertionError("unreachable: the second try always uses a fresh connection")

    def _exchange(self, request: bytes) -> Reply:
        sock, reader = self._connection()
        sock.sendall(request)
        status, data, will_close = read_reply(reader)
        if will_close:
            self.close()
        return Reply(status, data)

    def _connection(self) -> tuple[socket.socket, BinaryIO]:
        if self._sock is None or self._reader is None:
            sock = socket.create_connection((self.host, self.port), self.timeout_s)
            # A request is one write; its answer should not wait for a delayed ACK.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self.https:
                context = ssl.create_default_context()
                sock = context.wrap_socket(sock, server_hostname=self.host)
            self._sock, self._reader = sock, sock.makefile("rb")
        return self._sock, self._reader

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        if self._sock is not None:
            self._sock.close()
            self._sock = None


def read_reply(reader: BinaryIO) -> tuple[int, bytes, bool]:
    """One HTTP/1.x answer: its status, its body, and whether the server closes the connection
    after it. Interim (1xx) answers are passed over. ``http.client.HTTPException`` (or
    ``OSError``) when there is no well-formed answer."""
    status, version, headers = _read_head(reader)
    while 100 <= status < 200:
        status, version, headers = _read_head(reader)
    tokens = headers.get(b"connection", b"").lower()
    will_close = b"close" in tokens or (version == b"HTTP/1.0" and b"keep-alive" not in tokens)
    if status in NO_BODY:
        return status, b"", will_close
    if b"chunked" in headers.get(b"transfer-encoding", b"").lower():
        return status, _read_chunked(reader), will_close
    length = headers.get(b"content-length")
    if length is None:
        return status, reader.read(), True  # the body runs until the server closes
    if not length.isdigit():
        raise http.client.HTTPException(f"bad Content-Length {length!r}")
    return status, _read_exactly(reader, int(length)), will_close


def _line(reader: BinaryIO) -> bytes:
    line = reader.readline(MAX_LINE + 1)
    if len(line) > MAX_LINE:
        raise http.client.LineTooLong("answer line")
    return line


def _read_head(reader: BinaryIO) -> tuple[int, bytes, dict[bytes, bytes]]:
    line = _line(reader)
    if not line:
        raise http.client.RemoteDisconnected("Remote end closed connection without response")
    parts = line.split(None, 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/") or not parts[1].isdigit():
        raise http.client.BadStatusLine(repr(line))
    headers: dict[bytes, bytes] = {}
    for _ in range(MAX_HEADERS):
        line = _line(reader)
        if line in (b"\r\n", b"\n", b""):
            return int(parts[1]), parts[0], headers
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip()
    raise http.client.HTTPException(f"more than {MAX_HEADERS} headers")


def _read_chunked(reader: BinaryIO) -> bytes:
    chunks: list[bytes] = []
    while True:
        size_text = _line(reader).split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise http.client.HTTPException(f"bad chunk size {size_text!r}") from None
        if size == 0:
            while _line(reader) not in (b"\r\n", b"\n", b""):
                pass  # trailers
            return b"".join(chunks)
        chunks.append(_read_exactly(reader, size))
        _line(reader)  # the chunk's CRLF


def _read_exactly(reader: BinaryIO, size: int) -> bytes:
    data = reader.read(size)
    if len(data) < size:
        raise http.client.IncompleteRead(data, size - len(data))
    return data


def _host_header(host: str, port: int | None) -> str:
    name = f"[{host}]" if ":" in host else host
    return name if port is None else f"{name}:{port}"


def _head(path: str, host: str, headers: dict[str, str]) -> tuple[bytes, bytes]:
    """The request's bytes before the body: up to the ``Content-Length`` value, and after it."""
    lines = [f"Host: {host}"]
    for name, value in headers.items():
        if not name.strip() or any(c in name + value for c in "\r\n\0"):
            raise BadTarget(f"header {name!r} cannot be sent as it is")
        lines.append(f"{name}: {value}")
    try:
        before = f"POST {path} HTTP/1.1\r\n".encode("ascii")
        after = ("\r\n" + "\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    except UnicodeEncodeError as exc:
        raise BadTarget(f"cannot be sent in an HTTP request: {exc.object!r}") from None
    return before + b"Content-Length: ", after


def json_object(data: bytes) -> dict[str, Any] | None:
    """The answer's body when it is a JSON object; None otherwise (empty, not JSON, a list)."""
    if not data:
        return None
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    return parsed if isinstance(parsed, dict) else None
