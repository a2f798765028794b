"""One error style: every command, given a bad output path or a bad value, says so in one line
on stderr (``currents-sim: ...``), exits 2, prints no traceback and writes nothing.

The bad paths: a missing folder, a folder where a file is expected (or a file where a folder
is), and a place nothing can be written (``/proc/nope``). A missing parent folder is always
refused, never created.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.commands import assert_one_line_error, run
from tests.cli.records import PUSH

CONFORMANCE = ["conformance", "--produced", "{in}", "--received", "{in2}"]
RELAY = ["relay", "--api-key", "k", "--amplitude", "http://127.0.0.1:9"]
SIM = ["--events", "300", "--hours", "2h", "--strategy", "braze"]

# Each command's file and folder outputs: argv with {out} where the bad path goes.
FILE_OUTPUTS = {
    "transform -o": ["transform", "{in}", "-o", "{out}"],
    "transform --skipped": ["transform", "{in}", "--skipped", "{out}"],
    "generate -o": ["generate", "-n", "10", "-o", "{out}"],
    "generate --format http -o": ["generate", "-n", "10", "--format", "http", "-o", "{out}"],
    "conformance --html": [*CONFORMANCE, "--html", "{out}"],
    "conformance --junit": [*CONFORMANCE, "--junit", "{out}"],
}
FOLDER_OUTPUTS = {
    "generate --format avro --out": ["generate", "-n", "10", "--format", "avro", "--out", "{out}"],
    "simulate --plot": ["simulate", "amplitude-5xx-storm", *SIM, "--plot", "{out}"],
    "load --reports": ["load", "steady", "--reports", "{out}"],
    "send --to-dir": ["send", "--to-dir", "{out}", "-n", "10"],
}
BAD_FILE_PATHS = {
    "missing folder": ("{tmp}/no/such/dir/out.x", "no folder"),
    "a folder": ("{tmp}/a-folder", "is a folder"),
    "unwritable place": ("/proc/nope", "cannot write in /proc"),
}
BAD_FOLDER_PATHS = {
    "missing folder": ("{tmp}/no/such/dir/out", "no folder"),
    "a file": ("{tmp}/a-file", "is a file, not a folder"),
    "unwritable place": ("/proc/nope", "cannot write in /proc"),
}
BAD_VALUES = {
    "transform --profile": (["transform", "{in}", "--profile", "nope"], "invalid choice"),
    "validate --kind": (["validate", "{in}", "--kind", "nope"], "invalid choice"),
    "validate missing input": (["validate", "{tmp}/nope.jsonl"], "no such file"),
    "generate -n": (["generate", "-n", "many"], "whole number"),
    "generate --duration": (["generate", "--duration", "soon"], "not a duration"),
    "generate --format": (["generate", "--format", "xml"], "--format must be one of"),
    "simulate scenario": (["simulate", "nope"], "unknown scenario"),
    "simulate --outage": (["simulate", "credential-expiry", "--outage", "long"], "not a duration"),
    "simulate --events": (["simulate", "credential-expiry", "--events", "-3"], "must be > 0"),
    "load --duration": (["load", "steady", "--duration", "a while"], "not a duration"),
    "load --users": (["load", "steady", "--users", "0"], "--users >= 1"),
    "cohort-sync --duration": (["cohort-sync", "--duration", "later"], "not a duration"),
    "cohort-sync --users": (["cohort-sync", "--users", "0"], "--users must be >= 1"),
    "conformance --examples": (
        [*CONFORMANCE, "--examples", "-1"],
        "--examples must be >= 0",
    ),
    "serve --port": (["serve", "--port", "70000"], "--port must be within"),
    "serve --data-dir": (["serve", "--port", "0", "--data-dir", "/proc/nope"], "--data-dir"),
    "send --to": (["send", "--to", "notaurl", "-n", "1"], "not an http(s) URL"),
    "send --duration": (
        ["send", "--to", "http://127.0.0.1:9", "--duration", "soon"],
        "not a duration",
    ),
    "relay --listen": ([*RELAY, "--listen", "nope"], "--listen must be HOST:PORT"),
    "relay --horizon": ([*RELAY, "--horizon", "soon"], "not a duration"),
}


@pytest.fixture
def place(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "a-folder").mkdir()
    (tmp_path / "a-file").write_text("mine\n")
    (tmp_path / "in.jsonl").write_text(json.dumps(PUSH) + "\n")
    (tmp_path / "in2.jsonl").write_text("")
    return {"tmp": str(tmp_path), "in": str(tmp_path / "in.jsonl"),
            "in2": str(tmp_path / "in2.jsonl")}  # fmt: skip


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() if p.is_file() else b"" for p in sorted(folder.rglob("*"))}


def fill(argv: list[str], values: dict[str, str]) -> list[str]:
    return [arg.format(**values) for arg in argv]


@pytest.mark.parametrize("bad", BAD_FILE_PATHS)
@pytest.mark.parametrize("command", FILE_OUTPUTS)
def test_a_bad_file_output_is_one_line_and_exit_2(capsys, place, tmp_path, command, bad) -> None:
    path, expected = BAD_FILE_PATHS[bad]
    before = snapshot(tmp_path)
    argv = fill(FILE_OUTPUTS[command], {**place, "out": path.format(**place)})
    code, _, err = run(capsys, argv)
    assert_one_line_error(code, err, expected)
    assert snapshot(tmp_path) == before  # nothing written, nothing created


@pytest.mark.parametrize("bad", BAD_FOLDER_PATHS)
@pytest.mark.parametrize("command", FOLDER_OUTPUTS)
def test_a_bad_folder_output_is_one_line_and_exit_2(capsys, place, tmp_path, command, bad) -> None:
    path, expected = BAD_FOLDER_PATHS[bad]
    before = snapshot(tmp_path)
    argv = fill(FOLDER_OUTPUTS[command], {**place, "out": path.format(**place)})
    code, _, err = run(capsys, argv)
    assert_one_line_error(code, err, expected)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("case", BAD_VALUES)
def test_a_bad_value_is_one_line_and_exit_2(capsys, place, case) -> None:
    argv, expected = BAD_VALUES[case]
    code, out, err = run(capsys, fill(argv, place))
    assert_one_line_error(code, err, expected)
    assert out == ""


def test_every_command_with_outputs_is_covered() -> None:
    """A new command with an output option must join the tables above."""
    from tests.cli.options import options

    covered = {k.split()[0] for k in [*FILE_OUTPUTS, *FOLDER_OUTPUTS]}
    output_flags = {"-o", "--out", "--html", "--junit", "--plot", "--reports", "--skipped",
                    "--to-dir"}  # fmt: skip
    for option in options():
        if output_flags & set(option.flags):
            assert option.command in covered, f"{option.command} has outputs but no bad-path case"
