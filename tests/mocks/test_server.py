"""The threaded waitress shell: it stops cleanly, however often it is started and stopped."""

from __future__ import annotations

import os
import threading
import urllib.request

import pytest
from flask import Flask

from mocks.server import Server


def _tiny_app() -> Flask:
    app = Flask("tiny")
    app.add_url_rule("/", "hello", lambda: "ok")
    return app


def test_closing_a_running_server_raises_nothing_in_its_thread() -> None:
    failures: list[threading.ExceptHookArgs] = []
    previous = threading.excepthook
    threading.excepthook = failures.append
    try:
        for _ in range(20):  # the old close() raced the loop's select(): EBADF now and then
            server = Server(_tiny_app()).start()
            with urllib.request.urlopen(server.url + "/", timeout=5) as response:
                assert response.read() == b"ok"
            server.close()
            assert not server.serving
    finally:
        threading.excepthook = previous
    assert [f.exc_value for f in failures] == []


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_a_taken_port_raises_oserror_and_leaves_no_thread_or_descriptor_open() -> None:
    with Server(_tiny_app()) as taken:
        threads, fds = threading.active_count(), _open_fds()
        with pytest.raises(OSError):
            Server(_tiny_app(), port=taken.port)
        assert (threading.active_count(), _open_fds()) == (threads, fds)


def test_closing_a_server_that_never_ran_closes_its_socket_and_trigger() -> None:
    fds = _open_fds()
    server = Server(_tiny_app())
    server.close()
    assert _open_fds() == fds  # while it is still referenced: not left to the GC to close


def _pipe_write_ends(fds: set[str]) -> list[int]:
    """The descriptors among ``fds`` that are the write end of a pipe (from /proc)."""
    ends = []
    for fd in fds:
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
            with open(f"/proc/self/fdinfo/{fd}") as info:
                flags = int(info.read().split("flags:")[1].split()[0], 8)
        except FileNotFoundError:
            continue  # the descriptor listdir itself used
        if target.startswith("pipe:") and flags & os.O_WRONLY:
            ends.append(int(fd))
    return ends


def test_a_server_whose_wake_up_pipe_was_closed_under_it_still_closes() -> None:
    # Seen once in CI: close() failed with EBADF writing to waitress's trigger pipe. Closing the
    # pipe's write end from outside reproduces it; close() must still stop the server.
    before = set(os.listdir("/proc/self/fd"))
    server = Server(_tiny_app()).start()
    (write_end,) = _pipe_write_ends(set(os.listdir("/proc/self/fd")) - before)
    os.close(write_end)
    server.close()
    assert not server.serving
