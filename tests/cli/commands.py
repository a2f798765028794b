"""Running a command as its user does (``cli.main.main``) and the one error style it keeps."""

from __future__ import annotations

import subprocess
import sys

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
