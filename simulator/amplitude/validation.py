"""Request and event checks of an upload, as data-driven hand-written code (fast on the hot path).

Rules from AMPLITUDE_API.md §2.2–§2.5 and §12.4 ([V2] event table, observed 400 bodies):
``event_type`` a non-empty string; one of ``user_id``/``device_id``, strings of at least
``min_id_length`` (default 5) characters and not a blocked value; ``time`` an integer; typed
optional fields of the [V2] table. Every failing index is listed (both SDKs drop exactly those
and resend the rest: Amplitude-Python ``processor.py``, analytics-core ``destination.js``).

Choices where the sources are silent (each documented so users can tell the mock from the real):
- an event with neither id goes to ``events_with_missing_fields`` under ``"user_id"``;
- a blocked id value goes to ``events_with_invalid_fields`` under its field;
- an element of ``events`` that is not an object goes to ``events_with_invalid_fields`` under
  ``"event"``; property objects nested deeper than 40 levels are invalid under their field.
JSON Schemas of the request bodies live in ``schemas/amplitude/`` for tests and tools; they are
not used here because per-event jsonschema validation is too slow for 50,000 events/s.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, partial
from itertools import chain, compress, product, repeat
from operator import is_not
from typing import Any, cast

from simulator.amplitude.limits import Limits

IDENTIFY = "$identify"
GROUP_IDENTIFY = "$groupidentify"

_STR: tuple[type, ...] = (str,)
_INT: tuple[type, ...] = (int,)
_NUM: tuple[type, ...] = (int, float)
_OBJ: tuple[type, ...] = (dict,)
_BOOL: tuple[type, ...] = (bool,)
_NAMES = {
    _STR: "a string",
    _INT: "an integer",
    _NUM: "a number",
    _OBJ: "an object",
    _BOOL: "a boolean",
}

# [V2] event table (AMPLITUDE_API.md §2.3): optional fields and their exact wire types (checked
# with ``type(v) in types``, so a JSON ``true`` is never an integer).
FIELD_TYPES: dict[str, tuple[type, ...]] = {
    **dict.fromkeys(
        [
            "app_version",
            "platform",
            "os_name",
            "os_version",
            "device_brand",
            "device_manufacturer",
            "device_model",
            "carrier",
            "country",
            "region",
            "city",
            "dma",
            "language",
            "user_agent",
            "productId",
            "revenueType",
            "currency",
            "ip",
            "idfa",
            "idfv",
            "adid",
            "android_id",
            "android_app_set_id",
            "insert_id",
            "partner_id",
            "library",
            "version_name",
        ],
        _STR,
    ),
    **dict.fromkeys(("time", "event_id", "session_id", "quantity"), _INT),
    **dict.fromkeys(("price", "revenue", "location_lat", "location_lng"), _NUM),
    **dict.fromkeys(
        [
            "event_properties",
            "user_properties",
            "groups",
            "group_properties",
            "plan",
            "ingestion_metadata",
        ],
        _OBJ,
    ),
    "$skip_user_properties_sync": _BOOL,
}
_NESTED = frozenset(("event_properties", "user_properties", "groups", "group_properties"))


def too_deep(value: Any, limit: int) -> bool:
    """True when containers nest deeper than ``limit`` levels (only containers are visited)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if type(item) is dict else item
        for child in children:
            if type(child) is dict or type(child) is list:
                stack.append((child, depth + 1))
    return False


@dataclass
class EventProblems:
    """Failing indices by category and field, in Amplitude's 400 shape."""

    invalid: dict[str, list[int]] = field(default_factory=dict)
    missing: dict[str, list[int]] = field(default_factory=dict)
    id_lengths: dict[str, list[int]] = field(default_factory=dict)
    reasons: dict[int, str] = field(default_factory=dict)

    def add(self, where: dict[str, list[int]], name: str, index: int, why: str) -> None:
        indices = where.setdefault(name, [])
        if not indices or indices[-1] != index:
            indices.append(index)
        self.reasons.setdefault(index, why)

    def __bool__(self) -> bool:
        return bool(self.reasons)

    def error(self) -> str:
        """The ``error`` string: field values first, then missing fields, then id lengths."""
        if self.invalid:
            return "Invalid field values on some events"
        if self.missing:
            return "Request missing required field"
        return "Invalid id length for user_id or device_id"

    def body_fields(self) -> dict[str, dict[str, list[int]]]:
        out = {}
        if self.invalid:
            out["events_with_invalid_fields"] = self.invalid
        if self.missing:
            out["events_with_missing_fields"] = self.missing
        if self.id_lengths:
            out["events_with_invalid_id_lengths"] = self.id_lengths
        return out


