"""Every command's options as its module declares them (``add_arguments``), read through a
recording stand-in for the parser: no reaching into argparse's private attributes."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from cli.main import COMMANDS


@dataclass(frozen=True)
class Option:
    command: str
    flags: tuple[str, ...]
    kwargs: dict[str, Any]


class _Recorder:
    def __init__(self, command: str, found: list[Option]) -> None:
        self.command, self.found = command, found

    def add_argument(self, *flags: str, **kwargs: Any) -> None:
        self.found.append(Option(self.command, flags, kwargs))

    def add_mutually_exclusive_group(self, **_: Any) -> _Recorder:
        return self

    def add_argument_group(self, *_: Any, **__: Any) -> _Recorder:
        return self


def options() -> list[Option]:
    found: list[Option] = []
    for command, module in COMMANDS.items():
        importlib.import_module(module).add_arguments(_Recorder(command, found))
    return found
