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
