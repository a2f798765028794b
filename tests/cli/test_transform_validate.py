"""`currents-sim transform` and `validate`: streams, formats, error lines and exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import fastavro
import pytest

from cli.main import main
from simulator.currents.catalogue import spec

PUSH = {
    "event_type": "users.messages.pushnotification.Send",
    "id": "e1",
    "user_id": "b1",
    "external_user_id": "user-1",
    "app_id": "a1",
    "time": 1_700_000_000,
    "platform": "ios",
}
NO_IDS = {**PUSH, "id": "e2", "external_user_id": None}
PROFILE = {
    "event_type": "users.profile.Update",
    "id": "e3",
    "user_id": "b",
    "time": 1,
    "time_ms": 1000,
    "update_source": "sdk",
}


def jsonl(path: Path, *lines: object) -> Path:
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines))
    return path


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


def test_transform_reads_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO((json.dumps(PUSH) + "\n").encode()))
    monkeypatch.setattr("sys.stdin", stdin)
    assert main(["transform", "-"]) == 0
    assert "Push Notification Send" in capsys.readouterr().out


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


def avro_file(path: Path, event_type: str, records: list[dict[str, object]]) -> Path:
    row = spec(event_type)
    namespace, _, name = f"dataexport.S3.inner.{event_type}".rpartition(".")

    def avro_type(f: object) -> object:
        t = {"string[]": {"type": "array", "items": "string"}}.get(f.type, f.type)  # type: ignore[attr-defined]
        return ["null", t] if f.nullable else t  # type: ignore[attr-defined]

    schema = {
        "type": "record",
        "name": name,
        "namespace": namespace,
        "fields": [{"name": f.name, "type": avro_type(f)} for f in row.fields],
    }
    full = [{f.name: r.get(f.name) for f in row.fields} for r in records]
    with path.open("wb") as stream:
        fastavro.writer(stream, fastavro.parse_schema(schema), full)
    return path


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


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    assert "transform" in capsys.readouterr().out