def min_id_length(options: Any, limits: Limits) -> int | None:
    """``options.min_id_length`` or the default; None when the value is not a usable integer or
    ``options`` is not an object. Null (options or min_id_length) is the default: Amplitude's
    own experiment-php-server SDK sends ``"options": {"min_id_length": null}`` when unset."""
    if options is None:
        return limits.min_id_length
    if not isinstance(options, dict):
        return None
    if options.get("min_id_length") is None:
        return limits.min_id_length
    value = options["min_id_length"]
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def _check_id(
    problems: EventProblems, name: str, value: Any, index: int, min_len: int, limits: Limits
) -> None:
    if not isinstance(value, str):
        problems.add(problems.invalid, name, index, f"{name} is not a string")
    elif value.lower() in limits.blocked_ids:
        problems.add(problems.invalid, name, index, f"{name} {value!r} is a blocked value")
    elif len(value) < min_len:
        problems.add(problems.id_lengths, name, index, f"{name} shorter than {min_len}")


IdPair = tuple[str | None, str | None]  # (device_id, user_id) when they are strings
# The ids of a request as two columns, (device_ids, user_ids), one entry per event: the throttle
# and dedupe read columns, so the fast path never builds (and they never split) per-event pairs.
IdColumns = tuple[list[str | None], list[str | None]]


def check_event(
    problems: EventProblems, index: int, event: Any, min_len: int, limits: Limits
) -> IdPair:
    """Add every problem of one event to ``problems``; return its ids for the throttle."""
    if type(event) is not dict:
        problems.add(problems.invalid, "event", index, "event is not a JSON object")
        return (None, None)
    event_type = event.get("event_type")
    if event_type is None:
        problems.add(problems.missing, "event_type", index, "event_type is missing")
    elif not isinstance(event_type, str) or not event_type:
        problems.add(problems.invalid, "event_type", index, "event_type is not a non-empty string")
    user_id, device_id = event.get("user_id"), event.get("device_id")
    exempt = event_type == GROUP_IDENTIFY and not limits.groupidentify_needs_id
    if user_id is None and device_id is None and not exempt:
        problems.add(problems.missing, "user_id", index, "neither user_id nor device_id")
    blocked = limits.blocked_ids
    # Fast path first: a string long enough and not blocked needs no further look.
    if user_id is not None and not (
        type(user_id) is str and len(user_id) >= min_len and user_id.lower() not in blocked
    ):
        _check_id(problems, "user_id", user_id, index, min_len, limits)
    if device_id is not None and not (
        type(device_id) is str and len(device_id) >= min_len and device_id.lower() not in blocked
    ):
        _check_id(problems, "device_id", device_id, index, min_len, limits)
    for name, value in event.items():
        types = FIELD_TYPES.get(name)
        if types is None or value is None:
            continue
        if type(value) not in types:
            problems.add(problems.invalid, name, index, f"{name} is not {_NAMES[types]}")
        elif types is _OBJ and name in _NESTED:
            for child in value.values():  # only look deeper when a container is inside
                if type(child) is dict or type(child) is list:
                    if too_deep(value, limits.max_nesting_depth):
                        why = f"{name} nests deeper than the limit"
                        problems.add(problems.invalid, name, index, why)
                    break
    return (
        device_id if type(device_id) is str else None,
        user_id if type(user_id) is str else None,
    )


def check_events(
    events: list[Any], min_len: int, limits: Limits
) -> tuple[EventProblems, IdColumns]:
    """Problems of every event of a request (all failing indices, in index order), and the
    device and user ids of the events as columns."""
    ids = all_valid_ids(events, min_len, limits)
    if ids is not None:
        return EventProblems(), ids
    problems = EventProblems()
    pairs = [
        check_event(problems, index, event, min_len, limits) for index, event in enumerate(events)
    ]
    return problems, ([d for d, _ in pairs], [u for _, u in pairs])


# -- fast path: a whole request checked column by column --------------------------------------
# Most requests are entirely valid. Checking them field by field runs Python code per field of
# each event; checking each field as a *column* (``map``/``set`` over all events, loops in C)
# decides "everything is valid" for a fraction of that. It only ever answers "all valid" or
# "don't know": any doubt (a wrong type, a short or blocked id, an event without ids, nested
# containers, a non-object event) runs the per-event check above, which alone reports problems.
_NONE = type(None)
_ALLOWED = {name: frozenset((*types, _NONE)) for name, types in FIELD_TYPES.items()}
_IDS_ALLOWED = frozenset((str, _NONE))
_present = partial(is_not, None)


