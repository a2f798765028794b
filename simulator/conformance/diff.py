"""Field-level comparison of one received Amplitude event with the reference's.

``diff_event(expected, received)`` returns at most one ``(rule, explanation)`` per rule, each
difference attributed to the single most specific rule, in this order:

1. ``field_moved``: a key that sits top level in one event and inside ``event_properties`` in
   the other with the same value (``productId`` / ``price`` moved into properties); the moved
   key is then ignored by every later rule, so one move is one finding;
2. ``event_type_prefix`` vs ``event_type_name``: a prefix problem only when the expected name
   survives intact after a different prefix made of bracket groups (``[appboy] Email Open``);
3. ``user_id``, ``device_id``;
4. ``time_unit`` (value ~1000x off) vs ``time_value`` (any other difference);
5. ``top_level_field`` for every other top-level key;
6. properties: a missing key whose value arrived under another key is ``property_renamed``
   (same key up to case first, then same value); what is left is ``property_missing`` /
   ``property_extra``; common keys are ``property_mistyped`` (JSON type differs) or
   ``property_value``.

Numbers compare by value (``1`` equals ``1.0``) but never equal a boolean.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from simulator.currents.catalogue import APPBOY, CUSTOM_EVENT_PREFIX, type_for_amplitude_name

Difference = tuple[str, str]

_MISSING: Any = object()
# Keys compared by a dedicated rule (or the identity of the event itself).
_DEDICATED = frozenset({"event_type", "user_id", "device_id", "time", "insert_id"})
_PREFIX_SHAPE = re.compile(r"^(\s*\[[^\]]*\]\s*)+$")
_MAX_VALUE = 60


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def same(a: Any, b: Any) -> bool:
    """JSON equality: same type and value; ``1 == 1.0``; ``True != 1``."""
    if a is _MISSING or b is _MISSING:
        return a is b
    ta, tb = json_type(a), json_type(b)
    if ta != tb:
        return False
    if ta == "array":
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if ta == "object":
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return bool(a == b)


def show(value: Any) -> str:
    """A short, one-line rendering of a value for explanations."""
    if value is _MISSING:
        return "(absent)"
    text = repr(value)
    return text if len(text) <= _MAX_VALUE else text[: _MAX_VALUE - 1] + "…"


def diff_event(expected: dict[str, Any], received: dict[str, Any]) -> list[Difference]:
    exp_props = _props(expected)
    got_props = _props(received)
    found: list[Difference] = []
    moved = _moved(expected, received, exp_props, got_props)
    if moved:
        found.append(("field_moved", "; ".join(text for _, text in moved)))
    moved_keys = {key for key, _ in moved}
    for check in (_event_type, _user_id, _device_id, _time):
        difference = check(expected, received, moved_keys)
        if difference is not None:
            found.append(difference)
    top = _top_level(expected, received, moved_keys)
    if not isinstance(got_props, dict):  # one finding: the properties' keys are not compared
        top.append(f"event_properties is {json_type(got_props)}, expected object")
        got_props = exp_props
    if top:
        found.append(("top_level_field", "; ".join(top)))
    exp_props = {k: v for k, v in exp_props.items() if k not in moved_keys}
    got_props = {k: v for k, v in got_props.items() if k not in moved_keys}
    found.extend(_properties(exp_props, got_props))
    return found


def _props(event: dict[str, Any]) -> Any:
    props = event.get("event_properties", _MISSING)
    return {} if props is _MISSING or props is None else props


def _moved(
    expected: dict[str, Any], received: dict[str, Any], exp_props: Any, got_props: Any
) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if isinstance(got_props, dict):
        for key, value in expected.items():
            if key in ("event_type", "event_properties", "insert_id") or key in received:
                continue
            if key in got_props and key not in exp_props and same(got_props[key], value):
                out.append((key, f"{key} is inside event_properties, expected top level"))
    if isinstance(exp_props, dict):
        for key, value in exp_props.items():
            got_inside = isinstance(got_props, dict) and key in got_props
            if not got_inside and key not in expected and same(received.get(key, _MISSING), value):
                out.append((key, f"{key} is top level, expected inside event_properties"))
    return out


def _split_prefix(name: str) -> tuple[str, str]:
    for prefix in (CUSTOM_EVENT_PREFIX, APPBOY):
        if name.startswith(prefix):
            return prefix, name[len(prefix) :]
    return "", name


def _event_type(
    expected: dict[str, Any], received: dict[str, Any], _: set[str]
) -> Difference | None:
    exp, got = expected.get("event_type"), received.get("event_type", _MISSING)
    if same(exp, got):
        return None
    if not isinstance(got, str) or not isinstance(exp, str):
        return "event_type_name", f"event_type is {show(got)}, expected {show(exp)}"
    prefix, name = _split_prefix(exp)
    if prefix and name and got.endswith(name):
        got_prefix = got[: len(got) - len(name)]
        if got_prefix.casefold() == prefix.casefold():
            how = "lowercased" if got_prefix == prefix.lower() else "differs in case"
            return "event_type_prefix", f"prefix {how}: {got!r}, expected {exp!r}"
        if not got_prefix or _PREFIX_SHAPE.match(got_prefix):
            what = "missing" if not got_prefix else f"{got_prefix.strip()!r}"
            return "event_type_prefix", f"prefix {what}: {got!r}, expected {exp!r}"
    hint = ""
    source = type_for_amplitude_name(got)
    if source is not None and source == type_for_amplitude_name(exp):
        hint = " (the other naming profile's name)"
    return "event_type_name", f"event_type {show(got)}, expected {exp!r}{hint}"


# What an identifier's difference says, by case: (sent where the reference sends none, missing,
# another value). ``{got}`` is the received value as shown, ``{exp}`` the expected one's repr.
_ID_MESSAGES = {
    "user_id": (
        "user_id {got} sent for an anonymous user (no external id)",
        "user_id missing, expected the external id {exp}",
        "user_id {got}, expected the external id {exp}",
    ),
    "device_id": (
        "device_id {got} sent, the reference sends none",
        "device_id missing, expected {exp}",
        "device_id {got}, expected {exp}",
    ),
}


def _identifier(
    key: str, expected: dict[str, Any], received: dict[str, Any], moved: set[str]
) -> Difference | None:
    exp, got = expected.get(key, _MISSING), received.get(key, _MISSING)
    if key in moved or same(exp, got):
        return None
    extra, missing, other = _ID_MESSAGES[key]
    if exp is _MISSING:
        text = extra
    elif got is _MISSING or got is None:
        text = missing
    else:
        text = other
    return key, text.format(got=show(got), exp=repr(exp))


_user_id = partial(_identifier, "user_id")
_device_id = partial(_identifier, "device_id")


def _time(expected: dict[str, Any], received: dict[str, Any], moved: set[str]) -> Difference | None:
    exp, got = expected.get("time", _MISSING), received.get("time", _MISSING)
    if "time" in moved or same(exp, got):
        return None
    numeric = json_type(got) == "number" and json_type(exp) == "number"
    if numeric and got > 0 and exp > 0:
        ratio = exp / got
        if 900 <= ratio <= 1100:
            return "time_unit", f"time {got} looks like seconds, expected milliseconds {exp}"
        if 1 / 1100 <= ratio <= 1 / 900:
            return "time_unit", f"time {got} looks like microseconds, expected milliseconds {exp}"
    if numeric:
        return "time_value", f"time {got}, expected {exp} ({got - exp:+} ms)"
    return "time_value", f"time is {show(got)}, expected {show(exp)}"


def _top_level(expected: dict[str, Any], received: dict[str, Any], moved: set[str]) -> list[str]:
    out = []
    skip = _DEDICATED | moved | {"event_properties"}
    for key in [*expected, *(k for k in received if k not in expected)]:
        if key in skip:
            continue
        exp, got = expected.get(key, _MISSING), received.get(key, _MISSING)
        if same(exp, got):
            continue
        if got is _MISSING:
            out.append(f"{key} missing (expected {show(exp)})")
        elif exp is _MISSING:
            out.append(f"unexpected {key}={show(got)}")
        else:
            out.append(f"{key} {show(got)}, expected {show(exp)}")
    return out


def _properties(exp: dict[str, Any], got: dict[str, Any]) -> list[Difference]:
    missing = [k for k in exp if k not in got]
    extra = [k for k in got if k not in exp]
    renamed: list[str] = []
    for key in list(missing):
        match = next((x for x in extra if x.casefold() == key.casefold()), None)
        if match is None:
            match = next((x for x in extra if same(got[x], exp[key])), None)
        if match is not None:
            renamed.append(f"{key!r} arrived as {match!r}")
            missing.remove(key)
            extra.remove(match)
    mistyped, changed = [], []
    for key in exp:
        if key in got and not same(exp[key], got[key]):
            te, tg = json_type(exp[key]), json_type(got[key])
            if te != tg:
                mistyped.append(f"{key!r} is {tg} {show(got[key])}, expected {te} {show(exp[key])}")
            else:
                changed.append(f"{key!r} is {show(got[key])}, expected {show(exp[key])}")
    out: list[Difference] = []
    if missing:
        out.append(("property_missing", "missing " + ", ".join(repr(k) for k in missing)))
    if extra:
        out.append(("property_extra", "unexpected " + ", ".join(repr(k) for k in extra)))
    if renamed:
        out.append(("property_renamed", "; ".join(renamed)))
    if mistyped:
        out.append(("property_mistyped", "; ".join(mistyped)))
    if changed:
        out.append(("property_value", "; ".join(changed)))
    return out
