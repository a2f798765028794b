"""A threaded ``http.server`` on 127.0.0.1:0 for tests of HTTP clients, stopped and closed on
exit (no leaked thread or socket)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@contextmanager
def threaded_server(handler: type[BaseHTTPRequestHandler], **attributes: Any) -> Iterator[Any]:
    """The server running ``handler``; ``attributes`` are set on it for the handler to read."""
    server: Any = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    for name, value in attributes.items():
        setattr(server, name, value)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
