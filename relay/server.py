"""The relay on waitress, with a graceful stop: stop accepting, let the requests in flight finish
and their answers reach the client, then close.

Why not just close: waitress answers from its event loop (a worker thread queues the response
bytes and the loop sends them), so closing right after the workers finish could drop a 2xx for a
batch already stored, and Braze would send it again. ``stop()`` therefore closes the listening
socket, then closes each connection only once it has no request in progress and nothing left to
send (at most ``grace_s`` later).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from waitress import wasyncore
from waitress.server import create_server

THREADS = 8
RECV_BYTES = 65_536  # a 100-event batch (~32 KB) in one read, not four of waitress's 8 KB
POLL_S = 0.02


class Server:
    """A WSGI app on waitress; ``run()`` in the foreground, ``start()`` in a thread."""

    def __init__(
        self, app: Callable[..., Any], host: str, port: int, *, threads: int = THREADS
    ) -> None:
        # Bound here, not by waitress, so a taken port leaks no waitress threads (mocks/server.py).
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        listener = socket.create_server((host, port), family=family, backlog=1024)
        # The socket map is ours, so closing its sockets needs no waitress internals.
        self._sockets: dict[int, Any] = {}
        self._server: Any = create_server(
            app,
            map=self._sockets,
            sockets=[listener],
            threads=threads,
            ident="currents-relay",
            recv_bytes=RECV_BYTES,
            expose_tracebacks=False,
        )
        self.host, self.port = host, int(self._server.effective_port)
        self._thread: threading.Thread | None = None
        self._started = False
        self._stopping = threading.Event()
        self._stopped = threading.Event()
        self._loop_lock = threading.Lock()  # no trigger pulled once the loop closed it
        self._loop_closed = False

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def run(self) -> None:
        """Serve in this thread until ``stop()``."""
        self._started = True
        try:
            self._server.run()
        finally:
            self._stopped.set()

    def start(self) -> Server:
        self._started = True
        self._thread = threading.Thread(target=self.run, name="relay-server", daemon=True)
        self._thread.start()
        return self

    def stop(self, grace_s: float = 10.0) -> None:
        """Stop accepting, finish what is in flight, close. Safe from a signal handler (it only
        asks the loop; a watcher thread drives the rest) and safe to call twice."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        if not self._started:  # no loop to ask: close everything here
            self._server.task_dispatcher.shutdown()
            wasyncore.close_all(self._sockets)
            self._stopped.set()
            return
        deadline = time.monotonic() + grace_s
        self._server.trigger.pull_trigger(self._stop_accepting)
        threading.Thread(
            target=self._watch, args=(deadline,), name="relay-stop", daemon=True
        ).start()

    def wait(self, timeout_s: float | None = None) -> bool:
        """Until the server has stopped (True) or the timeout passed (False)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout_s)
            return not thread.is_alive()
        return self._stopped.wait(timeout_s)

    # -- in the loop's thread -------------------------------------------------------------------
    def _stop_accepting(self) -> None:
        wasyncore.dispatcher.close(self._server)  # the listener only (not waitress's trigger)

    def _watch(self, deadline: float) -> None:
        while not self._stopped.is_set():
            everything = time.monotonic() >= deadline
            with self._loop_lock:
                if self._loop_closed:  # its descriptor may already belong to another file
                    return
                self._server.trigger.pull_trigger(partial(self._close_idle, everything))
            self._stopped.wait(POLL_S)

    def _close_idle(self, everything: bool) -> None:
        """Close connections with no request in progress and nothing left to send (all of them
        once the grace period is over); with none left, stop the workers and end the loop."""
        trigger = self._server.trigger
        for channel in [c for c in list(self._sockets.values()) if c is not trigger]:
            busy = (
                getattr(channel, "request", None)  # a request being received
                or getattr(channel, "requests", None)  # received, being served
                or getattr(channel, "total_outbufs_len", 0)  # an answer not yet sent
            )
            if everything or not busy:
                channel.close()
        if all(c is trigger for c in self._sockets.values()):
            self._server.task_dispatcher.shutdown()
            # Not a blocking acquire: the watcher holds this lock while it pulls the trigger,
            # which waits for the trigger's own lock, held by waitress while it runs this thunk
            # (a deadlock that left the process alive after SIGTERM). Busy: its next pull retries.
            if not self._loop_lock.acquire(blocking=False):
                return
            try:
                self._loop_closed = True
                wasyncore.close_all(self._sockets)
            finally:
                self._loop_lock.release()
