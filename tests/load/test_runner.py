"""The load runner (``load.runner``) against an endpoint that is not our mock (e.g. a proxy in
front of Amplitude): the connectors' own ledgers are the truth."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from cli.main import main


class _Amplitudeish(BaseHTTPRequestHandler):
    """Answers every upload 200 the way Amplitude does; has no /_mock API."""

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        reply = json.dumps(
            {
                "code": 200,
                "events_ingested": len(body["events"]),
                "payload_size_bytes": 1,
                "server_upload_time": 1,
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def do_GET(self) -> None:
        self.send_error(404)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def foreign() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Amplitudeish)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_scenarios_that_drive_the_mock_clock_refuse_a_foreign_host(
    foreign: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["load", "credential-expiry", "--host", foreign, "--print-config"]) == 2
    assert "drives the mock's clock and keys" in capsys.readouterr().err


def test_steady_against_a_foreign_host_reads_the_connectors_ledgers(
    foreign: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["load", "steady", "--host", foreign, "--print-config"]) == 0
    assert json.loads(capsys.readouterr().out)["truth"] == "client"


@pytest.mark.load
def test_steady_run_against_a_foreign_host_passes_on_client_truth(
    foreign: str, tmp_path: Path
) -> None:
    cmd = [
        sys.executable,
        "-m",
        "cli",
        "load",
        "steady",
        "--host",
        foreign,
        "--reports",
        str(tmp_path),
    ]
    code = subprocess.run(cmd, capture_output=True, text=True, timeout=300).returncode
    doc = json.loads((tmp_path / "steady" / "summary.json").read_text())
    assert code == 0, doc["breaches"]
    summary = doc["summary"]
    assert summary["truth"] == "client"
    assert summary["delivered"] == summary["produced"] - summary["skipped"] > 0
    assert summary["delay_p95_s"] >= 0


def test_local_workers_talk_to_their_master_on_loopback_and_a_free_port() -> None:
    # Locust's master binds *:5557 by default: two distributed runs at once collided.
    from load.runner import worker_args

    args = worker_args(2)
    options = dict(zip(args[::2], args[1::2], strict=True))
    assert options["--processes"] == "2" and options["--master-bind-host"] == "127.0.0.1"
    assert options["--master-bind-port"] == options["--master-port"] != "5557"
