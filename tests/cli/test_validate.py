"""`currents-sim validate`: one line per invalid record (file, line, type, path, message), exit
codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.main import main
from tests.cli.records import PROFILE, PUSH, jsonl


def test_validate_prints_file_line_type_path_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = jsonl(tmp_path / "in.jsonl", PUSH, {**PUSH, "platform": 7})
    assert main(["validate", str(src)]) == 1
    out = capsys.readouterr().out.strip()
    assert (
        out == f"{src}:2: users.messages.pushnotification.Send: platform: 7 is not of type 'string'"
    )


def test_validate_accepts_valid_records_with_exit_0(tmp_path: Path) -> None:
    assert main(["validate", str(jsonl(tmp_path / "in.jsonl", PUSH, PROFILE))]) == 0


def test_validate_amplitude_events_and_request_bodies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = {
        "event_type": "[Appboy] Push Notification Send",
        "insert_id": "e1",
        "time": 1000,
        "library": "Braze",
        "user_id": "user-1",
        "event_properties": {"app_id": "a", "platform": "ios"},
    }
    bad = {**good, "event_type": "[appboy] Push Notification Send"}
    src = jsonl(tmp_path / "amp.jsonl", good, {"api_key": "k", "events": [good, bad]})
    assert main(["validate", "--kind", "amplitude", str(src)]) == 1
    out = capsys.readouterr().out
    assert f"{src}:2: [appboy] Push Notification Send: events/1/event_type" in out


def test_validate_unknown_type_is_an_invalid_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = jsonl(tmp_path / "in.jsonl", {"event_type": "users.x.Y", "id": "e"})
    assert main(["validate", str(src)]) == 1
    assert "unknown Currents event type" in capsys.readouterr().out
