"""Every number and string the admin API (``/_mock``) accepts, bounded in ONE table.

Why: a value taken unchecked can poison state for every later caller (an ``expires_at`` of
1e77 ms made each ``GET /_mock/keys`` fail to render) or hold a server thread for ever (a
``timeout_s`` of 1.7e16). Each parameter is read through ``read`` at the edge, once, and a bad
value is a 400 that names the field and its allowed range. ``mocks/openapi.json`` states the
same bounds (``tests/hostile/test_admin_bounds.py`` checks that the two agree).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

# The largest time the mock accepts, in ms: 9999-12-31T23:59:59.999Z (beyond it dates stop
# rendering; any later value would be an error, not a time).
MAX_TIME_MS = 253_402_300_799_999
MAX_WAIT_S = 300.0  # the longest POST /_mock/wait holds its server thread
MAX_LATENCY_MS = 60_000  # the longest injected latency (a thread sleeps that long)
MAX_LIMIT = 10_000  # entries per page
MAX_STRING = 1024  # characters of any string parameter (keys, ids, filters)
MAX_TEXT = 65_536  # characters of a fault's text body
MAX_COUNT = 1_000_000_000
TEN_YEARS_S = 10 * 366 * 86_400

Kind = Literal["integer", "number", "string"]
KIND_WORDS = {"integer": "an integer", "number": "a number", "string": "a string"}


class BadParam(ValueError):
    """A parameter outside its bounds; the message names the field and its allowed range."""


@dataclass(frozen=True)
class Bound:
    """What one parameter may be: its JSON type and inclusive range (a string's: its length)."""

    kind: Kind
    low: float
    high: float
    unit: str = ""

    def describe(self, name: str) -> str:
        what = "a string of length" if self.kind == "string" else KIND_WORDS[self.kind]
        unit = f" {self.unit}" if self.unit else ""
        return f"{name} must be {what} within [{_num(self.low)}, {_num(self.high)}]{unit}"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


STRING = Bound("string", 0, MAX_STRING, "characters")
KEY = Bound("string", 1, MAX_STRING, "characters")

# One row per parameter name of the admin API (query or JSON body).
PARAMS: dict[str, Bound] = {
    "limit": Bound("integer", 1, MAX_LIMIT),
    "cursor": Bound("integer", 0, 2**63 - 1),
    "count": Bound("integer", 0, MAX_COUNT, "events"),
    "timeout_s": Bound("number", 0, MAX_WAIT_S, "seconds"),
    "set": Bound("number", 0, MAX_TIME_MS, "ms since the epoch"),
    "advance_s": Bound("number", 0, TEN_YEARS_S, "seconds"),
    "scale": Bound("number", 0, 1_000_000, "x real time"),
    "expires_at": Bound("number", 0, MAX_TIME_MS, "ms since the epoch"),
    "restores_at": Bound("number", 0, MAX_TIME_MS, "ms since the epoch"),
    "key": KEY,
    # The dashboard's views (/_mock/journal, /_mock/limits).
    "from_ms": Bound("integer", 0, MAX_TIME_MS, "ms since the epoch"),
    "to_ms": Bound("integer", 0, MAX_TIME_MS, "ms since the epoch"),
    "before": Bound("integer", 0, 2**63 - 1),
    "since": Bound("integer", 0, 2**63 - 1),  # /_mock/stream: replay after this seq
    "n": Bound("integer", 1, 100, "ids of each kind"),
    **dict.fromkeys(
        ("api_key", "user_id", "device_id", "event_type", "insert_id", "outcome"), STRING
    ),
    **dict.fromkeys(("group_type", "group_value", "endpoint"), STRING),
}

# A fault rule's fields (``POST /_mock/faults``): ``count`` differs from wait's (>= 1).
FAULT_PARAMS: dict[str, Bound] = {
    "status": Bound("integer", 100, 599),
    "latency_ms": Bound("integer", 0, MAX_LATENCY_MS, "ms"),
    "count": Bound("integer", 1, MAX_COUNT, "responses"),
    "probability": Bound("number", 0, 1),
    "text": Bound("string", 0, MAX_TEXT, "characters"),
    "api_key": STRING,
    "endpoint": STRING,
}


def read(
    source: Mapping[str, Any],
    name: str,
    default: Any = None,
    *,
    table: Mapping[str, Bound] = PARAMS,
) -> Any:
    """``source[name]`` checked against its row (``default`` when absent or null); a query
    string's text is parsed as the row's kind. Raises ``BadParam``."""
    value = source.get(name)
    if value is None:
        return default
    return check(name, value, table[name])


def check(name: str, value: Any, bound: Bound) -> Any:
    """``value`` as ``bound``'s kind, or ``BadParam`` naming ``name`` and its range."""
    parsed = _parse(value, bound.kind)
    size = len(parsed) if isinstance(parsed, str) else parsed
    if parsed is None or not bound.low <= size <= bound.high:
        raise BadParam(bound.describe(name))
    return parsed


def _parse(value: Any, kind: Kind) -> Any:
    """The value as ``kind`` (None when it is not one); text is parsed (query strings)."""
    if kind == "string":
        return value if isinstance(value, str) else None
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = _from_text(value)
    if kind == "integer":  # JSON Schema's integer: 3.0 is one
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value if isinstance(value, int) else None
    if isinstance(value, int | float) and math.isfinite(value):
        return value
    return None


def _from_text(text: str) -> int | float | None:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return None
