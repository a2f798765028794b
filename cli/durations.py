"""Argparse types over the one duration grammar (``simulator.durations``)."""

from __future__ import annotations

import argparse

from simulator.durations import parse_duration


def duration(text: str) -> float:
    """``--x 1h30m`` -> 5400.0; argparse reports a bad value as a usage error (exit 2)."""
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def positive_duration(text: str) -> float:
    seconds = duration(text)
    if seconds <= 0:
        raise argparse.ArgumentTypeError(f"must be longer than zero: {text!r}")
    return seconds
