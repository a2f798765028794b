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
