"""Braze's own sample output of Currents, judged by our schemas and transformer.

Reads ../shared/reference (never copied into the repo); skips when it is absent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import fastavro
import pytest

import schemas
from simulator.transform import NOT_EXPORTED, Skipped, transform

pytestmark = pytest.mark.reference


def _avro_records(reference_dir: Path) -> list[tuple[str, dict[str, Any]]]:
    out = []
    paths = sorted((reference_dir / "sample-data" / "Avro").glob("*.avro")) + sorted(
        (reference_dir / "retired").glob("*.avro")
    )
    for path in paths:
        with path.open("rb") as stream:
            out += [(path.stem, {"event_type": path.stem, **r}) for r in fastavro.reader(stream)]
    return out


def _http_records(reference_dir: Path) -> list[tuple[str, dict[str, Any]]]:
    paths = sorted((reference_dir / "sample-data" / "Custom HTTP").rglob("*.json"))
    return [(p.name, json.loads(p.read_text(encoding="utf-8"))) for p in paths]


def _check(record: dict[str, Any], shape: str) -> None:
    event_type = record["event_type"]
    assert schemas.validate(f"currents/{shape}/{event_type}", record) == []
    result = transform(record)
    if isinstance(result, Skipped):
        assert result.code == NOT_EXPORTED, result
        return
    assert schemas.validate(f"amplitude/events/{event_type}", result.event) == []
    assert result.event["time"] == record["time"] * 1000


def test_every_avro_sample_validates_and_transforms(reference_dir: Path) -> None:
    records = _avro_records(reference_dir)
    assert len(records) >= 100
    for _, record in records:
        _check(record, "flat")


def test_every_custom_http_sample_validates_and_transforms(reference_dir: Path) -> None:
    records = _http_records(reference_dir)
    assert len(records) >= 90
    for _, record in records:
        _check(record, "http")


def test_http_and_avro_samples_of_a_type_get_the_same_amplitude_name(reference_dir: Path) -> None:
    avro = {name: rec for name, rec in _avro_records(reference_dir)}
    for _, record in _http_records(reference_dir):
        flat = avro.get(record["event_type"])
        a, b = transform(record), transform(flat) if flat else None
        if b is None or isinstance(a, Skipped) or isinstance(b, Skipped):
            continue
        assert a.event["event_type"] == b.event["event_type"]
