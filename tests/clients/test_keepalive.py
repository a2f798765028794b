"""The kept-alive POST both the relay's sink and the senders use, against a real local server:
what goes out (path, Host, Content-Length, headers, body), answers of every framing read whole
on one connection, and what it refuses up front."""

from __future__ import annotations

import http.client
import io
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from clients.keepalive import (
    BadTarget,
    KeptAliveConnection,
    NoAnswer,
    Reply,
    json_object,
    read_reply,
)
from tests.http_server import threaded_server


class Handler(BaseHTTPRequestHandler):
    """Records each request; answers with the framing the server's ``framing`` names."""

    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        self.server.connections += 1  # type: ignore[attr-defined]

    def do_POST(self) -> None:
        server: Any = self.server
        body = self.rfile.read(int(self.headers["Content-Length"]))
        server.seen.append((self.path, dict(self.headers.items()), body))
        answer = b'{"code":200,"echo":' + str(len(body)).encode() + b"}"
        self.send_response(200)
        if server.framing == "chunked":
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            half = len(answer) // 2
            for part in (answer[:half], answer[half:], b""):
                self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
            return
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: Any) -> None:
        pass


def serve(framing: str = "length") -> Any:
    return threaded_server(Handler, seen=[], framing=framing, connections=0)


def test_a_post_carries_path_host_length_headers_and_body() -> None:
    with serve() as server:
        port = server.server_address[1]
        conn = KeptAliveConnection(f"http://127.0.0.1:{port}/in?x=1", {"X-Test": "yes"})
        try:
            reply = conn.post(b'{"a":1}')
        finally:
            conn.close()
    assert reply == Reply(200, b'{"code":200,"echo":7}')
    path, headers, body = server.seen[0]
    assert (path, body) == ("/in?x=1", b'{"a":1}')
    assert headers["Host"] == f"127.0.0.1:{port}"
    assert headers["Content-Length"] == "7" and headers["X-Test"] == "yes"


def test_a_url_without_a_path_posts_to_the_default_path() -> None:
    with serve() as server:
        conn = KeptAliveConnection(
            f"http://127.0.0.1:{server.server_address[1]}", {}, default_path="/2/httpapi"
        )
        try:
            conn.post(b"{}")
        finally:
            conn.close()
    assert server.seen[0][0] == "/2/httpapi"


@pytest.mark.parametrize("framing", ["length", "chunked"])
def test_answers_are_read_whole_and_the_connection_is_kept_alive(framing: str) -> None:
    with serve(framing) as server:
        conn = KeptAliveConnection(f"http://127.0.0.1:{server.server_address[1]}/", {})
        try:
            replies = [conn.post(b"x" * size) for size in (1, 5000, 70_000)]
        finally:
            conn.close()
    assert [json_object(r.data) for r in replies if isinstance(r, Reply)] == [
        {"code": 200, "echo": size} for size in (1, 5000, 70_000)
    ]
    assert server.connections == 1


def test_no_server_is_no_answer_with_the_reason() -> None:
    with serve() as server:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
    conn = KeptAliveConnection(url, {}, timeout_s=5)
    reply = conn.post(b"{}")
    conn.close()
    assert isinstance(reply, NoAnswer) and "refused" in reply.reason.lower()


@pytest.mark.parametrize(
    "url, headers",
    [
        ("ftp://host/x", {}),
        ("http://h:99999/", {}),
        ("http://h/", {"Authorization": "Bearer a\r\nX-Injected: 1"}),
        ("http://h/päth", {}),
    ],
)
def test_what_cannot_be_sent_as_it_is_is_refused_up_front(url: str, headers: dict[str, str]):
    with pytest.raises(BadTarget):
        KeptAliveConnection(url, headers)


@pytest.mark.parametrize(
    "data, parsed", [(b"", None), (b"not json", None), (b"[1]", None), (b'{"a":1}', {"a": 1})]
)
def test_only_a_json_object_body_is_parsed(data: bytes, parsed: Any) -> None:
    assert json_object(data) == parsed


@pytest.mark.parametrize(
    "raw, expected",
    [
        (b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", (200, b"ok", False)),
        (b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", (200, b"", True)),
        (b"HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx", (200, b"x", True)),
        (
            b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx",
            (200, b"x", False),
        ),
        (b"HTTP/1.1 429 Too Many\r\n\r\nuntil the end", (429, b"until the end", True)),
        (b"HTTP/1.1 204 No Content\r\nX: y\r\n\r\n", (204, b"", False)),
        (
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n!",
            (200, b"!", False),
        ),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: t\r\n\r\n",
            (200, b"abcde", False),
        ),
    ],
)
def test_an_answer_is_read_by_its_framing(raw: bytes, expected: tuple[int, bytes, bool]) -> None:
    kept_alive = not expected[2]
    reader = io.BytesIO(raw + (b"HTTP/1.1 200 the next answer" if kept_alive else b""))
    assert read_reply(reader) == expected
    if kept_alive:  # the next answer on the connection is left where it starts
        assert reader.read() == b"HTTP/1.1 200 the next answer"


@pytest.mark.parametrize(
    "raw, error",
    [
        (b"", http.client.RemoteDisconnected),
        (b"SSH-2.0-OpenSSH\r\n\r\n", http.client.BadStatusLine),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort", http.client.IncompleteRead),
        (b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", http.client.HTTPException),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", http.client.HTTPException),
        (b"HTTP/1.1 200 OK\r\n" + b"X: " + b"y" * 70_000 + b"\r\n\r\n", http.client.LineTooLong),
    ],
)
def test_what_is_not_an_answer_raises_an_http_error(raw: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        read_reply(io.BytesIO(raw))
