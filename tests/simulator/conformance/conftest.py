"""Fixtures: the hand-written golden Currents inputs, as produced records and as the reference
transformer's own Amplitude events (the "perfect connector" output)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from simulator.transform import exported_events

GOLDEN = Path(__file__).resolve().parents[2] / "golden" / "transform"


def golden_inputs() -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted(GOLDEN.glob("*/*.input.json"))]


def reference_output(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return exported_events(records)


def many_inputs(n: int) -> list[dict[str, Any]]:
    """n distinct produced records cycling through the golden inputs (fresh ids)."""
    templates = golden_inputs()
    out = []
    for i in range(n):
        record = dict(templates[i % len(templates)])
        if isinstance(record.get("user"), dict):  # http shape keeps the id at top level too
            record["user"] = dict(record["user"])
        record["id"] = f"ev-{i:06d}"
        out.append(record)
    return out


@pytest.fixture(scope="session")
def produced() -> list[dict[str, Any]]:
    return many_inputs(400)


@pytest.fixture(scope="session")
def reference(produced: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return reference_output(produced)
