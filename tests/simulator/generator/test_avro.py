"""Avro schemas from the catalogue; records round-trip through fastavro and the transformer."""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any

import fastavro
import pytest

import schemas
from simulator.currents.catalogue import CATALOGUE
from simulator.generator import CurrentsProvider
from simulator.generator.avro import avro_record, avro_schema, event_type_of, storage_dir
from simulator.transform import Skipped, Transformed, transform
from tests.conftest import T0

TYPES = sorted(CATALOGUE)


def _roundtrip(event_type: str, records: list[dict[str, Any]]) -> tuple[dict[str, Any], list[Any]]:
    buffer = io.BytesIO()
    fastavro.writer(buffer, fastavro.parse_schema(avro_schema(event_type)), records)
    buffer.seek(0)
    reader = fastavro.reader(buffer)
    return reader.writer_schema, list(reader)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-6)  # Avro "float" is 32-bit
    return bool(a == b)


@pytest.mark.parametrize("event_type", TYPES)
def test_every_type_round_trips_through_fastavro_and_transform(
    provider: CurrentsProvider, event_type: str
) -> None:
    events = [provider.currents_event(event_type, at=T0 + i) for i in range(2)]
    written, read = _roundtrip(event_type, [avro_record(e) for e in events])
    assert event_type_of(written["name"]) == event_type
    for event, back in zip(events, read, strict=True):
        back["event_type"] = event_type_of(written["name"])
        assert set(back) == set(event)
        assert all(_same(event[k], back[k]) for k in event), (event, back)
        assert schemas.validate(f"currents/flat/{event_type}", back) == []
        result = transform(back)
        if CATALOGUE[event_type].exported:
            assert isinstance(result, Transformed)
            assert schemas.validate(f"amplitude/events/{event_type}", result.event) == []
        else:
            assert isinstance(result, Skipped)


def test_schema_names_and_nullable_unions() -> None:
    schema = avro_schema("users.messages.pushnotification.Send")
    assert schema["name"] == "Send"
    assert schema["namespace"] == "dataexport.S3.inner.users.messages.pushnotification"
    fields = {f["name"]: f for f in schema["fields"]}
    assert fields["id"]["type"] == "string" and "default" not in fields["id"]
    assert (
        fields["device_id"]["type"] == ["null", "string"] and fields["device_id"]["default"] is None
    )


def test_storage_dir_is_the_utc_hour() -> None:
    assert storage_dir("users.behaviors.CustomEvent", 1_700_000_000) == (
        "event_type=users.behaviors.CustomEvent/date=2023-11-14-22"
    )


def _fields(schema: dict[str, Any]) -> dict[str, Any]:
    def plain(t: Any) -> Any:
        if isinstance(t, list):
            return [plain(x) for x in t]
        if isinstance(t, dict):
            return {"type": t["type"], "items": plain(t["items"])} if t["type"] == "array" else t
        return t

    return {f["name"]: plain(f["type"]) for f in schema["fields"]}


@pytest.mark.reference
def test_built_schemas_match_braze_reference_files(reference_dir: Path) -> None:
    files = sorted(reference_dir.rglob("*.avro"))
    assert files
    checked = 0
    for path in files:
        with path.open("rb") as fo:
            real = fastavro.reader(fo).writer_schema
        event_type = event_type_of(real["name"])
        if event_type not in CATALOGUE:
            continue
        ours = fastavro.parse_schema(avro_schema(event_type))
        assert ours["name"] == real["name"]
        assert _fields(ours) == _fields(real), event_type
        checked += 1
    assert checked >= 90
