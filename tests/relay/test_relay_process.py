"""``currents-sim relay`` as a process: its URL on the first line, a clean stop on SIGTERM, and
nothing lost when it is killed with SIGKILL mid-stream and restarted on the same data dir."""

from __future__ import annotations

import signal
import socket
import sqlite3
import time
from pathlib import Path

import pytest
import requests

from cli.main import main
from relay.outbox import FILE_NAME
from tests.relay.helpers import (
    Process,
    batch,
    journal_ids,
    post,
    processes,
    relay_settled,
    wait_ingested,
)

KEY = "relay-durability-key-1"


def relay_args(mock_url: str, data_dir: Path, *extra: str) -> list[str]:
    return ["relay", "--listen", "127.0.0.1:0", "--amplitude", mock_url, "--api-key", KEY,
            "--data-dir", str(data_dir), "--flush", "0.1s", *extra]  # fmt: skip


def test_first_line_is_the_url_and_sigterm_exits_0(tmp_path: Path) -> None:
    with processes() as started:
        mock = Process("serve", "--port", "0", "--threads", "4")
        started.append(mock)
        relay = Process(*relay_args(mock.url, tmp_path))
        started.append(relay)
        assert relay.url.startswith("http://127.0.0.1:")
        assert requests.get(f"{relay.url}/health", timeout=10).status_code == 200
        assert relay.terminate() == 0
        assert "Traceback" not in relay.stderr


def test_without_a_data_dir_the_outbox_is_temporary_and_it_says_so() -> None:
    with processes() as started:
        relay = Process("relay", "--listen", "127.0.0.1:0", "--amplitude", "http://127.0.0.1:9",
                        "--api-key", KEY)  # fmt: skip
        started.append(relay)
        line = _stderr_line(relay)
        assert "a temporary outbox in" in line and "use --data-dir" in line
        folder = Path(line.split("a temporary outbox in ")[1].split(" ")[0])
        assert folder.is_dir()
        assert relay.terminate() == 0
        assert not folder.exists()  # removed on exit


def test_sigterm_lets_the_request_in_flight_finish_with_its_2xx(tmp_path: Path) -> None:
    """Half a request is on the wire when SIGTERM arrives: the relay stops accepting, serves
    that request to the end (its batch stored, its 200 sent), then exits 0."""
    body = batch(0, 100)
    with processes() as started:
        relay = Process(*relay_args("http://127.0.0.1:9", tmp_path))
        started.append(relay)
        host, port = relay.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as conn:
            head = f"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n\r\n"
            conn.sendall(head.encode() + body[:1000])
            time.sleep(0.3)  # the relay is reading this request
            relay.proc.send_signal(signal.SIGTERM)
            time.sleep(0.3)
            with pytest.raises(OSError):  # no longer accepting
                socket.create_connection((host, int(port)), timeout=2).close()
            conn.sendall(body[1000:])
            answer = conn.makefile("rb").read()
        assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
        assert b'"accepted":100' in answer
        assert relay.proc.wait(timeout=30) == 0
        relay.stop()
        with sqlite3.connect(tmp_path / FILE_NAME) as db:
            assert db.execute("SELECT events FROM outbox").fetchall() == [(100,)]
        db.close()


def test_killed_with_sigkill_mid_stream_and_restarted_loses_nothing(tmp_path: Path) -> None:
    """Amplitude answers 503 while the first relay runs, so every accepted batch is still in
    its outbox when it is killed; the restarted relay must deliver all of them, and the batches
    posted after the restart, each event ingested once."""
    with processes() as started:
        mock = Process("serve", "--port", "0", "--threads", "4")
        started.append(mock)
        fault = {"status": 503, "count": None, "api_key": KEY}
        requests.post(f"{mock.url}/_mock/faults", json=fault, timeout=10).raise_for_status()

        first = Process(*relay_args(mock.url, tmp_path))
        started.append(first)
        for start in range(0, 1000, 100):
            assert post(first.url, batch(start)).status_code == 200
        first.kill()  # no chance to flush anything

        requests.delete(f"{mock.url}/_mock/faults", timeout=10).raise_for_status()
        second = Process(*relay_args(mock.url, tmp_path))
        started.append(second)
        assert "replaying 1000 undelivered events" in _stderr_line(second)
        for start in range(1000, 1500, 100):
            assert post(second.url, batch(start)).status_code == 200
        wait_ingested(mock.url, KEY, 1500)
        ids = journal_ids(mock.url, KEY)
        assert sorted(ids) == [f"ev-{n:08d}" for n in range(1500)]
        assert second.terminate() == 0


def test_killed_while_delivering_and_restarted_ingests_each_event_once(tmp_path: Path) -> None:
    """Killed at an arbitrary point of a live stream: some batches may be delivered and not yet
    forgotten; the restart re-sends them and Amplitude's insert_id dedupe keeps one of each."""
    with processes() as started:
        mock = Process("serve", "--port", "0", "--threads", "4")
        started.append(mock)
        first = Process(*relay_args(mock.url, tmp_path))
        started.append(first)
        for start in range(0, 3000, 100):
            assert post(first.url, batch(start)).status_code == 200
        first.kill()
        second = Process(*relay_args(mock.url, tmp_path))
        started.append(second)
        wait_ingested(mock.url, KEY, 3000)
        assert sorted(journal_ids(mock.url, KEY)) == [f"ev-{n:08d}" for n in range(3000)]
        stats = relay_settled(second.url)
        assert stats["queued"] == 0


def _stderr_line(process: Process) -> str:
    assert process.proc.stderr is not None
    return process.proc.stderr.readline()


def test_a_bad_amplitude_url_is_one_line_and_exit_2(capsys, tmp_path: Path) -> None:
    code = main(["relay", "--listen", "127.0.0.1:0", "--amplitude", "ftp://x", "--api-key", "k",
                 "--data-dir", str(tmp_path)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("currents-sim: --amplitude") and err.count("\n") == 1


def test_a_bad_listen_address_is_one_line_and_exit_2(capsys) -> None:
    code = main(["relay", "--listen", "nowhere", "--amplitude", "http://127.0.0.1:1",
                 "--api-key", "k"])  # fmt: skip
    assert code == 2 and "--listen must be HOST:PORT" in capsys.readouterr().err


def test_an_unusable_data_dir_is_one_line_and_exit_2(capsys, tmp_path: Path) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    code = main(["relay", "--listen", "127.0.0.1:0", "--amplitude", "http://127.0.0.1:1",
                 "--api-key", "k", "--data-dir", str(not_a_dir)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("currents-sim: cannot open the outbox")
    assert err.count("\n") == 1


def test_a_taken_port_is_one_line_and_exit_2(capsys, tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        args = ["--amplitude", "http://127.0.0.1:1", "--api-key", "k", "--data-dir", str(tmp_path)]
        code = main(["relay", "--listen", f"127.0.0.1:{port}", *args])
    err = capsys.readouterr().err
    assert code == 2 and f"cannot listen on 127.0.0.1:{port}" in err and err.count("\n") == 1