def _column(events: list[dict[str, Any]], name: str) -> list[Any]:
    """``event.get(name)`` of every event."""
    return list(map(dict.get, events, repeat(name)))


def present_ids(column: Iterable[str | None]) -> list[str]:
    """The ids of a column that are there (None: the event has no such id), filtered in C.
    The throttle counts the same ids, so it calls this too."""
    return cast(list[str], list(filter(_present, column)))


def _ids_ok(
    values: list[Any], min_len: int, blocked: frozenset[str], spellings: frozenset[str] | None
) -> bool:
    """Every value (each None or a string) absent or long enough and not blocked
    (``spellings``: see ``blocked_spellings``)."""
    present = present_ids(values)
    if min(map(len, present), default=min_len) < min_len:
        return False
    if spellings is None:
        return blocked.isdisjoint(map(str.lower, present))
    return spellings.isdisjoint(present)


# -- blocked ids without ``str.lower``: every spelling of a blocked value, looked up as is -----
# ``value.lower() in blocked`` per id makes a new string and hashes it; looking the id itself
# up in the set of every string that lowers to a blocked value reuses the hash the throttle and
# dedupe tables need anyway. For ASCII values a character's spellings are itself, its upper
# case and (for "k") the Kelvin sign; the test scans all of Unicode for others. Values that are
# not ASCII, or with too many spellings, give None and the fast path steps aside
# (``check_event`` still uses ``str.lower``).
_MORE_SPELLINGS = {"k": "\u212a"}  # KELVIN SIGN lowers to "k"
MAX_SPELLINGS = 1 << 14


def char_spellings(char: str) -> str:
    """The characters that ``str.lower`` turns into the ASCII character ``char``."""
    return "".join(dict.fromkeys(char + char.upper() + _MORE_SPELLINGS.get(char, "")))


@cache
def blocked_spellings(blocked: frozenset[str]) -> frozenset[str] | None:
    """Every string whose ``lower()`` is in ``blocked`` (None when not computed cheaply)."""
    if not all(value.isascii() and value == value.lower() for value in blocked):
        return None
    choices = [[char_spellings(c) for c in value] for value in blocked]
    if sum(math.prod(map(len, chars)) for chars in choices) > MAX_SPELLINGS:
        return None
    return frozenset("".join(p) for chars in choices for p in product(*chars))


def _flat(column: list[Any]) -> bool:
    """No property object of the column (dicts or None) holds a container."""
    children = chain.from_iterable(map(dict.values, filter(None, column)))
    kinds = set(map(type, children))
    return dict not in kinds and list not in kinds


_CONTAINERS = frozenset((dict, list))


def _shallow(column: list[Any], limit: int) -> bool:
    """No property object of the column nests containers deeper than ``limit`` (generated
    events carry lists and objects in their properties: without this every request with one
    would step aside to the per-event check). Walks the whole column a depth at a time, each
    level filtered in C; ``too_deep`` is the same rule for one object."""
    level, depth = list(filter(None, column)), 1
    while True:
        children = list(chain.from_iterable(v.values() if type(v) is dict else v for v in level))
        level = list(compress(children, map(_CONTAINERS.__contains__, map(type, children))))
        if not level:
            return True
        depth += 1
        if depth > limit:
            return False


def all_valid_ids(events: list[Any], min_len: int, limits: Limits) -> IdColumns | None:
    """The device and user ids of the events when all are certainly valid, else None."""
    if set(map(type, events)) != {dict}:
        return None
    event_types = _column(events, "event_type")
    if set(map(type, event_types)) != {str} or not all(event_types):
        return None
    users, devices = _column(events, "user_id"), _column(events, "device_id")
    user_types, device_types = set(map(type, users)), set(map(type, devices))
    if not (user_types <= _IDS_ALLOWED and device_types <= _IDS_ALLOWED):
        return None
    # No id at all (the $groupidentify exemption is check_event's): only when both have gaps.
    if (
        _NONE in user_types
        and _NONE in device_types
        and (None, None) in zip(devices, users, strict=True)
    ):
        return None
    blocked = limits.blocked_ids
    spellings = blocked_spellings(blocked)
    if not (
        _ids_ok(users, min_len, blocked, spellings)
        and _ids_ok(devices, min_len, blocked, spellings)
    ):
        return None
    for name in set().union(*events).intersection(_ALLOWED):
        column = _column(events, name)
        if not set(map(type, column)) <= _ALLOWED[name]:
            return None
        if name in _NESTED and not _flat(column) and not _shallow(column, limits.max_nesting_depth):
            return None
    return devices, users
