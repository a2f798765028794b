"""What ``send --from`` reads (``cli.send_sources``): JSON Lines on stdin wrapped as envelopes,
Braze's own Custom HTTP samples as they are, its Avro samples as envelopes, and a line that is
not a Currents event as one line and exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest

from cli.main import main
from tests.cli.commands import send
from tests.senders.receiver import serve


def test_json_lines_from_stdin_are_sent_as_envelopes(tmp_path: Path) -> None:
    flat = {"event_type": "users.messages.email.Open", "id": "one", "time": 1700000000,
            "user_id": "u1", "external_user_id": "x1", "email_address": "a@b.c"}  # fmt: skip
    with serve() as receiver:
        result = send("--to", receiver.url, "--from", "-", stdin=orjson.dumps(flat) + b"\n")
    assert result.returncode == 0, result.stderr
    expected = {"event_type": "users.messages.email.Open", "id": "one", "time": 1700000000,
                "user": {"user_id": "u1", "external_user_id": "x1"},
                "properties": {"email_address": "a@b.c"}}  # fmt: skip
    assert receiver.events() == [expected]


def test_a_line_that_is_not_a_currents_event_is_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"nope": 1}\n')
    with serve() as receiver:
        result = send("--to", receiver.url, "--from", str(bad))
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        f"currents-sim: {bad}:1: not a Currents event (needs event_type and id)"
    ]


@pytest.mark.reference
def test_brazes_custom_http_samples_are_sent_as_they_are(
    reference_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = reference_dir / "sample-data" / "Custom HTTP"
    samples = {}
    for path in sorted(folder.rglob("*.json")):
        sample = json.loads(path.read_text(encoding="utf-8"))
        samples[sample["id"], sample["event_type"]] = sample
    with serve() as receiver:
        assert main(["send", "--to", receiver.url, "--from", str(folder)]) == 0
    got = {(e["id"], e["event_type"]): e for e in receiver.events()}
    assert got == samples


@pytest.mark.reference
def test_brazes_avro_samples_are_sent_as_envelopes(
    reference_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = reference_dir / "sample-data" / "Avro"
    with serve() as receiver:
        assert main(["send", "--to", receiver.url, "--from", str(folder), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    events = receiver.events()
    assert summary["acknowledged"] == len(events) >= 94
    assert {e["event_type"] for e in events} == {p.stem for p in folder.glob("*.avro")}
    assert all(set(e) == {"event_type", "id", "time", "user", "properties"} for e in events)
