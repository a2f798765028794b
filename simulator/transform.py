"""The reference transformer: one Currents event -> the Amplitude event Braze sends.

Pure (no I/O, no clock) and table-driven: each exported catalogue row is compiled once into a
``_Plan`` (which fields go where), and ``transform`` only walks that plan. It never raises on
bad input: an event that cannot be exported comes back as ``Skipped`` with a reason.

Rules (DESIGN.md §3; BRAZE_CURRENTS.md §8, sources there):
- ``event_type`` = ``[Appboy] `` + the profile's name; custom events
  ``[Appboy] [Custom Event] <name>``;
- ``user_id`` = ``external_user_id`` (Braze's internal ``user_id`` is never sent);
- ``device_id`` top level only for types marked D; ``idfa``/``adid`` from ``ad_id`` by
  ``ad_id_type`` for types marked A;
- ``insert_id`` = Currents ``id``; ``library`` = ``"Braze"``; ``time`` = seconds x 1000;
- Purchase: ``productId`` and ``price`` top level, ``currency`` stays in ``event_properties``;
- custom/purchase properties expanded as ``[Custom event property] k`` / ``[Purchase property] k``;
- ``event_properties`` = the row's kept fields with non-null values (nulls are left out).
- Skipped: no ``external_user_id`` and no exportable ``device_id``; storage-only types;
  unknown types (Braze adds types without notice, so receivers must tolerate them); records too
  malformed to carry an id or a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import orjson

from simulator.currents.catalogue import (
    AD_ID_TARGETS,
    CATALOGUE,
    CUSTOM_EVENT,
    CUSTOM_EVENT_PREFIX,
    CUSTOM_PROPERTY_PREFIX,
    LIBRARY,
    PROFILES,
    PURCHASE,
    PURCHASE_PROPERTY_PREFIX,
    Profile,
)
from simulator.currents.shapes import http_to_flat

# Skip codes, stable for tools that count them.
NO_IDS = "no_ids"
NOT_EXPORTED = "not_exported"
UNKNOWN_TYPE = "unknown_type"
MALFORMED = "malformed"


@dataclass(slots=True)  # not frozen: a frozen dataclass costs ~0.6 µs more per event to build
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


@dataclass(frozen=True, slots=True)
class _Plan:
    event_type: str | None  # None for custom events (the name comes from the record)
    device: bool
    ad_ids: bool
    keep: tuple[str, ...]  # storage fields kept in event_properties (looked up, not scanned:
    # a storage record carries many fields the type drops, so asking for the kept ones is cheaper)
    renames: dict[str, str]  # storage field -> event_properties key, where they differ
    expand_prefix: str | None  # custom/purchase: prefix for the expanded JSON properties
    purchase: bool


@cache
def _plan(event_type: str, profile: Profile) -> _Plan | None:
    spec = CATALOGUE.get(event_type)
    if spec is None or not spec.exported:
        return None
    custom = event_type == CUSTOM_EVENT
    expand = {CUSTOM_EVENT: CUSTOM_PROPERTY_PREFIX, PURCHASE: PURCHASE_PROPERTY_PREFIX}
    return _Plan(
        event_type=None if custom else spec.amplitude_name(profile),
        device=spec.device,
        ad_ids=spec.ad_ids,
        keep=tuple(f.name for f, _ in spec.property_fields()),
        renames={f.name: key for f, key in spec.property_fields() if f.name != key},
        expand_prefix=expand.get(event_type),
        purchase=event_type == PURCHASE,
    )


_PLANS: dict[str, dict[str, _Plan]] = {
    profile: {name: plan for name in CATALOGUE if (plan := _plan(name, profile)) is not None}
    for profile in PROFILES
}


def _skip(code: str, reason: str, record: dict[str, Any]) -> Skipped:
    event_type = record.get("event_type")
    event_id = record.get("id")
    return Skipped(
        code,
        reason,
        event_type if isinstance(event_type, str) else None,
        event_id if isinstance(event_id, str) else None,
    )


def transform(record: dict[str, Any], profile: Profile = "page") -> Result:
    """Transform one Currents event, flat or http (auto-detected)."""
    if "user" in record and type(record["user"]) is dict and type(record.get("properties")) is dict:
        record = http_to_flat(record)
    event_type = record.get("event_type")
    if type(event_type) is not str:
        return _skip(MALFORMED, "record has no event_type string", record)
    plan = _PLANS[profile].get(event_type)
    if plan is None:
        if event_type in CATALOGUE:
            return _skip(
                NOT_EXPORTED, f"{event_type} is storage-only (not sent to Amplitude)", record
            )
        return _skip(UNKNOWN_TYPE, f"unknown event type {event_type}", record)
    return _build(record, event_type, plan)


def _build(record: dict[str, Any], event_type: str, plan: _Plan) -> Result:
    get = record.get
    event_id, seconds = get("id"), get("time")
    if type(event_id) is not str or not event_id:
        return _skip(MALFORMED, "record has no id string", record)
    if type(seconds) is not int:
        return _skip(MALFORMED, "record has no integer time (UNIX seconds)", record)
    external_id = get("external_user_id")
    device_id = get("device_id") if plan.device else None
    if external_id is None and device_id is None:
        why = (
            "no external_user_id and no device_id"
            if plan.device
            else ("no external_user_id, and this type carries no device_id")
        )
        return _skip(NO_IDS, why, record)
    out: dict[str, Any] = {"event_type": plan.event_type}
    if external_id is not None:
        out["user_id"] = external_id
    if device_id is not None:
        out["device_id"] = device_id
    out["insert_id"] = event_id
    out["time"] = seconds * 1000
    out["library"] = LIBRARY
    if plan.ad_ids:
        target = AD_ID_TARGETS.get(get("ad_id_type"))  # type: ignore[arg-type]
        if target is not None and get("ad_id") is not None:
            out[target] = record["ad_id"]
    if plan.purchase:
        out["productId"] = get("product_id")
        out["price"] = get("price")
    props = {k: v for k in plan.keep if (v := get(k)) is not None}
    if plan.renames:
        props = {plan.renames.get(k, k): v for k, v in props.items()}
    if plan.expand_prefix is not None:
        problem = _expand(record, plan.expand_prefix, props)
        if problem:
            return _skip(MALFORMED, problem, record)
        if plan.event_type is None:
            name = record.get("name")
            if type(name) is not str or not name:
                return _skip(MALFORMED, "custom event has no name", record)
            out["event_type"] = CUSTOM_EVENT_PREFIX + name
    out["event_properties"] = props
    return Transformed(out, event_type)


def _expand(record: dict[str, Any], prefix: str, props: dict[str, Any]) -> str | None:
    """Add the JSON-encoded custom/purchase properties under their prefix; a problem or None."""
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


def exported_events(
    records: Iterable[dict[str, Any]], profile: Profile = "page"
) -> list[dict[str, Any]]:
    """The Amplitude events Braze sends for ``records`` (skipped ones left out), in order."""
    results = (transform(record, profile) for record in records)
    return [r.event for r in results if isinstance(r, Transformed)]
