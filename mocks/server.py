"""Serving a mock app on waitress (a production threaded WSGI server), in the foreground or in
a background thread (pytest plugin, benchmarks). Always on an explicit host; port 0 picks a
free port, read back from ``url``."""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask
from waitress import wasyncore
from waitress.server import create_server

# Waitress options: enough threads for the official SDKs (Python sends up to 16 requests at
# once, AMPLITUDE_API.md §10.1) and no logging of each slow queue.
DEFAULT_THREADS = 16


class Server:
    """A waitress server for ``app``; ``start()`` runs it in a daemon thread."""

    def __init__(
        self, app: Flask, host: str = "127.0.0.1", port: int = 0, threads: int = DEFAULT_THREADS
    ) -> None:
        self.app = app
        self._server: Any = create_server(
            app,
            host=host,
            port=port,
            threads=threads,
            ident="currents-sim",
            expose_tracebacks=False,
        )
        self.host = host
        self.port = int(self._server.effective_port)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def run(self) -> None:
        """Serve in the calling thread until ``close()`` (or an interrupt)."""
        self._server.run()

    def start(self) -> Server:
        self._thread = threading.Thread(target=self.run, name="mock-server", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving. A server running in its thread is closed *from* that thread (woken by
        waitress's trigger): closing its sockets from here while it sits in ``select()`` made
        the loop fail with EBADF, an exception in the server thread at every test teardown."""
        thread = self._thread
        if thread is None or not thread.is_alive():
            self._server.close()
            return
        self._server.trigger.pull_trigger(self._close_in_loop)
        thread.join(timeout=5)

    def _close_in_loop(self) -> None:
        self._server.task_dispatcher.shutdown()
        wasyncore.close_all(self._server._map)  # an empty map ends waitress's loop
