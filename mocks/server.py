"""Serving a mock app on waitress (a production threaded WSGI server), in the foreground or in
a background thread (pytest plugin, benchmarks). Always on an explicit host; port 0 picks a
free port, read back from ``url``.

Hostile clients are refused at the socket, before any worker thread is involved: waitress reads
headers and bodies in its event loop and dispatches a request to a thread only once it is whole.
A ``Content-Length`` above the body cap (the largest Amplitude cap, 20 MB) is answered 413 with
Amplitude's JSON as soon as the headers are in, without reading the body; a chunked body is cut
off with the same 413 when it passes the cap while being read, so no request makes the mock hold
more than the cap (in memory, or past 512 KB in a temporary file). A request whose headers and
body are not complete within ``request_timeout`` seconds of its first byte (trickled) is closed.
Waitress's own errors (bad request line, headers too large) are JSON ``{"code", "error"}`` too.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import orjson
from flask import Flask
from waitress import wasyncore
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import TcpWSGIServer
from waitress.task import ErrorTask, ThreadedTaskDispatcher

from simulator.amplitude.errors import payload_too_large
from simulator.amplitude.limits import Limits

# Waitress options: enough threads for the official SDKs (Python sends up to 16 requests at
# once, AMPLITUDE_API.md §10.1) and no logging of each slow queue.
DEFAULT_THREADS = 16
# app.extensions[CLOSE_HOOKS]: callables run when the server closes, before its threads stop.
CLOSE_HOOKS = "close_hooks"
REQUEST_TIMEOUT_S = 30.0  # from a request's first byte to its whole body
CONNECTION_LIMIT = 256  # open connections; beyond, waitress stops accepting until one closes
MODEL = "amplitude_model"  # mocks.app.MODEL (not imported: the server serves any Flask app)


def body_cap(app: Flask) -> int:
    """The largest body the app reads: its model's largest byte cap (Amplitude's defaults for
    an app without one)."""
    model = app.extensions.get(MODEL)
    limits: Limits = model.limits if model is not None else Limits()
    return max(limits.max_bytes_batch, limits.max_bytes_httpapi)


class JsonErrorTask(ErrorTask):  # type: ignore[misc]
    """Waitress's refusals as the mocks answer everything: JSON with an integer ``code``
    (Amplitude's own body for a 413)."""

    def execute(self) -> None:
        error = self.request.error
        too_large = payload_too_large()
        body = too_large.body if error.code == 413 else {"code": error.code, "error": error.reason}
        text = orjson.dumps(body)
        self.status = f"{error.code} {error.reason}"
        self.response_headers.append(("Content-Type", "application/json"))
        self.set_close_on_finish()
        self.content_length = len(text)
        self.write(text)


class TimedParser(HTTPRequestParser):  # type: ignore[misc]
    """A request parser that remembers when the request's first byte came."""

    def __init__(self, adj: Adjustments) -> None:
        super().__init__(adj)
        self.started = time.time()


class GuardedChannel(HTTPChannel):  # type: ignore[misc]
    error_task_class = JsonErrorTask
    parser_class = TimedParser


class GuardedServer(TcpWSGIServer):  # type: ignore[misc]
    """Waitress's TCP server with JSON refusals and a deadline per request."""

    channel_class = GuardedChannel
    request_timeout = REQUEST_TIMEOUT_S

    def maintenance(self, now: float) -> None:
        """Waitress closes idle connections; this also closes those whose request has been
        arriving for longer than ``request_timeout`` (slowloris: headers or body trickled)."""
        super().maintenance(now)
        cutoff = now - self.request_timeout
        for channel in list(self.active_channels.values()):
            partial = channel.request
            if not channel.requests and partial is not None and partial.started < cutoff:
                channel.will_close = True


class Server:
    """A waitress server for ``app``; ``start()`` runs it in a daemon thread."""

    def __init__(
        self,
        app: Flask,
        host: str = "127.0.0.1",
        port: int = 0,
        threads: int = DEFAULT_THREADS,
        *,
        request_timeout: float = REQUEST_TIMEOUT_S,
    ) -> None:
        self.app = app
        # Bound here, not by waitress: waitress starts its worker threads and opens its trigger
        # pipe before it binds, so a port already in use leaked all three (ResourceWarnings).
        listener = _listen(host, port)
        # The socket map is ours, so closing every socket in it needs no waitress internals.
        self._sockets: dict[int, Any] = {}
        self._server: Any = _guarded_server(
            app, listener, self._sockets, threads=threads, request_timeout=request_timeout
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
        try:
            self._server.trigger.pull_trigger(self._close_in_loop)
        except OSError:
            # The trigger pipe is already closed (seen once in CI: EBADF on its write end, the
            # loop having closed the trigger when its pipe reported a hang-up). The loop can no
            # longer be woken, so its sockets are closed from here; an empty map ends it.
            self._close_in_loop()
        thread.join(timeout=5)

    def _close_in_loop(self) -> None:
        """Stop the worker threads, then close every socket and the trigger pipe (all in the
        map: waitress's own ``close()`` leaves the trigger open). An empty map ends the loop."""
        self._server.task_dispatcher.shutdown()
        dispatchers = [*self._sockets.values(), self._server.trigger]
        wasyncore.close_all(self._sockets)
        for dispatcher in dispatchers:
            # A close() that failed half-way (the trigger's EBADF, ignored by close_all or raised
            # in the loop, which then dropped it from the map) left a descriptor of its own open;
            # closing an already closed socket or file wrapper is a no-op.
            if dispatcher.socket is not None:  # waitress drops a closed channel's socket
                dispatcher.socket.close()


def _guarded_server(
    app: Flask,
    listener: socket.socket,
    sockets: dict[int, Any],
    *,
    threads: int,
    request_timeout: float,
) -> GuardedServer:
    """What ``waitress.create_server`` builds for one socket, with the guarded classes."""
    adj = Adjustments(
        sockets=[listener],
        threads=threads,
        ident="currents-sim",
        expose_tracebacks=False,
        max_request_body_size=body_cap(app) + 1,  # waitress refuses sizes >= this
        connection_limit=CONNECTION_LIMIT,
        asyncore_use_poll=True,  # select() stops at descriptor 1024
        cleanup_interval=max(0.2, min(request_timeout / 4, 5.0)),
    )
    dispatcher = ThreadedTaskDispatcher()
    dispatcher.set_thread_count(threads)
    sockinfo = (listener.family, listener.type, listener.proto, listener.getsockname())
    server = GuardedServer(
        app, sockets, True, listener, dispatcher=dispatcher, adj=adj, bind_socket=False,
        sockinfo=sockinfo,
    )  # fmt: skip
    server.request_timeout = request_timeout
    return server


def _listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (SO_REUSEADDR, as waitress sets); OSError if the
    address is taken or not ours, with nothing left open."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=1024)
