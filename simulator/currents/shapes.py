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
from typing import Any, Literal

from simulator.currents.catalogue import CUSTOM_EVENT, PURCHASE, USER_BLOCK

Shape = Literal["flat", "http"]

# The JSON-string field of the flat record and the object that replaces it in the envelope.
PROPERTY_OBJECTS = {CUSTOM_EVENT: "custom_properties", PURCHASE: "purchase_properties"}
_ENVELOPE_TOP = ("event_type", "id", "time")


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
            flat["properties"] = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        else:
            flat[key] = value
    return flat


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
