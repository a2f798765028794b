"""`currents-sim conformance`: inputs (JSONL, request bodies, Export API zips), outputs
(terminal, JSON, JUnit, HTML) and exit codes (0 clean, 1 a rule failed, 2 bad input)."""

from __future__ import annotations

import copy
import gzip
import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from cli.main import main
from simulator.conformance.rules import RULES
from tests.simulator.conformance.conftest import many_inputs, reference_output

HOSTILE = '<script>alert("x")</script> & ]]> \x01'


def jsonl(path: Path, rows: list[Any]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path, list[dict[str, Any]]]:
    produced = many_inputs(120)
    reference = reference_output(produced)
    return jsonl(tmp_path / "produced.jsonl", produced), tmp_path, reference


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["conformance", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_run_exits_0_with_a_terminal_summary(files: Any, capsys: Any) -> None:
    produced, tmp, reference = files
    received = jsonl(tmp / "received.jsonl", reference)
    code, out, _ = run(capsys, "--produced", str(produced), "--received", str(received))
    assert code == 0
    assert "conformance: clean" in out and "PASS  missing" in out
    assert "SKIP  throttle_pause" in out


def test_json_report_has_counts_and_one_entry_per_rule(files: Any, capsys: Any) -> None:
    produced, tmp, reference = files
    broken = copy.deepcopy(reference)
    broken[0]["time"] //= 1000
    del broken[1]
    broken.append(copy.deepcopy(broken[5]))
    received = jsonl(tmp / "received.jsonl", broken)
    code, out, err = run(capsys, "--produced", str(produced), "--received", str(received), "--json")
    assert code == 1
    report = json.loads(out)
    assert (report["missing"], report["extra"], report["duplicated"], report["mismatched"]) == (
        1,
        0,
        1,
        1,
    )
    assert [r["rule"] for r in report["rules"]] == [r.id for r in RULES]
    by_rule = {r["rule"]: r for r in report["rules"]}
    assert set(by_rule["time_unit"]) >= {"rule", "passed", "count", "examples"}
    assert by_rule["time_unit"]["passed"] is False and by_rule["time_unit"]["count"] == 1
    assert by_rule["time_unit"]["examples"][0]["event_id"] == reference[0]["insert_id"]
    assert (
        by_rule["throttle_pause"]["passed"] is None
        and "--mock" in by_rule["throttle_pause"]["skipped"]
    )
    assert "3 rule(s) failed" in err


def test_junit_has_one_testcase_per_rule_and_escapes(files: Any, capsys: Any) -> None:
    produced, tmp, reference = files
    broken = copy.deepcopy(reference)
    broken[0]["event_properties"][HOSTILE] = HOSTILE
    received = jsonl(tmp / "received.jsonl", broken)
    junit, page = tmp / "report.xml", tmp / "report.html"
    code, _, _ = run(capsys, "--produced", str(produced), "--received", str(received),
                     "--junit", str(junit), "--html", str(page))  # fmt: skip
    assert code == 1
    root = ElementTree.parse(junit).getroot()
    cases = root.findall(".//testcase")
    assert len(cases) == len(RULES)
    failed = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name", "").split(":")[0] for c in failed] == ["property_extra"]
    assert "<script>" in (failed[0].findtext("failure") or "")  # escaped in XML, intact once parsed
    assert len([c for c in cases if c.find("skipped") is not None]) == 6
    assert root.find("testsuite").get("failures") == "1"  # type: ignore[union-attr]
    html = page.read_text()
    assert html.startswith("<!DOCTYPE html>") and "<script>" not in html
    assert "&lt;script&gt;" in html and 'id="property_extra"' in html
    assert "http://" not in html and "https://" not in html  # self-contained


def export_line(event: dict[str, Any]) -> dict[str, Any]:
    """An Amplitude Export API line for an event that was sent through the HTTP API."""
    when = datetime.fromtimestamp(event["time"] / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    props = dict(event["event_properties"])
    if "productId" in event:
        props.update({"$productId": event["productId"], "$price": event["price"],
                      "$quantity": 1, "$revenue": event["price"]})  # fmt: skip
    return {
        "$insert_id": event["insert_id"], "amplitude_id": 1, "app": 187520, "uuid": "u",
        "event_type": event["event_type"], "event_time": when, "client_event_time": when,
        "server_upload_time": when, "user_id": event.get("user_id"),
        "device_id": event.get("device_id"), "library": event["library"],
        "idfa": event.get("idfa"), "adid": event.get("adid"), "event_properties": props,
        "user_properties": {}, "city": "Berlin", "platform": "iOS",
    }  # fmt: skip


def test_export_api_zip_of_gzipped_json_lines(files: Any, capsys: Any) -> None:
    produced, tmp, reference = files
    archive = tmp / "export.zip"
    half = len(reference) // 2
    with zipfile.ZipFile(archive, "w") as z:
        for n, chunk in enumerate((reference[:half], reference[half:])):
            body = "".join(json.dumps(export_line(e)) + "\n" for e in chunk).encode()
            z.writestr(f"187520/187520_2023-11-14_22#{n}.json.gz", gzip.compress(body))
    code, out, _ = run(capsys, "--produced", str(produced), "--received", str(archive), "--json")
    report = json.loads(out)
    assert code == 0, [r for r in report["rules"] if r["passed"] is False]
    assert report["matched"] == len(reference)


def test_http_shaped_produced_and_request_bodies(files: Any, capsys: Any) -> None:
    produced, tmp, reference = files
    bodies = jsonl(tmp / "bodies.jsonl", [{"api_key": "k", "events": reference[i : i + 7]}
                                          for i in range(0, len(reference), 7)])  # fmt: skip
    code, _, _ = run(capsys, "--produced", str(produced), "--received", str(bodies))
    assert code == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json\n", "received.jsonl:1: invalid JSON"), (None, "no such file")],
)
def test_bad_input_is_one_line_exit_2(files: Any, capsys: Any, content: str | None,
                                      message: str) -> None:  # fmt: skip
    produced, tmp, _ = files
    received = tmp / "received.jsonl"
    if content is not None:
        received.write_text(content)
    code, _, err = run(capsys, "--produced", str(produced), "--received", str(received))
    assert code == 2
    assert err.count("\n") == 1 and message in err


def test_a_memory_budget_that_is_not_positive_is_exit_2(files: Any, capsys: Any) -> None:
    produced, tmp, reference = files
    received = jsonl(tmp / "received.jsonl", reference)
    code, _, err = run(capsys, "--produced", str(produced), "--received", str(received),
                       "--memory", "0")  # fmt: skip
    assert code == 2 and err.count("\n") == 1 and "--memory" in err


def test_a_tiny_memory_budget_spills_gives_the_same_report_and_leaves_no_files(
    files: Any, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    produced, tmp, reference = files
    broken = copy.deepcopy(reference)
    broken[3]["time"] //= 1000
    del broken[7]
    received = jsonl(tmp / "received.jsonl", [*broken, broken[9]])
    spool = tmp / "spool"
    spool.mkdir()
    monkeypatch.setenv("TMPDIR", str(spool))
    monkeypatch.setattr("tempfile.tempdir", None)  # read TMPDIR again
    argv = ("--produced", str(produced), "--received", str(received), "--json")
    code, out, _ = run(capsys, *argv)
    tiny_code, tiny_out, _ = run(capsys, *argv, "--memory", "0.001")  # 1 KiB: spills
    assert code == tiny_code == 1 and json.loads(tiny_out) == json.loads(out)
    assert json.loads(out)["mismatched"] == 1
    assert list(spool.iterdir()) == []


def test_a_zip_that_is_not_a_zip_is_exit_2(files: Any, capsys: Any) -> None:
    produced, tmp, _ = files
    bad = tmp / "export.zip"
    bad.write_bytes(b"PK not really")
    code, _, err = run(capsys, "--produced", str(produced), "--received", str(bad))
    assert code == 2 and "not a zip archive" in err


def test_produced_from_stdin(files: Any, capsys: Any, monkeypatch: Any) -> None:
    produced, tmp, reference = files
    received = jsonl(tmp / "received.jsonl", reference)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(produced.read_bytes())))
    code, _, _ = run(capsys, "--produced", "-", "--received", str(received))
    assert code == 0


def test_produced_as_an_avro_storage_folder(tmp_path: Path, capsys: Any) -> None:
    from simulator.transform import Transformed, transform
    from tests.cli.records import NO_IDS, PUSH, avro_file

    folder = tmp_path / "event_type=push" / "date=2023-11-14-22"
    folder.mkdir(parents=True)
    avro_file(folder / "part.avro", PUSH["event_type"], [PUSH, NO_IDS])  # type: ignore[arg-type]
    sent = transform(PUSH)
    assert isinstance(sent, Transformed)
    received = jsonl(tmp_path / "received.jsonl", [sent.event])
    code, out, _ = run(capsys, "--produced", str(tmp_path / "event_type=push"),
                       "--received", str(received), "--json")  # fmt: skip
    report = json.loads(out)
    assert code == 0 and report["matched"] == 1 and report["skipped"] == {"no_ids": 1}
