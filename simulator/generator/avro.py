"""Avro schemas and storage paths for Currents files, built from the catalogue (no I/O here).

Braze's storage export writes one Avro record per event: the record is named after the last
segment of the type (``Send``) in namespace ``dataexport.S3.inner.<rest of the type>``, and a
nullable field is the union ``["null", T]`` with ``default: null`` (BRAZE_CURRENTS.md §3.1).
Files are laid out as ``event_type=<type>/date=<YYYY-MM-DD-HH>/...avro`` by queue hour, UTC
(§4.1); we use the event's own hour. The ``doc`` strings of Braze's schemas are not reproduced.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from simulator.currents.catalogue import CATALOGUE, Field

NAMESPACE_PREFIX = "dataexport.S3.inner."
_PRIMITIVES = {"string": "string", "int": "int", "long": "long", "float": "float",
               "boolean": "boolean"}  # fmt: skip


def avro_type(f: Field) -> Any:
    """The Avro type of one storage field."""
    if f.type == "string[]":
        base: Any = {"type": "array", "items": ["null", "string"] if f.items_nullable else "string"}
    else:
        base = _PRIMITIVES[f.type]
    return ["null", base] if f.nullable else base


@cache
def avro_schema(event_type: str) -> dict[str, Any]:
    """The storage schema of ``event_type`` as Braze writes it (fields in storage order)."""
    spec = CATALOGUE[event_type]
    namespace, _, name = event_type.rpartition(".")
    fields = []
    for f in spec.fields:
        field: dict[str, Any] = {"name": f.name, "type": avro_type(f)}
        if f.nullable:
            field["default"] = None
        fields.append(field)
    return {"type": "record", "name": name, "namespace": NAMESPACE_PREFIX + namespace,
            "fields": fields}  # fmt: skip


def event_type_of(schema_name: str) -> str:
    """The Currents type of a storage schema's full name (``dataexport.S3.inner.X.Y`` -> X.Y)."""
    return schema_name.removeprefix(NAMESPACE_PREFIX)


def avro_record(event: dict[str, Any]) -> dict[str, Any]:
    """A flat event as an Avro record: every schema field (None where absent), no event_type."""
    return {f.name: event.get(f.name) for f in CATALOGUE[event["event_type"]].fields}


def storage_dir(event_type: str, seconds: int) -> str:
    """``event_type=<type>/date=<YYYY-MM-DD-HH>``, the hour in UTC."""
    hour = datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d-%H")
    return f"event_type={event_type}/date={hour}"
