"""Currents records and JSON Lines and Avro writers shared by the command tests (``transform``,
``validate``, ``conformance``...)."""

from __future__ import annotations

import json
from pathlib import Path

import fastavro

from simulator.currents.catalogue import spec

PUSH = {
    "event_type": "users.messages.pushnotification.Send",
    "id": "e1",
    "user_id": "b1",
    "external_user_id": "user-1",
    "app_id": "a1",
    "time": 1_700_000_000,
    "platform": "ios",
}
NO_IDS = {**PUSH, "id": "e2", "external_user_id": None}
PROFILE = {
    "event_type": "users.profile.Update",
    "id": "e3",
    "user_id": "b",
    "time": 1,
    "time_ms": 1000,
    "update_source": "sdk",
}


def jsonl(path: Path, *lines: object) -> Path:
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines))
    return path


def avro_file(path: Path, event_type: str, records: list[dict[str, object]]) -> Path:
    row = spec(event_type)
    namespace, _, name = f"dataexport.S3.inner.{event_type}".rpartition(".")

    def avro_type(f: object) -> object:
        t = {"string[]": {"type": "array", "items": "string"}}.get(f.type, f.type)  # type: ignore[attr-defined]
        return ["null", t] if f.nullable else t  # type: ignore[attr-defined]

    schema = {
        "type": "record",
        "name": name,
        "namespace": namespace,
        "fields": [{"name": f.name, "type": avro_type(f)} for f in row.fields],
    }
    full = [{f.name: r.get(f.name) for f in row.fields} for r in records]
    with path.open("wb") as stream:
        fastavro.writer(stream, fastavro.parse_schema(schema), full)
    return path
