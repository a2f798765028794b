"""`currents-sim transform`: streams, formats, error lines and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.main import main
from tests.cli.records import NO_IDS, PROFILE, PUSH, jsonl


def test_transform_writes_amplitude_events_as_json_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = jsonl(tmp_path / "in.jsonl", PUSH, NO_IDS, PROFILE)
    assert main(["transform", str(src)]) == 0
    out, err = capsys.readouterr()
    events = [json.loads(line) for line in out.splitlines()]
    assert [e["event_type"] for e in events] == ["[Appboy] Push Notification Send"]
    assert "1 transformed" in err and "no_ids: 1" in err and "not_exported: 1" in err


def test_transform_reports_a_malformed_line_and_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = jsonl(tmp_path / "in.jsonl", PUSH, "{broken", {**PUSH, "id": "e9"})
    assert main(["transform", str(src)]) == 2
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 2
    assert f"{src}:2: invalid JSON" in err


def test_transform_flags_unknown_types_with_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = jsonl(tmp_path / "in.jsonl", PUSH, {**PUSH, "event_type": "users.messages.pigeon.Send"})
    assert main(["transform", str(src)]) == 1
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 1 and f"{src}:2: users.messages.pigeon.Send" in err


def test_transform_writes_skips_to_a_file(tmp_path: Path) -> None:
    src = jsonl(tmp_path / "in.jsonl", PUSH, NO_IDS)
    skipped, out = tmp_path / "skipped.jsonl", tmp_path / "out.jsonl"
    assert main(["transform", str(src), "-o", str(out), "--skipped", str(skipped)]) == 0
    row = json.loads(skipped.read_text())
    assert (row["id"], row["code"], row["line"]) == ("e2", "no_ids", 2)
    assert len(out.read_text().splitlines()) == 1


def test_transform_glossary_profile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record = {
        "event_type": "users.campaigns.Conversion",
        "id": "e1",
        "user_id": "b",
        "external_user_id": "user-1",
        "time": 1,
        "campaign_id": "c",
    }
    src = jsonl(tmp_path / "in.jsonl", record)
    assert main(["transform", str(src), "--profile", "glossary"]) == 0
    assert json.loads(capsys.readouterr().out)["event_type"] == "[Appboy] Campaign Conversion"
