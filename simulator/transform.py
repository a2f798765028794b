"""The transformer: one Currents event -> the Amplitude event Braze sends, compiled for speed.

``simulator.transform_rules`` states the mapping rules plainly and is the specification; this
module applies the same rules faster and must agree with it on every input
(``tests/simulator/test_transform_rules.py``). Each exported catalogue row becomes a ``Plan``
(which fields go where), spelled out as one straight-line function (``simulator.codegen``;
``builder_source`` shows it), and ``transform`` only dispatches to it. It never raises on bad
input: an event that cannot be exported comes back as ``Skipped`` with a reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from simulator import codegen
from simulator.currents.catalogue import (
    AD_ID_TARGETS,
    CATALOGUE,
    CUSTOM_EVENT,
    CUSTOM_EVENT_PREFIX,
    LIBRARY,
    PROFILES,
    PURCHASE,
    Profile,
)
from simulator.currents.shapes import http_to_flat_decoded
from simulator.transform_rules import (
    EXPANDED_PREFIX,
    MALFORMED,
    NO_DEVICE_SLOT,
    NO_IDS,
    NO_IDS_AT_ALL,
    NOT_EXPORTED,
    UNKNOWN_TYPE,
    Result,
    Skipped,
    Transformed,
    expand_properties,
    skipped,
)

__all__ = [
    "MALFORMED",
    "NOT_EXPORTED",
    "NO_IDS",
    "UNKNOWN_TYPE",
    "Result",
    "Skipped",
    "Transformed",
    "builder_source",
    "exported_events",
    "transform",
]


@dataclass(frozen=True, slots=True)
class Plan:
    """What the rules decide for one exported type under one profile, settled once."""

    event_type: str | None  # None for custom events (the name comes from the record)
    device: bool
    ad_ids: bool
    properties: tuple[tuple[str, str], ...]  # (storage field, event_properties key) kept
    expand_prefix: str | None  # custom/purchase: prefix for the expanded JSON properties
    purchase: bool


@cache
def plan_for(event_type: str, profile: Profile) -> Plan | None:
    """The plan of ``event_type`` (None unless Braze exports it), made once per type."""
    spec = CATALOGUE.get(event_type)
    if spec is None or not spec.exported:
        return None
    return Plan(
        event_type=None if event_type == CUSTOM_EVENT else spec.amplitude_name(profile),
        device=spec.device,
        ad_ids=spec.ad_ids,
        properties=tuple((f.name, key) for f, key in spec.property_fields()),
        expand_prefix=EXPANDED_PREFIX.get(event_type),
        purchase=event_type == PURCHASE,
    )


def _source(plan: Plan, source_type: str) -> str:
    """Python source of the function that applies ``plan`` to one flat record.

    Straight-line code, one ``get`` and one test per kept field, the plan's choices settled
    when it is compiled: this is the hottest path of the CLI, the conformance report and the
    connector. It must do what ``transform_rules.transform`` does, step for step. Constants are
    embedded with ``repr`` and all come from the catalogue."""
    lines = [
        "def build(record):",
        "    get = record.get",
        "    event_id = get('id')",
        "    seconds = get('time')",
        "    if type(event_id) is not str or not event_id:",
        "        return skipped(MALFORMED, 'record has no id string', record)",
        "    if type(seconds) is not int:",
        "        return skipped(MALFORMED, 'record has no integer time (UNIX seconds)', record)",
        "    external_id = get('external_user_id')",
    ]
    if plan.device:
        lines += [
            "    device_id = get('device_id')",
            "    if external_id is None and device_id is None:",
            "        return skipped(NO_IDS, NO_IDS_AT_ALL, record)",
        ]
    else:
        lines += [
            "    if external_id is None:",
            "        return skipped(NO_IDS, NO_DEVICE_SLOT, record)",
        ]
    lines.append("    props = {}")
    for field, key in plan.properties:
        lines += [f"    v = get({field!r})", f"    if v is not None: props[{key!r}] = v"]
    event_type = repr(plan.event_type)
    if plan.expand_prefix is not None:
        lines += [
            f"    problem = expand_properties(record, {plan.expand_prefix!r}, props)",
            "    if problem:",
            "        return skipped(MALFORMED, problem, record)",
        ]
    if plan.event_type is None:  # a custom event: the name comes from the record
        lines += [
            "    name = get('name')",
            "    if type(name) is not str or not name:",
            "        return skipped(MALFORMED, 'custom event has no name', record)",
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


def _compile(plan: Plan, source_type: str) -> Builder:
    namespace: dict[str, Any] = {
        "skipped": skipped,
        "expand_properties": expand_properties,
        "Transformed": Transformed,
        "AD_ID_TARGETS": AD_ID_TARGETS,
        "MALFORMED": MALFORMED,
        "NO_IDS": NO_IDS,
        "NO_IDS_AT_ALL": NO_IDS_AT_ALL,
        "NO_DEVICE_SLOT": NO_DEVICE_SLOT,
    }
    builder: Builder = codegen.compile_function(
        _source(plan, source_type), f"transform {source_type}", namespace
    )
    return builder


def transform(record: dict[str, Any], profile: Profile = "page") -> Result:
    """Transform one Currents event, flat or http (auto-detected)."""
    if "user" in record and type(record["user"]) is dict and type(record.get("properties")) is dict:
        record = http_to_flat_decoded(record)
    event_type = record.get("event_type")
    if type(event_type) is not str:
        return skipped(MALFORMED, "record has no event_type string", record)
    build = _BUILDERS[profile].get(event_type)
    if build is None:
        # Unknown types are answered before anything is cached: a stream of made-up type
        # names must not grow memory.
        if event_type not in CATALOGUE:
            return skipped(UNKNOWN_TYPE, f"unknown event type {event_type}", record)
        build = _builder(event_type, profile)
        if build is None:
            return skipped(
                NOT_EXPORTED, f"{event_type} is storage-only (not sent to Amplitude)", record
            )
    return build(record)


# profile -> Currents event type -> its compiled builder, filled on first use: a run meets a
# few dozen types, and compiling the whole catalogue would slow every CLI start.
_BUILDERS: dict[str, dict[str, Builder]] = {profile: {} for profile in PROFILES}


def _builder(event_type: str, profile: Profile) -> Builder | None:
    plan = plan_for(event_type, profile)
    if plan is None:
        return None
    build = _BUILDERS[profile][event_type] = _compile(plan, event_type)
    return build


def builder_source(event_type: str, profile: Profile = "page") -> str | None:
    """The code ``transform`` runs for one exported type (None if it is not exported): for
    reading when a transformed event surprises you."""
    build = _BUILDERS[profile].get(event_type) or _builder(event_type, profile)
    return None if build is None else codegen.source(build)


def exported_events(
    records: Iterable[dict[str, Any]], profile: Profile = "page"
) -> list[dict[str, Any]]:
    """The Amplitude events Braze sends for ``records`` (skipped ones left out), in order."""
    results = (transform(record, profile) for record in records)
    return [r.event for r in results if isinstance(r, Transformed)]
