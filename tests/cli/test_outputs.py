"""No command destroys its input; every file output is whole or absent (``cli.outputs``)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli.main import main
from tests.cli.commands import start_interruptible
from tests.cli.records import PUSH

REPO = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def events(tmp_path: Path) -> Path:
    path = tmp_path / "events.jsonl"
    path.write_text("".join(json.dumps({**PUSH, "id": f"e{i}"}) + "\n" for i in range(50)))
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_transform_refuses_to_write_over_its_input(capsys, events: Path) -> None:
    before = events.read_bytes()
    code, out, err = run(capsys, "transform", str(events), "-o", str(events))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "is also an input" in err
    assert events.read_bytes() == before


def test_an_output_reached_through_a_link_is_the_input_too(capsys, events: Path) -> None:
    before = events.read_bytes()
    (events.parent / "alias.jsonl").symlink_to(events)
    os.link(events, events.parent / "hard.jsonl")
    for alias in ("alias.jsonl", "hard.jsonl", f"../{events.parent.name}/events.jsonl"):
        code, _, err = run(capsys, "transform", str(events), "-o", str(events.parent / alias))
        assert code == 2 and "is also an input" in err, alias
    assert events.read_bytes() == before


def test_skipped_file_may_not_be_an_input_or_the_other_output(capsys, events: Path) -> None:
    before = events.read_bytes()
    code, _, err = run(capsys, "transform", str(events), "--skipped", str(events))
    assert code == 2 and "is also an input" in err
    out = events.parent / "out.jsonl"
    code, _, err = run(capsys, "transform", str(events), "-o", str(out), "--skipped", str(out))
    assert code == 2 and "given for two outputs" in err
    assert events.read_bytes() == before and not out.exists()


def test_an_output_inside_an_input_folder_is_refused(capsys, events: Path) -> None:
    code, _, err = run(
        capsys, "transform", str(events.parent), "-o", str(events.parent / "o.jsonl")
    )
    assert code == 2 and "is also an input" in err
    assert not (events.parent / "o.jsonl").exists()


def test_standard_output_appended_to_the_input_is_refused(events: Path) -> None:
    before = events.read_bytes()
    with events.open("ab") as sink:
        argv = [sys.executable, "-m", "cli", "transform", str(events)]
        done = subprocess.run(argv, stdout=sink, stderr=subprocess.PIPE, text=True, timeout=60)
    assert done.returncode == 2 and "standard output is the input" in done.stderr
    assert events.read_bytes() == before


def test_conformance_refuses_a_report_over_its_input(capsys, events: Path) -> None:
    before = events.read_bytes()
    received = events.parent / "received.jsonl"
    received.write_text("")
    for option in ("--html", "--junit"):
        code, _, err = run(capsys, "conformance", "--produced", str(events), "--received",
                           str(received), option, str(events))  # fmt: skip
        assert code == 2 and "is also an input" in err
    assert events.read_bytes() == before


def test_an_error_midway_leaves_no_output_and_says_so(capsys, events: Path) -> None:
    broken = events.parent / "broken.avro"
    broken.write_bytes(b"not avro at all")
    out = events.parent / "out.jsonl"
    code, _, err = run(capsys, "transform", str(events), str(broken), "-o", str(out))
    assert code == 2
    assert err.strip().endswith(f"not written: {out}") and err.count("\n") == 1
    assert not out.exists() and leftovers(events.parent) == []


def test_an_error_midway_keeps_the_previous_output(capsys, events: Path) -> None:
    broken = events.parent / "broken.avro"
    broken.write_bytes(b"not avro at all")
    out = events.parent / "out.jsonl"
    out.write_text("the previous run\n")
    assert run(capsys, "transform", str(events), str(broken), "-o", str(out))[0] == 2
    assert out.read_text() == "the previous run\n"


def test_a_complete_output_replaces_the_previous_one(capsys, events: Path) -> None:
    out = events.parent / "out.jsonl"
    out.write_text("the previous run\n")
    assert run(capsys, "transform", str(events), "-o", str(out))[0] == 0
    assert len(out.read_text().splitlines()) == 50 and leftovers(events.parent) == []


def _interrupt_when_started(argv: list[str], folder: Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI, press Ctrl-C (SIGINT to its process group) once its temporary exists."""
    proc = start_interruptible(argv, folder)
    deadline = time.monotonic() + 60
    while not any(p.name.endswith(".part") for p in folder.iterdir()):
        assert proc.poll() is None and time.monotonic() < deadline, "never started writing"
        time.sleep(0.05)
    time.sleep(0.3)  # some data written
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(argv, proc.returncode, out, err)


