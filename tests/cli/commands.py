"""Running a command as its user does (``cli.main.main``) and the one error style it keeps."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import main


def run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    """The exit code, stdout and stderr of ``currents-sim ARGV``."""
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code: int, err: str, expected: str = "") -> None:
    """Exit 2 and one line ``currents-sim: ...`` on stderr that says ``expected``."""
    assert code == 2
    assert err.startswith("currents-sim: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and expected in err, err


def send(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """``currents-sim send ARGS`` in a process of its own (``stdin`` piped in)."""
    command = [sys.executable, "-m", "cli.main", "send", *args]
    return subprocess.run(command, input=stdin, capture_output=True, timeout=120, check=False)


def _ctrl_c_as_on_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_interruptible(argv: list[str], cwd: Path | None = None) -> subprocess.Popen[str]:
    """``python -m cli ARGV`` in its own process group, for a test to press Ctrl-C
    (``os.killpg(proc.pid, signal.SIGINT)``). SIGINT starts at its default, as under a terminal:
    a test run launched in the background (``make test &``) ignores SIGINT, children inherit
    that, and Python then never raises ``KeyboardInterrupt``."""
    return subprocess.Popen(
        [sys.executable, "-m", "cli", *argv],
        cwd=cwd,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=_ctrl_c_as_on_a_terminal,
    )
