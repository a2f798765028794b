"""The threaded waitress shell: it stops cleanly, however often it is started and stopped."""

from __future__ import annotations

import threading
import urllib.request

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
            assert server._thread is not None and not server._thread.is_alive()
    finally:
        threading.excepthook = previous
    assert [f.exc_value for f in failures] == []
