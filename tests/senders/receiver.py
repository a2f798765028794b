"""A real local Custom HTTP receiver for tests: a threaded HTTP/1.1 server on 127.0.0.1:0 that
records every request and answers with a scripted status (one write per answer)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import orjson


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def events(self) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = orjson.loads(self.body)["events"]
        return events


Answerer = Callable[[Received], int]


@dataclass
class Receiver:
    url: str
    answer: Answerer
    requests: list[Received] = field(default_factory=list)
    connections: int = 0
    hang_up: bool = False  # close each connection after answering, without saying so
    lock: threading.Lock = field(default_factory=threading.Lock)

    def events(self) -> list[dict[str, Any]]:
        """Every event of every request that carried events (retries included)."""
        return [e for r in self.requests for e in r.events]


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            with receiver.lock:
                receiver.connections += 1

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            got = Received(self.path, dict(self.headers.items()), body)
            with receiver.lock:
                receiver.requests.append(got)
                status = receiver.answer(got)
            payload = b'{"ok":true}'
            head = (
                f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(payload)}\r\n\r\n"
            ).encode()
            self.wfile.write(head + payload)
            if receiver.hang_up:
                self.close_connection = True

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def serve(answer: Answerer = lambda request: 200, path: str = "/currents") -> Iterator[Receiver]:
    receiver = Receiver("", answer)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}{path}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
