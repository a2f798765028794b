"""Commands that drive a served mock are good neighbours: ``simulate --url`` and ``cohort-sync
--url`` touch only their own keys' data, refuse a mock other keys use unless ``--take-over``, and
put the clock back (speed and offset) when they end, also on Ctrl-C; ``POST /_mock/reset`` gives
real time back; an address that is not a URL, not listening or not HTTP is refused at once."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest
import requests

from cli.main import main
from mocks.app import create_app
from mocks.server import Server
from tests.cli.commands import start_interruptible

NEIGHBOUR = "neighbour-key"
SIMULATE = ["simulate", "amplitude-5xx-storm", "--events", "300", "--hours", "2h",
            "--strategy", "braze"]  # fmt: skip
COHORT = ["cohort-sync", "--duration", "3h", "--users", "10"]
WALL_SLACK_MS = 30_000  # the restored clock reads wall time give or take a slow machine


@pytest.fixture
def mock() -> Iterator[str]:
    server = Server(create_app(), "127.0.0.1", 0).start()
    try:
        yield server.url
    finally:
        server.close()


def neighbour_sends(url: str) -> None:
    event = {"user_id": "user-0001", "event_type": "Signed Up", "insert_id": "n-1"}
    answer = requests.post(f"{url}/2/httpapi", json={"api_key": NEIGHBOUR, "events": [event]},
                           timeout=10)  # fmt: skip
    assert answer.status_code == 200


def neighbour_total(url: str) -> int:
    page = requests.get(f"{url}/_mock/events", params={"api_key": NEIGHBOUR}, timeout=10).json()
    return len(page["events"])


def clock(url: str) -> dict[str, float]:
    found: dict[str, float] = requests.get(f"{url}/_mock/clock", timeout=10).json()
    return found


def assert_real_time(url: str) -> None:
    state = clock(url)
    assert state["scale"] == 1.0
    assert abs(state["now_ms"] - time.time() * 1000) < WALL_SLACK_MS


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err


@pytest.mark.parametrize("command", [SIMULATE, COHORT], ids=["simulate", "cohort-sync"])
def test_a_mock_other_keys_use_is_refused_without_take_over(capsys, mock, command) -> None:
    neighbour_sends(mock)
    code, err = run(capsys, *command, "--url", mock)
    assert code == 2 and err.count("\n") == 1
    assert "other API keys use this mock (neighbour-key)" in err and "--take-over" in err
    assert neighbour_total(mock) == 1
    assert_real_time(mock)


@pytest.mark.parametrize("command", [SIMULATE, COHORT], ids=["simulate", "cohort-sync"])
def test_taking_over_keeps_the_neighbours_data_and_gives_the_clock_back(
    capsys, mock, command
) -> None:
    neighbour_sends(mock)
    code, _ = run(capsys, *command, "--url", mock, "--take-over")
    assert code in (0, 1)  # 1: cohort-sync's one-time disagreement is a finding, not an error
    assert neighbour_total(mock) == 1
    assert_real_time(mock)


def test_a_moved_clock_is_put_back_with_its_own_speed_and_offset(capsys, mock) -> None:
    requests.post(f"{mock}/_mock/clock", json={"set": 1_000_000_000_000, "scale": 2.0}, timeout=10)
    started = time.monotonic()
    assert run(capsys, *SIMULATE, "--url", mock)[0] == 0
    expected = 1_000_000_000_000 + (time.monotonic() - started) * 2000
    state = clock(mock)
    assert state["scale"] == 2.0 and abs(state["now_ms"] - expected) < WALL_SLACK_MS


def test_ctrl_c_during_simulate_url_gives_the_clock_back(mock) -> None:
    argv = [*SIMULATE[:2], "--events", "200000", "--hours", "72h", "--url", mock]
    proc = start_interruptible(argv)
    deadline = time.monotonic() + 60
    while clock(mock)["scale"] != 0.0:  # the run has frozen the clock: it is driving it
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and err == "currents-sim: interrupted\n"
    assert_real_time(mock)


def test_a_full_reset_gives_real_time_back(mock) -> None:
    requests.post(f"{mock}/_mock/clock", json={"set": 0, "scale": 0}, timeout=10)
    assert requests.post(f"{mock}/_mock/reset", json={}, timeout=10).status_code == 200
    assert_real_time(mock)


def test_a_keys_reset_leaves_the_shared_clock_alone(mock) -> None:
    requests.post(f"{mock}/_mock/clock", json={"set": 0, "scale": 0}, timeout=10)
    requests.post(f"{mock}/_mock/reset", json={"api_key": "k"}, timeout=10)
    assert clock(mock) == {"now_ms": 0, "scale": 0.0}


@pytest.fixture
def closed_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"  # closed again when it returns


@pytest.fixture
def not_http() -> Iterator[str]:
    """A port that speaks something else (an SSH-like banner, then silence)."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()
    held: list[socket.socket] = []

    def serve() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            conn.sendall(b"SSH-2.0-OpenSSH_9.2\r\n")
            held.append(conn)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        server.close()


ADDRESS_OPTIONS = {
    "simulate --url": [*SIMULATE, "--url"],
    "cohort-sync --url": [*COHORT, "--url"],
    "load --host": ["load", "steady", "--host"],
}


@pytest.mark.parametrize("option", ADDRESS_OPTIONS)
@pytest.mark.parametrize("address", ["closed_port", "not_http", "notaurl"])
def test_an_address_that_is_no_http_server_is_refused_at_once(
    request, tmp_path, option, address
) -> None:
    url = address if address == "notaurl" else request.getfixturevalue(address)
    argv = [sys.executable, "-m", "cli", *ADDRESS_OPTIONS[option], url]
    # Generous for a loaded machine; a run that tried its luck would take far longer.
    done = subprocess.run(argv, capture_output=True, text=True, timeout=20, cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("currents-sim: ") and done.stderr.count("\n") == 1, done.stderr
    assert list(tmp_path.iterdir()) == []