def test_ctrl_c_during_generate_leaves_no_output_and_says_so(tmp_path: Path) -> None:
    done = _interrupt_when_started(["generate", "-n", "5000000", "-o", "big.jsonl"], tmp_path)
    assert done.returncode == 130
    assert done.stderr == "currents-sim: interrupted; not written: big.jsonl\n"
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_during_an_avro_export_leaves_no_folder(tmp_path: Path) -> None:
    argv = ["generate", "-n", "5000000", "--format", "avro", "--out", "exp"]
    done = _interrupt_when_started(argv, tmp_path)
    assert done.returncode == 130
    assert done.stderr == "currents-sim: interrupted; not written: exp\n"
    assert list(tmp_path.iterdir()) == []


def _avro_files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*.avro")}


def test_a_second_avro_export_into_a_full_folder_needs_force(capsys, tmp_path: Path) -> None:
    exp, fresh = tmp_path / "exp", tmp_path / "fresh"
    assert run(capsys, "generate", "-n", "400", "--seed", "1", "--format", "avro", "--out",
               str(exp))[0] == 0  # fmt: skip
    first = _avro_files(exp)
    code, _, err = run(capsys, "generate", "-n", "300", "--seed", "2", "--format", "avro",
                       "--out", str(exp))  # fmt: skip
    assert code == 2 and "already holds files; give --force" in err
    assert _avro_files(exp) == first
    second = ["generate", "-n", "300", "--seed", "2", "--format", "avro", "--out"]
    assert run(capsys, *second, str(exp), "--force")[0] == 0
    assert run(capsys, *second, str(fresh))[0] == 0
    assert _avro_files(exp) == _avro_files(fresh) != first  # replaced whole: no blend
    assert leftovers(tmp_path) == []


def test_simulate_plots_refuse_a_full_folder_without_force(capsys, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    small = ["--events", "300", "--hours", "2h", "--strategy", "braze"]
    code, _, err = run(capsys, "simulate", "amplitude-5xx-storm", *small, "--plot", str(tmp_path))
    assert code == 2 and "already holds files" in err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_load_refuses_a_scenario_folder_holding_an_earlier_report(capsys, tmp_path) -> None:
    (tmp_path / "steady").mkdir()
    (tmp_path / "steady" / "summary.json").write_text("{}")
    code, _, err = run(capsys, "load", "steady", "--reports", str(tmp_path))
    assert code == 2 and "already holds files; give --force" in err
    assert (tmp_path / "steady" / "summary.json").read_text() == "{}"


def test_send_to_a_folder_refuses_a_full_one_and_replaces_it_with_force(capsys, tmp_path) -> None:
    out, old = tmp_path / "bucket", tmp_path / "bucket" / "earlier.avro"
    out.mkdir()
    old.write_bytes(b"an earlier run")
    code, _, err = run(capsys, "send", "--to-dir", str(out), "-n", "50")
    assert code == 2 and "already holds files; give --force" in err
    assert old.read_bytes() == b"an earlier run"
    assert run(capsys, "send", "--to-dir", str(out), "-n", "50", "--force")[0] == 0
    files = [p for p in out.rglob("*") if p.is_file()]
    assert files and old not in files  # replaced, not blended


def test_send_to_a_folder_holding_its_input_is_refused(capsys, events: Path) -> None:
    before = events.read_bytes()
    code, _, err = run(capsys, "send", "--to-dir", str(events.parent), "--from", str(events),
                       "--force")  # fmt: skip
    assert code == 2 and "is also an input" in err
    assert events.read_bytes() == before
