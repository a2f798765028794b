"""The entry point loads only the command it runs, and still knows every command."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cli.main import COMMANDS, build_parser, main

_PROBE = """
import sys
from cli.main import build_parser
build_parser("transform")
heavy = sorted(m for m in ("faker", "jsonschema", "flask", "locust", "simulator.connector",
                           "cli.generate", "cli.serve") if m in sys.modules)
print(",".join(heavy))
"""


def test_running_transform_imports_none_of_the_other_commands_modules() -> None:
    # A fresh interpreter: this test process has long since imported everything.
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True,
                         check=True).stdout.strip()  # fmt: skip
    assert out == ""


def test_a_single_command_parser_parses_that_commands_options() -> None:
    args = build_parser("transform").parse_args(["transform", "in.jsonl", "--profile", "glossary"])
    assert (args.inputs, args.profile) == (["in.jsonl"], "glossary")


def test_an_unknown_command_is_refused_with_the_full_list(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["no-such-command"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'no-such-command'" in err
    assert all(name in err for name in COMMANDS)


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    assert "transform" in capsys.readouterr().out
