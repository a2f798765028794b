"""One duration grammar for every option that takes a duration (``cli.durations``): ``90s``,
``5m``, ``12h``, ``3d``, ``1h30m``; a bare number is seconds everywhere."""

from __future__ import annotations

import argparse

import pytest

from cli import durations
from cli.main import build_parser
from cli.simulate import hours

GRAMMAR = {durations.duration, durations.positive_duration, hours}
DURATION_WORDS = ("duration", "outage", "hours", "horizon", "delay", "drain", "flush", "wait")


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def _duration_actions() -> list[tuple[str, argparse.Action]]:
    return [
        (name, action)
        for name, command in _commands().items()
        for action in command._actions
        if any(word in action.dest for word in DURATION_WORDS)
        and action.option_strings
        and not isinstance(action, argparse._StoreTrueAction)
    ]


def test_every_duration_option_uses_the_one_grammar() -> None:
    found = _duration_actions()
    assert {(n, a.option_strings[-1]) for n, a in found} >= {
        ("generate", "--duration"), ("simulate", "--outage"), ("load", "--duration"),
        ("cohort-sync", "--duration"),
    }  # fmt: skip
    for name, action in found:
        assert action.type in GRAMMAR, f"{name} {action.option_strings[-1]}"


@pytest.mark.parametrize(
    ("command", "option", "dest"),
    [
        ("generate", "--duration", "duration"),
        ("load", "--duration", "duration"),
        ("cohort-sync", "--duration", "duration"),
    ],
)
def test_a_bare_number_is_seconds_and_units_combine(command, option, dest) -> None:
    parser = build_parser(command)
    extra = ["steady"] if command == "load" else []
    assert getattr(parser.parse_args([command, *extra, option, "90"]), dest) == 90.0
    assert getattr(parser.parse_args([command, *extra, option, "1h30m"]), dest) == 5400.0


def test_simulate_outage_60_means_a_minute_not_sixty_hours() -> None:
    args = build_parser("simulate").parse_args(["simulate", "credential-expiry", "--outage", "60"])
    assert args.outage == pytest.approx(1 / 60)  # hours, the scenario's unit: one minute
