"""Derive the JSON Schemas of every event shape from the catalogue.

``python -m simulator.currents.schemagen [SCHEMAS_DIR]`` (re)writes:
- ``currents/flat/<type>.json``: the storage record plus ``event_type``;
- ``currents/http/<type>.json``: the Custom HTTP connector envelope;
- ``amplitude/events/<type>.json``: the Amplitude event Braze sends for an exported type.

The files are committed so that users without Python can read them; a test regenerates them in
memory and fails when a committed file differs (so the catalogue stays the one source).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

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
    USER_BLOCK,
    EventSpec,
    Field,
)
from simulator.currents.shapes import PROPERTY_OBJECTS

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE = "https://currents-sim.invalid/schemas/"
_INT32 = {"minimum": -(2**31), "maximum": 2**31 - 1}
_JSON_TYPES = {"string": "string", "int": "integer", "long": "integer", "float": "number",
               "boolean": "boolean"}  # fmt: skip


def field_schema(f: Field, *, allow_null: bool | None = None) -> dict[str, Any]:
    """The JSON Schema of one storage field's value."""
    nullable = f.nullable if allow_null is None else allow_null
    if f.type == "string[]":
        items: dict[str, Any] = {"type": ["string", "null"] if f.items_nullable else "string"}
        body: dict[str, Any] = {"type": "array", "items": items}
    else:
        body = {"type": _JSON_TYPES[f.type]}
        if f.type == "int":
            body.update(_INT32)
    if nullable:
        body["type"] = [body["type"], "null"]
    return body


def _doc(name: str, title: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": DRAFT, "$id": f"{BASE}{name}.json", "title": title, **body}


def flat_schema(spec: EventSpec) -> dict[str, Any]:
    props: dict[str, Any] = {"event_type": {"const": spec.name}}
    props.update({f.name: field_schema(f) for f in spec.fields})
    if spec.name in PROPERTY_OBJECTS:
        props["properties"]["contentMediaType"] = "application/json"
    return _doc(
        f"currents/flat/{spec.name}",
        f"{spec.name}: Currents storage record (flat shape)",
        {
            "type": "object",
            "properties": props,
            "required": ["event_type", *spec.required],
            "additionalProperties": False,
        },
    )


def http_schema(spec: EventSpec) -> dict[str, Any]:
    by_name = {f.name: f for f in spec.fields}
    user_fields = {n: by_name.get(n, Field(n, "string", True)) for n in USER_BLOCK}
    user = {
        "type": "object",
        "properties": {n: field_schema(f) for n, f in user_fields.items()},
        "required": [n for n, f in user_fields.items() if not f.nullable],
        "additionalProperties": False,
    }
    inner = [f for f in (*spec.fields, *spec.legacy) if f.name not in (*USER_BLOCK, "id", "time")]
    object_key = PROPERTY_OBJECTS.get(spec.name)
    props = {
        (object_key if object_key and f.name == "properties" else f.name): (
            {"type": "object"} if object_key and f.name == "properties" else field_schema(f)
        )
        for f in inner
    }
    required = [
        object_key if object_key and f.name == "properties" else f.name
        for f in inner
        if not f.nullable and f.name not in spec.http_optional
    ]
    properties = {"type": "object", "properties": props, "required": required,
                  "additionalProperties": False}  # fmt: skip
    return _doc(
        f"currents/http/{spec.name}",
        f"{spec.name}: Custom HTTP connector envelope (http shape)",
        {
            "type": "object",
            "properties": {
                "event_type": {"const": spec.name},
                "id": field_schema(by_name["id"]),
                "time": field_schema(by_name["time"]),
                "user": user,
                "properties": properties,
            },
            "required": ["event_type", "id", "time", "user", "properties"],
            "additionalProperties": False,
        },
    )


def _event_type_schema(spec: EventSpec) -> dict[str, Any]:
    if spec.name == CUSTOM_EVENT:
        prefix = CUSTOM_EVENT_PREFIX.replace("[", r"\[").replace("]", r"\]")
        return {"type": "string", "pattern": f"^{prefix}.+"}
    return {"enum": sorted({spec.amplitude_name(p) for p in PROFILES})}


def amplitude_schema(spec: EventSpec) -> dict[str, Any]:
    kept = spec.property_fields()
    event_props: dict[str, Any] = {
        "type": "object",
        "properties": {key: field_schema(f, allow_null=False) for f, key in kept},
        "required": [key for f, key in kept if not f.nullable],
        "additionalProperties": False,
    }
    prefix = {CUSTOM_EVENT: CUSTOM_PROPERTY_PREFIX, PURCHASE: PURCHASE_PROPERTY_PREFIX}
    if spec.name in prefix:
        escaped = prefix[spec.name].replace("[", r"\[").replace("]", r"\]")
        event_props["patternProperties"] = {f"^{escaped}": {}}
    id_schema = {"type": "string", "minLength": 1}
    top: dict[str, Any] = {
        "event_type": _event_type_schema(spec),
        "user_id": id_schema,
        "insert_id": id_schema,
        "time": {"type": "integer", "minimum": 0, "description": "epoch milliseconds"},
        "library": {"const": LIBRARY},
        "event_properties": event_props,
    }
    required = ["event_type", "insert_id", "time", "library", "event_properties"]
    if spec.device:
        top["device_id"] = id_schema
    if spec.ad_ids:
        top.update({target: id_schema for target in AD_ID_TARGETS.values()})
    if spec.name == PURCHASE:
        top["productId"] = {"type": "string"}
        top["price"] = {"type": "number"}
        required += ["productId", "price"]
    ids = [{"required": ["user_id"]}] + ([{"required": ["device_id"]}] if spec.device else [])
    return _doc(
        f"amplitude/events/{spec.name}",
        f"{spec.name}: the Amplitude HTTP API event Braze sends",
        {
            "type": "object",
            "properties": top,
            "required": required,
            "anyOf": ids,
            "additionalProperties": False,
        },
    )


def generate() -> dict[str, dict[str, Any]]:
    """Every derived schema, by its name below ``schemas/``."""
    out: dict[str, dict[str, Any]] = {}
    for spec in CATALOGUE.values():
        out[f"currents/flat/{spec.name}"] = flat_schema(spec)
        out[f"currents/http/{spec.name}"] = http_schema(spec)
        if spec.exported:
            out[f"amplitude/events/{spec.name}"] = amplitude_schema(spec)
    return out


def render(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def write(root: Path) -> int:
    generated = generate()
    for sub in ("currents/flat", "currents/http", "amplitude/events"):
        for stale in (root / sub).glob("*.json"):
            if stale.relative_to(root).with_suffix("").as_posix() not in generated:
                stale.unlink()
    for name, doc in generated.items():
        path = root / f"{name}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(doc), encoding="utf-8")
    return len(generated)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[2] / "schemas"
    print(f"wrote {write(target)} schemas under {target}")
