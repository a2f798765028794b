"""``currents-sim`` entry point: one sub-command per module, listed in ``COMMANDS``.

Each command module exposes ``HELP`` (one line), ``add_arguments(parser)`` and
``run(args) -> int``. Modules keep heavy imports (flask, locust, matplotlib) inside ``run`` so
that ``--help`` stays fast, and a run imports only its own command's module (``transform`` must
not pay for faker, jsonschema and the connector at start-up: on 100k lines that was a fifth of
the run). Exit codes: 0 ok, 1 findings, 2 usage or input error.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn

from cli.errors import CliError
from cli.outputs import take_not_written

# Command name -> module, imported only when its command is built (``--help`` stays fast).
COMMANDS: dict[str, str] = {
    "transform": "cli.transform",
    "validate": "cli.validate",
    "generate": "cli.generate",
    "serve": "cli.serve",
    "simulate": "cli.simulate",
    "load": "cli.load",
    "cohort-sync": "cli.cohort_sync",
    "conformance": "cli.conformance",
    "send": "cli.send",
    "relay": "cli.relay",
}


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line (``currents-sim: transform: argument ...``), exit 2."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix("currents-sim").strip()
        where = f"{command}: " if command else ""
        self.exit(2, f"currents-sim: {where}{message} (see {self.prog} --help)\n")


def _modules(names: Sequence[str]) -> dict[str, ModuleType]:
    return {name: importlib.import_module(COMMANDS[name]) for name in names}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser for every command, or for ``command`` alone (then only its module is
    imported; the full parser is still built for anything else, so help and errors list all)."""
    parser = _Parser(
        prog="currents-sim",
        description="Braze Currents -> Amplitude: reference transformer, generator, mocks, "
        "connector simulator, load scenarios.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    names = [command] if command in COMMANDS else list(COMMANDS)
    for name, module in _modules(names).items():
        p = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        p.set_defaults(run_command=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv[0] if argv else None)
    args = parser.parse_args(argv)
    take_not_written()  # a fresh account of cut-short outputs for this run
    try:
        code: int = args.run_command(args)
    except CliError as exc:
        print(f"currents-sim: {exc}{_not_written()}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"currents-sim: interrupted{_not_written()}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error worth a traceback.
        sys.stderr.close()
        return 0
    return code


def _not_written() -> str:
    names = take_not_written()
    return f"; not written: {', '.join(names)}" if names else ""


if __name__ == "__main__":
    sys.exit(main())
