"""Refusal at the socket (``mocks/server.py``), against ``currents-sim serve``: an oversize
declaration is answered before its body is read, a chunked body is cut off at the cap, slow
clients are timed out, and none of them takes a worker thread from ingestion."""

from __future__ import annotations

import socket
import time
from urllib.parse import urlsplit

import orjson
import requests

from simulator.amplitude.errors import payload_too_large

CAP = 20_000_000  # Amplitude's /batch cap, the largest body the mock reads


def _connect(url: str) -> socket.socket:
    parts = urlsplit(url)
    return socket.create_connection((parts.hostname, parts.port), timeout=5)


def _read_response(sock: socket.socket) -> tuple[int, bytes]:
    """(status, body) of one response read until the server closes the connection."""
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def _headers(url: str, extra: str) -> bytes:
    host = urlsplit(url).netloc
    return (f"POST /batch HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"{extra}\r\n").encode()  # fmt: skip


def test_a_50_mb_declaration_is_refused_with_amplitudes_413_before_the_body(served):
    started = time.monotonic()
    with _connect(served) as sock:
        sock.sendall(_headers(served, "Content-Length: 52428800\r\n") + b'{"api_key": "k"')
        status, body = _read_response(sock)
    assert status == 413
    assert orjson.loads(body) == payload_too_large().body
    assert time.monotonic() - started < 5  # the answer came with no body sent: not a timing test


def test_a_chunked_body_is_cut_off_at_the_cap_while_it_is_read(served):
    chunk = b"x" * 1_000_000
    sent = 0
    with _connect(served) as sock:
        sock.sendall(_headers(served, "Transfer-Encoding: chunked\r\n"))
        try:
            while sent < 2 * CAP:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        status, body = _read_response(sock)
    assert status == 413 and orjson.loads(body)["code"] == 413
    assert sent < 2 * CAP  # the server stopped reading: the client could not send it all


def test_trickled_headers_are_closed_after_the_request_timeout(serve):
    url = serve("--request-timeout", "1s")
    with _connect(url) as sock:
        sock.sendall(b"POST /batch HTTP/1.1\r\n")
        closed_after = None
        started = time.monotonic()
        for _ in range(80):
            time.sleep(0.25)
            try:
                sock.sendall(b"X-Slow: 1\r\n")
            except (BrokenPipeError, ConnectionResetError):
                closed_after = time.monotonic() - started
                break
        assert closed_after is not None, "a trickling client was never cut off"


def test_slow_clients_take_no_worker_thread_from_ingestion(serve):
    url = serve("--threads", "2")
    slow = [_connect(url) for _ in range(20)]
    try:
        for sock in slow:  # headers in, body promised but never sent
            sock.sendall(_headers(url, "Content-Length: 100\r\n") + b'{"api_key"')
        event = {"event_type": "e", "device_id": "device-0001"}
        answer = requests.post(
            f"{url}/2/httpapi", json={"api_key": "key-fast", "events": [event]}, timeout=5
        )
    finally:
        for sock in slow:
            sock.close()
    assert answer.json()["code"] == 200
