"""``load --host`` on a served mock is a good neighbour, and Ctrl-C during ``load`` is one line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli.main import main
from tests.cli.commands import start_interruptible
from tests.cli.test_shared_mock import assert_real_time, mock, neighbour_sends, neighbour_total

__all__ = ["mock"]  # the served-mock fixture, shared with the other good-neighbour tests


def test_load_refuses_a_mock_other_keys_use_without_take_over(capsys, mock, tmp_path) -> None:
    neighbour_sends(mock)
    code = main(["load", "steady", "--host", mock, "--reports", str(tmp_path / "r")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "--take-over" in err
    assert neighbour_total(mock) == 1
    assert_real_time(mock)


@pytest.mark.load
def test_load_taking_over_keeps_the_neighbours_data_and_gives_the_clock_back(
    mock, tmp_path
) -> None:
    neighbour_sends(mock)
    argv = ["load", "steady", "--host", mock, "--take-over", "--duration", "5s",
            "--reports", str(tmp_path / "r")]  # fmt: skip
    done = subprocess.run([sys.executable, "-m", "cli", *argv], capture_output=True, text=True,
                          timeout=300)  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    assert (tmp_path / "r" / "steady" / "summary.json").is_file()
    assert neighbour_total(mock) == 1
    assert_real_time(mock)


@pytest.mark.load
def test_ctrl_c_during_load_is_one_line_and_leaves_no_report(tmp_path: Path) -> None:
    proc = start_interruptible(["load", "steady", "--reports", "r"], tmp_path)
    deadline = time.monotonic() + 120
    while not list((tmp_path / "r").glob(".steady.*.part/steady/locust*")):  # Locust is running
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.1)
    time.sleep(2)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err == "currents-sim: interrupted; not written: r/steady\n"
    assert "Traceback" not in out and "KeyboardInterrupt" not in out
    assert list((tmp_path / "r").iterdir()) == []
