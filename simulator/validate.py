"""Which schema judges which record, and the problems it finds (pure; schemas are data).

Currents records are judged by their own type's schema in their own shape (flat or http,
auto-detected); Amplitude events by the schema of the Currents type their ``event_type`` names
(either naming profile). Unknown types are a problem to report, never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import schemas
from simulator.currents.catalogue import CATALOGUE, type_for_amplitude_name
from simulator.currents.shapes import detect_shape


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a schema said of one record: its type (if known) and every problem found."""

    event_type: str | None
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def validate_currents(record: Any) -> Verdict:
    """Judge a Currents event (flat or http) against its type's schema."""
    if not isinstance(record, dict):
        return Verdict(None, (f"(root): expected a JSON object, got {type(record).__name__}",))
    event_type = record.get("event_type")
    if not isinstance(event_type, str):
        return Verdict(None, ("event_type: missing or not a string",))
    if event_type not in CATALOGUE:
        return Verdict(event_type, (f"event_type: unknown Currents event type {event_type!r}",))
    shape = detect_shape(record)
    return Verdict(event_type, tuple(schemas.validate(f"currents/{shape}/{event_type}", record)))


def validate_amplitude(event: Any) -> Verdict:
    """Judge an Amplitude event against the schema of the Braze type its name maps to."""
    if not isinstance(event, dict):
        return Verdict(None, (f"(root): expected a JSON object, got {type(event).__name__}",))
    name = event.get("event_type")
    if not isinstance(name, str):
        return Verdict(None, ("event_type: missing or not a string",))
    source = type_for_amplitude_name(name)
    if source is None:
        return Verdict(name, (f"event_type: {name!r} is not an event name Braze exports",))
    return Verdict(name, tuple(schemas.validate(f"amplitude/events/{source}", event)))
