"""`currents-sim conformance --received http://HOST:PORT --api-key K --secret-key S` reads what a
served mock received through its Export API: ingest -> export -> a clean report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import requests

from cli.main import main
from mocks.app import create_app
from mocks.server import Server
from simulator.transform import Transformed, transform
from tests.simulator.connector.helpers import record


def _send_transformed(mock: Any, tmp: Path, n: int = 40) -> Path:
    records = [record(i, 1_700_000_000 + i, f"device-{i % 7:04d}", f"user-{i % 7:04d}")
               for i in range(n)]  # fmt: skip
    produced = tmp / "produced.jsonl"
    produced.write_text("".join(json.dumps(r) + "\n" for r in records))
    events = []
    for r in records:
        result = transform(r)
        assert isinstance(result, Transformed)
        events.append(result.event)
    body = {"api_key": mock.api_key, "events": events}
    assert requests.post(mock.server_url, json=body, timeout=10).status_code == 200
    return produced


def _conformance(mock: Any, produced: Path, capsys: Any) -> tuple[int, Any]:
    code = main(["conformance", "--produced", str(produced), "--received", mock.url,
                 "--api-key", mock.api_key, "--secret-key", "any-secret", "--json"])  # fmt: skip
    return code, json.loads(capsys.readouterr().out)


def test_ingest_export_conformance_is_clean(amplitude_mock, tmp_path, capsys):
    produced = _send_transformed(amplitude_mock, tmp_path)
    code, doc = _conformance(amplitude_mock, produced, capsys)
    assert doc["expected"] == 40 and doc["matched"] == 40
    assert doc["missing"] == doc["extra"] == 0
    assert code == 0


def test_an_empty_export_reports_every_event_missing(amplitude_mock, tmp_path, capsys):
    produced = tmp_path / "produced.jsonl"
    produced.write_text(json.dumps(record(0, 1_700_000_000)) + "\n")
    code, doc = _conformance(amplitude_mock, produced, capsys)
    assert (code, doc["missing"]) == (1, 1)


def test_a_url_without_the_secret_key_is_a_usage_error(amplitude_mock, tmp_path, capsys):
    produced = tmp_path / "produced.jsonl"
    produced.write_text("")
    code = main(["conformance", "--produced", str(produced), "--received", amplitude_mock.url,
                 "--api-key", amplitude_mock.api_key])  # fmt: skip
    assert code == 2 and "--secret-key" in capsys.readouterr().err


def test_a_refused_export_is_a_one_line_error(tmp_path, capsys):
    produced = tmp_path / "produced.jsonl"
    produced.write_text("")
    app = create_app({"SECRET_KEYS": {"key-0001": "right-secret"}})
    with Server(app).start() as server:
        code = main(["conformance", "--produced", str(produced), "--received", server.url,
                     "--api-key", "key-0001", "--secret-key", "wrong-secret"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and "/api/2/export: HTTP 403" in err and len(err.splitlines()) == 1
