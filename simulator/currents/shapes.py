"""The two JSON shapes of one Currents event, and conversion between them.

- **flat**: the storage record (Avro field names at top level; the ``properties`` of custom
  events and purchases is a JSON-encoded string) plus an ``event_type`` key in JSON Lines.
- **http**: the Custom HTTP connector envelope ``{event_type, id, time, user: {user_id,
  external_user_id, device_id, timezone}, properties: {...}}`` where the custom/purchase
  properties are objects named ``custom_properties`` / ``purchase_properties``.

Source: BRAZE_CURRENTS.md §3.1 ([CCC-*], [CX-HTTP]); DESIGN.md §3.
"""

from __future__ import annotations

import json
import math
from typing import Any, Literal

from simulator.currents.catalogue import CUSTOM_EVENT, PURCHASE, USER_BLOCK

Shape = Literal["flat", "http"]

# The JSON-string field of the flat record and the object that replaces it in the envelope.
PROPERTY_OBJECTS = {CUSTOM_EVENT: "custom_properties", PURCHASE: "purchase_properties"}
_ENVELOPE_TOP = ("event_type", "id", "time")
# json.dumps(value, separators=(",", ":"), ensure_ascii=False) without building an encoder a call.
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
# The integers orjson decodes as integers (a larger one comes back a float).
_INT_MIN, _INT_MAX = -(2**63), 2**64 - 1
_MAX_DEPTH = 64  # deeper objects are re-encoded the slow way (orjson stops at 1024 levels)


def detect_shape(record: dict[str, Any]) -> Shape:
    """``http`` when the record has the envelope's ``user`` and ``properties`` objects."""
    if isinstance(record.get("user"), dict) and isinstance(record.get("properties"), dict):
        return "http"
    return "flat"


def http_to_flat(record: dict[str, Any]) -> dict[str, Any]:
    """The envelope as a flat record; custom/purchase properties re-encoded as a JSON string."""
    event_type = record.get("event_type")
    flat: dict[str, Any] = {k: record[k] for k in _ENVELOPE_TOP if k in record}
    flat.update(record["user"])
    props = record["properties"]
    object_key = PROPERTY_OBJECTS.get(event_type) if isinstance(event_type, str) else None
    for key, value in props.items():
        if key == object_key:
            flat["properties"] = _ENCODER.encode(value)
        else:
            flat[key] = value
    return flat


def http_to_flat_decoded(record: dict[str, Any]) -> dict[str, Any]:
    """``http_to_flat``, except that the custom/purchase properties object stays an object (a
    dict) when encoding it as JSON text and decoding that text would give the same dict back.

    For the transformer (``simulator.transform``), which decodes that text at once: on a stream
    parsed from JSON text every object qualifies, and the encode/decode pair cost more than the
    rest of the transform. Anything else (a non-string key, NaN, an integer beyond 64 bits, a
    lone surrogate, a tuple, a subclass) takes ``http_to_flat``'s JSON text, so the transformer's
    verdict is the same either way."""
    event_type = record.get("event_type")
    props: dict[str, Any] = record["properties"]
    object_key = PROPERTY_OBJECTS.get(event_type) if isinstance(event_type, str) else None
    if object_key in props:
        value = props[object_key]
        # Only an object is read alike decoded and as text (the transformer parses a string and
        # passes over a null); with a "properties" key too, which one wins depends on order.
        if type(value) is not dict or "properties" in props or not _round_trips(value, 0):
            return http_to_flat(record)
    flat: dict[str, Any] = {k: record[k] for k in _ENVELOPE_TOP if k in record}
    flat.update(record["user"])
    flat.update(props)
    if object_key in props:
        flat["properties"] = flat.pop(object_key)
    return flat


def _round_trips(value: Any, depth: int) -> bool:
    """Whether ``orjson.loads(json.dumps(value))`` equals ``value``, type for type."""
    kind = type(value)
    if kind is str:
        return bool(value.isascii()) or _utf8(value)
    if kind is int:
        return bool(_INT_MIN <= value <= _INT_MAX)
    if kind is bool or value is None:
        return True
    if kind is float:
        return math.isfinite(value)
    if depth >= _MAX_DEPTH:
        return False
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str or not (key.isascii() or _utf8(key)):
                return False
            # The usual property values inline: a call per value costs more than the check.
            if type(item) is str:
                if not (item.isascii() or _utf8(item)):
                    return False
            elif type(item) is int:
                if not _INT_MIN <= item <= _INT_MAX:
                    return False
            elif not _round_trips(item, depth + 1):
                return False
        return True
    if kind is list:
        return all(_round_trips(item, depth + 1) for item in value)
    return False


def _utf8(text: str) -> bool:
    """False for a string with a lone surrogate (orjson refuses to decode one)."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def flat_to_http(record: dict[str, Any]) -> dict[str, Any]:
    """The flat record as Braze's HTTP envelope; null fields are left out, as Braze does."""
    event_type = record["event_type"]
    user = {k: record[k] for k in USER_BLOCK if record.get(k) is not None}
    object_key = PROPERTY_OBJECTS.get(event_type)
    props: dict[str, Any] = {}
    for key, value in record.items():
        if key in _ENVELOPE_TOP or key in USER_BLOCK or value is None:
            continue
        if key == "properties" and object_key:
            props[object_key] = json.loads(value) if isinstance(value, str) else value
        else:
            props[key] = value
    return {
        "event_type": event_type,
        "id": record["id"],
        "time": record["time"],
        "user": user,
        "properties": props,
    }
