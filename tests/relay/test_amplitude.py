"""The relay's Amplitude sink over a real socket: what it posts, what it makes of the answer,
and that a failure to get an answer is status 0 (retried by the table), never an exception."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import orjson
import pytest

from relay.amplitude import AmplitudeSink
from simulator.clock import ManualClock
from simulator.connector.sink import NO_RESPONSE
from tests.http_server import threaded_server


class Recorder(BaseHTTPRequestHandler):
    """Answers 200; records path, content type and body of every POST. ``close_each``: closes
    the connection after each answer, saying so ("close") or not ("silently": a kept-alive
    connection the server dropped while idle, found stale only by the next request)."""

    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        server: Any = self.server
        body = self.rfile.read(int(self.headers["Content-Length"]))
        server.seen.append((self.path, self.headers["Content-Type"], orjson.loads(body)))
        answer = b'{"code":200,"events_ingested":1}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(answer)))
        if server.close_each == "close":
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(answer)
        self.close_connection = bool(server.close_each)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(params=["", "close", "silently"], ids=["keep-alive", "close", "silently"])
def amplitude(request: pytest.FixtureRequest) -> Iterator[Any]:
    with threaded_server(Recorder, seen=[], close_each=request.param) as server:
        yield server


def test_each_batch_is_posted_to_httpapi_and_the_answer_parsed(amplitude: Any) -> None:
    sink = AmplitudeSink(f"http://127.0.0.1:{amplitude.server_port}", ManualClock(5.0))
    try:
        for n in range(3):  # on one connection, or each on a new one
            response = sink.send("key-1", [{"insert_id": f"ev-{n}"}])
            assert (response.status, response.body) == (200, {"code": 200, "events_ingested": 1})
            assert response.answered_at == 5.0
    finally:
        sink.close()
    bodies = [{"api_key": "key-1", "events": [{"insert_id": f"ev-{n}"}]} for n in range(3)]
    assert amplitude.seen == [("/2/httpapi", "application/json", body) for body in bodies]


def test_a_url_with_a_path_is_posted_to_as_it_is(amplitude: Any) -> None:
    sink = AmplitudeSink(f"http://127.0.0.1:{amplitude.server_port}/eu/2/httpapi", ManualClock(0))
    try:
        assert sink.send("k", []).status == 200
    finally:
        sink.close()
    assert amplitude.seen[0][0] == "/eu/2/httpapi"


def test_no_answer_at_all_is_status_zero_not_an_exception() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = AmplitudeSink(f"http://127.0.0.1:{port}", ManualClock(0))
    try:
        response = sink.send("k", [{"insert_id": "a"}])
    finally:
        sink.close()
    assert (response.status, response.body) == (NO_RESPONSE, None)


def test_a_url_that_is_not_http_is_refused() -> None:
    with pytest.raises(ValueError, match="not an http"):
        AmplitudeSink("ftp://example.com", ManualClock(0))
