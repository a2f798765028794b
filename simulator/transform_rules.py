"""What Braze sends to Amplitude for one Currents event: the mapping rules, spelled out.

This file is the specification. ``simulator.transform`` applies the same rules compiled into one
straight-line function per event type (for speed); ``tests/simulator/test_transform_rules.py``
checks that the two agree, result for result and key for key, on every catalogue type, both
naming profiles, the golden files and generated inputs. Read this to learn what an event
becomes; the per-type facts the rules consult (names, which ids go top level, which fields are
kept or renamed) are the rows of ``simulator/currents/catalogue.py``.

Sources: DESIGN.md §3; BRAZE_CURRENTS.md §8 and the sections the catalogue rows cite.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from simulator.currents.catalogue import (
    AD_ID_TARGETS,
    CATALOGUE,
    CUSTOM_EVENT,
    CUSTOM_EVENT_PREFIX,
    CUSTOM_PROPERTY_PREFIX,
    LIBRARY,
    PURCHASE,
    PURCHASE_PROPERTY_PREFIX,
    Profile,
)
from simulator.currents.shapes import http_to_flat

# Why an event is not sent: stable codes, for tools that count them.
NO_IDS = "no_ids"
NOT_EXPORTED = "not_exported"
UNKNOWN_TYPE = "unknown_type"
MALFORMED = "malformed"
NO_IDS_AT_ALL = "no external_user_id and no device_id"
NO_DEVICE_SLOT = "no external_user_id, and this type carries no device_id"

# Custom events and purchases carry their own properties, sent under a prefix.
EXPANDED_PREFIX = {CUSTOM_EVENT: CUSTOM_PROPERTY_PREFIX, PURCHASE: PURCHASE_PROPERTY_PREFIX}


@dataclass(slots=True)  # not frozen: built once per event on the hot path, frozen costs more
class Transformed:
    """The Amplitude event Braze would send for one Currents event."""

    event: dict[str, Any]
    source_type: str


@dataclass(frozen=True, slots=True)
class Skipped:
    """A Currents event Braze does not send, and why."""

    code: str
    reason: str
    event_type: str | None
    event_id: str | None


Result = Transformed | Skipped


def transform(record: dict[str, Any], profile: Profile = "page") -> Result:
    """The Amplitude event for one Currents event (flat or http), or why there is none."""
    # 1. Both Currents shapes are accepted: the HTTP connector's envelope is flattened first.
    if type(record.get("user")) is dict and type(record.get("properties")) is dict:
        record = http_to_flat(record)
    # 2. Only types Braze exports are sent. Braze adds types without notice: an unknown type
    #    is skipped, never an error.
    event_type = record.get("event_type")
    if not isinstance(event_type, str):
        return skipped(MALFORMED, "record has no event_type string", record)
    spec = CATALOGUE.get(event_type)
    if spec is None:
        return skipped(UNKNOWN_TYPE, f"unknown event type {event_type}", record)
    if not spec.exported:
        return skipped(
            NOT_EXPORTED, f"{event_type} is storage-only (not sent to Amplitude)", record
        )
    # 3. Every event needs its id (Amplitude's insert_id) and its time in whole UNIX seconds.
    event_id, seconds = record.get("id"), record.get("time")
    if not isinstance(event_id, str) or not event_id:
        return skipped(MALFORMED, "record has no id string", record)
    if type(seconds) is not int:
        return skipped(MALFORMED, "record has no integer time (UNIX seconds)", record)
    # 4. Amplitude needs a user: the customer's external_user_id (Braze's own user_id is never
    #    sent) or, for types whose row is marked D, the device_id.
    external_id = record.get("external_user_id")
    device_id = record.get("device_id") if spec.device else None
    if external_id is None and device_id is None:
        return skipped(NO_IDS, NO_IDS_AT_ALL if spec.device else NO_DEVICE_SLOT, record)
    # 5. event_properties: the row's kept fields (renamed where it says), nulls left out; then
    #    a custom event's or purchase's own properties, each under its prefix.
    props = {
        key: record[f.name] for f, key in spec.property_fields() if record.get(f.name) is not None
    }
    if event_type in EXPANDED_PREFIX:
        problem = expand_properties(record, EXPANDED_PREFIX[event_type], props)
        if problem:
            return skipped(MALFORMED, problem, record)
    # 6. The name: "[Appboy] " + the profile's name; a custom event's comes from the event.
    if event_type == CUSTOM_EVENT:
        name = record.get("name")
        if not isinstance(name, str) or not name:
            return skipped(MALFORMED, "custom event has no name", record)
        amplitude_type = CUSTOM_EVENT_PREFIX + name
    else:
        amplitude_type = spec.amplitude_name(profile)
    # 7. The event, in the order Braze writes its keys.
    event: dict[str, Any] = {"event_type": amplitude_type}
    if external_id is not None:
        event["user_id"] = external_id
    if device_id is not None:
        event["device_id"] = device_id
    event.update(insert_id=event_id, time=seconds * 1000, library=LIBRARY)
    if spec.ad_ids:  # rows marked A: ad_id goes to idfa or adid, by its ad_id_type
        target = AD_ID_TARGETS.get(record.get("ad_id_type"))  # type: ignore[arg-type]
        if target is not None and record.get("ad_id") is not None:
            event[target] = record["ad_id"]
    if event_type == PURCHASE:  # product and price go top level; currency stays a property
        event.update(productId=record.get("product_id"), price=record.get("price"))
    event["event_properties"] = props
    return Transformed(event, event_type)


def expand_properties(record: dict[str, Any], prefix: str, props: dict[str, Any]) -> str | None:
    """Add the record's JSON-encoded ``properties`` to ``props`` under ``prefix``; the problem
    that stops it, or None."""
    raw = record.get("properties")
    if raw is None or raw == "":
        return None
    if isinstance(raw, str):
        try:
            raw = orjson.loads(raw)
        except orjson.JSONDecodeError:
            return "properties is not valid JSON"
    if not isinstance(raw, dict):
        return "properties is not a JSON object"
    for key, value in raw.items():
        props[prefix + key] = value
    return None


def skipped(code: str, reason: str, record: dict[str, Any]) -> Skipped:
    """The verdict for a record that is not sent, with its type and id when it has them."""
    event_type, event_id = record.get("event_type"), record.get("id")
    return Skipped(
        code,
        reason,
        event_type if isinstance(event_type, str) else None,
        event_id if isinstance(event_id, str) else None,
    )
