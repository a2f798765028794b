"""One grammar for every duration a user types: ``90s``, ``5m``, ``12h``, ``3d``, ``1h30m``,
``1d12h``, ``2.5h``; a bare number is seconds. Locust's ``--run-time`` forms (``40s``, ``5m``,
``1h30m``) are a subset, so one string means the same to every command.

Units may appear at most once each, largest first (``30m1h`` is refused: it is a typo more often
than an intention). Zero is allowed here; a command that needs a positive length says so.
"""

from __future__ import annotations

import math
import re

UNIT_SECONDS: dict[str, float] = {"d": 86_400.0, "h": 3_600.0, "m": 60.0, "s": 1.0}

_NUMBER = r"\d+(?:\.\d+)?"
_BARE = re.compile(rf"\s*({_NUMBER})\s*")
_PARTS = re.compile(
    rf"\s*(?:(?P<d>{_NUMBER})d)?(?:(?P<h>{_NUMBER})h)?(?:(?P<m>{_NUMBER})m)?(?:(?P<s>{_NUMBER})s)?\s*"
)

EXAMPLES = "90s, 5m, 12h, 3d, 1h30m or a number of seconds"


def parse_duration(text: str) -> float:
    """Seconds in ``text``; ValueError naming the accepted forms when it is not a duration."""
    bare = _BARE.fullmatch(text)
    if bare is not None:
        return _finite(float(bare.group(1)), text)
    parts = _PARTS.fullmatch(text)
    if parts is None or not any(parts.groupdict().values()):
        raise ValueError(f"not a duration: {text!r} (use {EXAMPLES})")
    total = sum(float(v) * UNIT_SECONDS[u] for u, v in parts.groupdict().items() if v is not None)
    return _finite(total, text)


def _finite(seconds: float, text: str) -> float:
    if not math.isfinite(seconds):
        raise ValueError(f"not a duration: {text!r} (use {EXAMPLES})")
    return seconds


def format_duration(seconds: float) -> str:
    """The shortest grammar form of a whole number of seconds (``5400`` -> ``1h30m``)."""
    if seconds < 0 or seconds != int(seconds):
        return f"{seconds:g}s"
    left, out = int(seconds), []
    for unit, size in UNIT_SECONDS.items():
        count, left = divmod(left, int(size))
        if count:
            out.append(f"{count}{unit}")
    return "".join(out) or "0s"


# Units a time axis reads in, largest first: an axis spanning at least three of a unit counts
# in it (a 72 h run in days, a 6 h outage in hours, a 45 s smoke in seconds).
AXIS_UNITS: tuple[tuple[str, float], ...] = (
    ("days", 86_400.0),
    ("hours", 3_600.0),
    ("minutes", 60.0),
    ("seconds", 1.0),
)
# Round steps (seconds) for binning counts over time, so a label reads "per 15 minutes".
ROUND_STEPS_S: tuple[float, ...] = (
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
)  # fmt: skip


def axis_unit(span_s: float) -> tuple[str, float]:
    """``(name, seconds)`` of the unit a time axis spanning ``span_s`` seconds reads best in."""
    for name, size in AXIS_UNITS:
        if span_s >= 3 * size:
            return name, size
    return AXIS_UNITS[-1]


def round_step(seconds: float) -> float:
    """The smallest round step of at least ``seconds`` (whole days beyond a day)."""
    for step in ROUND_STEPS_S:
        if step >= seconds:
            return float(step)
    return float(math.ceil(seconds / 86_400.0) * 86_400.0)


def describe_step(seconds: float) -> str:
    """``900`` -> ``15 minutes``, ``3600`` -> ``hour``, ``1`` -> ``second``, for axis labels."""
    for name, size in AXIS_UNITS:
        if seconds >= size and seconds % size == 0:
            count = int(seconds // size)
            return name[:-1] if count == 1 else f"{count} {name}"
    return f"{seconds:g} seconds"
