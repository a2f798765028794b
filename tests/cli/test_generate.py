"""``currents-sim generate``: outputs, layout, determinism and one-line errors."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import fastavro
import orjson
import pytest

import schemas
from cli.generate import DEFAULT_START
from cli.main import main
from simulator.generator import generate
from simulator.generator.avro import event_type_of
from simulator.transform import Skipped, Transformed, transform
from tests.cli.commands import assert_one_line_error, run


def _lines(path: Path) -> list[dict[str, object]]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def test_flat_jsonl_to_a_file_is_valid_and_ordered(tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    assert main(["generate", "-n", "500", "--seed", "4", "--out", str(out)]) == 0
    events = _lines(out)
    assert len(events) == 500
    times = [e["time"] for e in events]
    assert times == sorted(times)
    start = int(datetime.fromisoformat(DEFAULT_START).timestamp())  # fixed, not the wall clock
    assert all(start <= t < start + 3600 for t in times)  # type: ignore[operator]
    for e in events:
        assert schemas.validate(f"currents/flat/{e['event_type']}", e) == []


@pytest.mark.parametrize("mix", ["default", "misconfigured"])
def test_flat_lines_are_the_generated_records_encoded(tmp_path: Path, mix: str) -> None:
    """The flat format is written without building records (``generate_lines``): same bytes."""
    out = tmp_path / "events.jsonl"
    assert main(["generate", "-n", "4000", "--seed", "6", "--mix", mix, "--out", str(out)]) == 0
    start = datetime.fromisoformat(DEFAULT_START).timestamp()
    records = generate(4000, seed=6, start=start, mix=mix)
    assert out.read_bytes() == b"".join(orjson.dumps(e) + b"\n" for e in records)


def test_http_format_writes_envelopes(tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    assert main(["generate", "-n", "300", "--format", "http", "--out", str(out)]) == 0
    for e in _lines(out):
        assert schemas.validate(f"currents/http/{e['event_type']}", e) == []


def test_stdout_is_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "-n", "7", "--seed", "1"]) == 0
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 7
    assert captured.err == ""  # no progress bar when stderr is not a terminal


def test_same_seed_gives_identical_bytes_and_other_seeds_differ(tmp_path: Path) -> None:
    outputs = []
    for name, seed in (("a", "9"), ("b", "9"), ("c", "10")):
        out = tmp_path / f"{name}.jsonl"
        args = ["generate", "-n", "800", "--seed", seed, "--mix", "messaging", "--out", str(out)]
        assert main(args) == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0] != outputs[2]


def _avro_tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.avro"))}


def test_avro_layout_round_trips_and_is_deterministic(tmp_path: Path) -> None:
    args = ["generate", "-n", "1500", "--seed", "3", "--format", "avro", "--duration", "2h"]
    assert main([*args, "--out", str(tmp_path / "one")]) == 0
    assert main([*args, "--out", str(tmp_path / "two")]) == 0
    tree = _avro_tree(tmp_path / "one")
    assert tree == _avro_tree(tmp_path / "two")
    total, hours = 0, set()
    for relative in tree:
        type_part, date_part, filename = Path(relative).parts
        event_type = type_part.removeprefix("event_type=")
        hours.add(date_part)
        assert date_part.startswith("date=2024-01-01-0")
        assert filename.startswith("dataexport.prod-01.S3.integration.") and filename.endswith(
            ".avro"
        )
        with (tmp_path / "one" / relative).open("rb") as fo:
            reader = fastavro.reader(fo)
            assert event_type_of(reader.writer_schema["name"]) == event_type
            for record in reader:
                record["event_type"] = event_type
                assert isinstance(transform(record), Transformed | Skipped)
                assert schemas.validate(f"currents/flat/{event_type}", record) == []
                total += 1
    assert total == 1500
    assert hours == {"date=2024-01-01-00", "date=2024-01-01-01"}


def test_identity_flags_set_the_shares(tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    args = ["generate", "-n", "400", "--identified", "0", "--anonymous", "0", "--no-ids", "1"]
    assert main([*args, "--out", str(out)]) == 0
    assert all(isinstance(transform(e), Skipped) for e in _lines(out))


@pytest.mark.parametrize(
    "args",
    [
        ["-n", "ten"],
        ["-n", "-1"],
        ["--seed", "x"],
        ["--format", "xml"],
        ["--mix", "nope"],
        ["--start", "yesterday"],
        ["--duration", "0"],
        ["--duration", "1 week"],
        ["--identified", "0.5", "--anonymous", "0.1"],
        ["--identified", "2"],
        ["--format", "avro"],
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, ["generate", *args])  # argparse's type checks included
    assert_one_line_error(code, err)


def test_small_quota_run_explains_what_it_needs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "-n", "50", "--mix", "quota"]) == 0
    assert "521000" in capsys.readouterr().err


def test_progress_bar_only_on_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    out = tmp_path / "events.jsonl"
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["generate", "-n", "10000", "--mix", "behaviors", "--out", str(out)]) == 0
    assert "10.0k/10.0k" in capsys.readouterr().err
    assert len(out.read_bytes().splitlines()) == 10_000
