"""Reading records (``cli.inputs``) as the commands do: stdin, Avro storage files and folders,
and a missing or unreadable input as one line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from cli.main import main
from tests.cli.records import NO_IDS, PUSH, avro_file


def test_transform_reads_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO((json.dumps(PUSH) + "\n").encode()))
    monkeypatch.setattr("sys.stdin", stdin)
    assert main(["transform", "-"]) == 0
    assert "Push Notification Send" in capsys.readouterr().out


def test_transform_reads_avro_storage_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = avro_file(tmp_path / "part.avro", PUSH["event_type"], [PUSH, NO_IDS])  # type: ignore[arg-type]
    assert main(["transform", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and json.loads(out[0])["insert_id"] == "e1"
    assert src.exists()


def test_missing_input_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["transform", "no/such.jsonl"]) == 2
    assert (
        capsys.readouterr().err.strip() == "currents-sim: no/such.jsonl: no such file or directory"
    )


def test_unreadable_avro_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.avro"
    bad.write_bytes(b"not avro at all")
    assert main(["transform", str(bad)]) == 2
    assert "not a readable Avro file" in capsys.readouterr().err
