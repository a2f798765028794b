"""Serving a mock app on waitress (a production threaded WSGI server), in the foreground or in
a background thread (pytest plugin, benchmarks). Always on an explicit host; port 0 picks a
free port, read back from ``url``."""

from __future__ import annotations

import socket
import threading
from typing import Any

from flask import Flask
from waitress import wasyncore
from waitress.server import create_server

# Waitress options: enough threads for the official SDKs (Python sends up to 16 requests at
# once, AMPLITUDE_API.md §10.1) and no logging of each slow queue.
DEFAULT_THREADS = 16
# app.extensions[CLOSE_HOOKS]: callables run when the server closes, before its threads stop.
CLOSE_HOOKS = "close_hooks"


class Server:
    """A waitress server for ``app``; ``start()`` runs it in a daemon thread."""

    def __init__(
        self, app: Flask, host: str = "127.0.0.1", port: int = 0, threads: int = DEFAULT_THREADS
    ) -> None:
        self.app = app
        # Bound here, not by waitress: waitress starts its worker threads and opens its trigger
        # pipe before it binds, so a port already in use leaked all three (ResourceWarnings).
        listener = _listen(host, port)
        # The socket map is ours, so closing every socket in it needs no waitress internals.
        self._sockets: dict[int, Any] = {}
        self._server: Any = create_server(
            app,
            map=self._sockets,
            sockets=[listener],
            threads=threads,
            ident="currents-sim",
            expose_tracebacks=False,
        )
        self.host = host
        self.port = int(self._server.effective_port)
        self._thread: threading.Thread | None = None

    @property
    def serving(self) -> bool:
        """Whether the server's thread (``start()``) is still running."""
        return self._thread is not None and self._thread.is_alive()

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

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop serving. A server running in its thread is closed *from* that thread (woken by
        waitress's trigger): closing its sockets from here while it sits in ``select()`` made
        the loop fail with EBADF, an exception in the server thread at every test teardown."""
        for hook in self.app.extensions.get(CLOSE_HOOKS, []):
            hook()  # e.g. end the live streams, which would hold their threads for minutes
        thread = self._thread
        if thread is None or not thread.is_alive():
            self._close_in_loop()
            return
        self._server.trigger.pull_trigger(self._close_in_loop)
        thread.join(timeout=5)

    def _close_in_loop(self) -> None:
        """Stop the worker threads, then close every socket and the trigger pipe (all in the
        map: waitress's own ``close()`` leaves the trigger open). An empty map ends the loop."""
        self._server.task_dispatcher.shutdown()
        wasyncore.close_all(self._sockets)


def _listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (SO_REUSEADDR, as waitress sets); OSError if the
    address is taken or not ours, with nothing left open."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=1024)
