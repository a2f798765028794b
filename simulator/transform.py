"""The reference transformer: one Currents event -> the Amplitude event Braze sends.

Pure (no I/O, no clock) and table-driven: each exported catalogue row is compiled once into a
``_Plan`` (which fields go where), itself compiled into one straight-line function
(``builder_source`` shows it), and ``transform`` only dispatches to it. It never raises on
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

from collections.abc import Callable, Iterable
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
    properties: tuple[tuple[str, str], ...]  # (storage field, event_properties key) kept
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
        properties=tuple((f.name, key) for f, key in spec.property_fields()),
        expand_prefix=expand.get(event_type),
        purchase=event_type == PURCHASE,
    )


def _source(plan: _Plan, source_type: str) -> str:
    """Python source of the function that applies ``plan`` to one flat record.

    Each plan becomes straight-line code (one ``get`` and one test per kept field, the plan's
    choices settled at compile time), as ``dataclasses`` and ``attrs`` compile ``__init__``:
    walking the plan per event cost ~16 % more instructions (27.1k vs 22.7k per event by
    callgrind over the default mix), and this is the hottest path of the CLI, the conformance
    report and the connector. The plan stays the single declarative description; this only
    spells it out. Constants are embedded with ``repr`` and all come from the catalogue."""
    lines = [
        "def build(record):",
        "    get = record.get",
        "    event_id = get('id')",
        "    seconds = get('time')",
        "    if type(event_id) is not str or not event_id:",
        "        return _skip(MALFORMED, 'record has no id string', record)",
        "    if type(seconds) is not int:",
        "        return _skip(MALFORMED, 'record has no integer time (UNIX seconds)', record)",
        "    external_id = get('external_user_id')",
    ]
    if plan.device:
        lines += [
            "    device_id = get('device_id')",
            "    if external_id is None and device_id is None:",
            "        return _skip(NO_IDS, NO_IDS_AT_ALL, record)",
        ]
    else:
        lines += [
            "    if external_id is None:",
            "        return _skip(NO_IDS, NO_DEVICE_SLOT, record)",
        ]
    lines.append("    props = {}")
    for field, key in plan.properties:
        lines += [f"    v = get({field!r})", f"    if v is not None: props[{key!r}] = v"]
    event_type = repr(plan.event_type)
    if plan.expand_prefix is not None:
        lines += [
            f"    problem = _expand(record, {plan.expand_prefix!r}, props)",
            "    if problem:",
            "        return _skip(MALFORMED, problem, record)",
        ]
    if plan.event_type is None:  # a custom event: the name comes from the record
        lines += [
            "    name = get('name')",
            "    if type(name) is not str or not name:",
            "        return _skip(MALFORMED, 'custom event has no name', record)",
        ]
        event_type = f"{CUSTOM_EVENT_PREFIX!r} + name"
    lines += [
        f"    out = {{'event_type': {event_type}}}",
        "    if external_id is not None: out['user_id'] = external_id",
    ]
    if plan.device:
        lines.append("    if device_id is not None: out['device_id'] = device_id")
    lines += [
        "    out['insert_id'] = event_id",
        "    out['time'] = seconds * 1000",
        f"    out['library'] = {LIBRARY!r}",
    ]
    if plan.ad_ids:
        lines += [
            "    target = AD_ID_TARGETS.get(get('ad_id_type'))",
            "    ad_id = get('ad_id')",
            "    if target is not None and ad_id is not None: out[target] = ad_id",
        ]
    if plan.purchase:
        lines += ["    out['productId'] = get('product_id')", "    out['price'] = get('price')"]
    lines += [
        "    out['event_properties'] = props",
        f"    return Transformed(out, {source_type!r})",
    ]
    return "\n".join(lines) + "\n"


Builder = Callable[[dict[str, Any]], "Result"]


def _compile(plan: _Plan, source_type: str) -> Builder:
    namespace: dict[str, Any] = {
        "_skip": _skip,
        "_expand": _expand,
        "Transformed": Transformed,
        "AD_ID_TARGETS": AD_ID_TARGETS,
        "MALFORMED": MALFORMED,
        "NO_IDS": NO_IDS,
        "NO_IDS_AT_ALL": "no external_user_id and no device_id",
        "NO_DEVICE_SLOT": "no external_user_id, and this type carries no device_id",
    }
    code = compile(_source(plan, source_type), f"<transform {source_type}>", "exec")
    exec(code, namespace)  # our own source, built from the catalogue
    builder: Builder = namespace["build"]
    return builder


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
    build = _BUILDERS[profile].get(event_type)
    if build is None:
        # Unknown types are answered before anything is cached: a stream of made-up type
        # names must not grow memory.
        if event_type not in CATALOGUE:
            return _skip(UNKNOWN_TYPE, f"unknown event type {event_type}", record)
        build = _builder(event_type, profile)
        if build is None:
            return _skip(
                NOT_EXPORTED, f"{event_type} is storage-only (not sent to Amplitude)", record
            )
    return build(record)


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


# profile -> Currents event type -> its compiled builder, filled on first use (compiling all
# 174 at import would add ~0.15 s to every CLI start; a run meets a few dozen types).
_BUILDERS: dict[str, dict[str, Builder]] = {profile: {} for profile in PROFILES}


def _builder(event_type: str, profile: Profile) -> Builder | None:
    plan = _plan(event_type, profile)
    if plan is None:
        return None
    build = _BUILDERS[profile][event_type] = _compile(plan, event_type)
    return build


def builder_source(event_type: str, profile: Profile = "page") -> str | None:
    """The code ``transform`` runs for one exported type (None if it is not exported): for
    reading when a transformed event surprises you."""
    plan = _plan(event_type, profile)
    return None if plan is None else _source(plan, event_type)


def exported_events(
    records: Iterable[dict[str, Any]], profile: Profile = "page"
) -> list[dict[str, Any]]:
    """The Amplitude events Braze sends for ``records`` (skipped ones left out), in order."""
    results = (transform(record, profile) for record in records)
    return [r.event for r in results if isinstance(r, Transformed)]
