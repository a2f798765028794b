"""One duration grammar for every option that takes a duration (``cli.durations``): ``90s``,
``5m``, ``12h``, ``3d``, ``1h30m``; a bare number is seconds everywhere."""

from __future__ import annotations

import pytest

from cli import durations
from cli.main import build_parser
from cli.simulate import hours
from tests.cli.options import Option, options

GRAMMAR = {durations.duration, durations.positive_duration, hours}
DURATION_WORDS = ("duration", "outage", "hours", "horizon", "delay", "drain", "flush", "wait")


def _duration_options() -> list[Option]:
    return [
        option
        for option in options()
        if any(flag.startswith("--") for flag in option.flags)
        and any(word in option.flags[-1] for word in DURATION_WORDS)
        and option.kwargs.get("action") is None
    ]


def test_every_duration_option_uses_the_one_grammar() -> None:
    found = _duration_options()
    assert {(o.command, o.flags[-1]) for o in found} >= {
        ("generate", "--duration"), ("simulate", "--outage"), ("load", "--duration"),
        ("cohort-sync", "--duration"),
    }  # fmt: skip
    for option in found:
        assert option.kwargs.get("type") in GRAMMAR, f"{option.command} {option.flags[-1]}"


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
