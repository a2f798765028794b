"""Amplitude cohorts of one project: who did what (from the journal), rules, cohort records.

Facts: AMPLITUDE_API.md §8 ([COH] ``api/en/behavioral-cohorts.md``). A cohort is either
*uploaded* (``POST /api/3/cohorts/upload``, changed by ``POST /api/3/cohorts/membership``) or
*behavioral*, defined by a rule over the ingested data and recomputed on the mock clock each
time it is read (Amplitude recomputes on its own schedule; reading is the mock's schedule).

Rules are data (``RULES``): ``{"type": "did_event", "event_type": E, "days": N,
"min_count": K}`` (did ``E`` at least ``K`` times in the last ``N`` days, event time = the
event's ``time`` in ms, else when it was received) and ``{"type": "user_property",
"property": P, "value": V}`` (the user's current property ``P`` equals ``V``, properties as set
by ``$identify`` and event ``user_properties``).

Decisions where Amplitude's docs are silent or where the mock is simpler:

- A person is keyed by ``user_id`` when an event carries one, else by ``device_id``; an
  anonymous device that later identifies stays a separate person (Amplitude would merge them).
- Amplitude ids (``amplitude_id``, used by ``BY_AMP_ID``/``BY_ID``) are assigned in order of
  first appearance, from ``FIRST_AMPLITUDE_ID``; they are stable within a project.
- The activity index is fed from the model's bounded journal; events trimmed from the journal
  before a cohort was read are not counted.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from simulator.amplitude.cohort_limits import DownloadLimits
from simulator.amplitude.profile_data import ProfileData

FIRST_AMPLITUDE_ID = 100_000_001
DAY_S = 86_400.0


@dataclass
class Person:
    key: str
    user_id: str | None
    device_id: str | None
    amplitude_id: int
    first_used: float | None = None  # seconds on the model clock of the first and last event
    last_used: float | None = None
    library: str | None = None  # the last event's ``library``


class Activity:
    """Who has been seen, and when each did each event type (seconds on the model clock)."""

    def __init__(self) -> None:
        self.persons: dict[str, Person] = {}
        self.by_amplitude_id: dict[int, str] = {}
        self.times: dict[str, dict[str, list[float]]] = {}

    def person(self, user_id: str | None, device_id: str | None) -> Person | None:
        key = f"u:{user_id}" if user_id else (f"d:{device_id}" if device_id else None)
        if key is None:
            return None
        found = self.persons.get(key)
        if found is None:
            amp_id = FIRST_AMPLITUDE_ID + len(self.persons)
            found = self.persons[key] = Person(key, user_id or None, device_id, amp_id)
            self.by_amplitude_id[amp_id] = key
        elif device_id:
            found.device_id = device_id
        return found

    def find(self, user_id: str | None = None, device_id: str | None = None) -> Person | None:
        if user_id:
            return self.persons.get(f"u:{user_id}")
        return self.persons.get(f"d:{device_id}") if device_id else None

    def observe(self, event: dict[str, Any], received_s: float) -> None:
        user_id, device_id = _text(event.get("user_id")), _text(event.get("device_id"))
        person = self.person(user_id, device_id)
        event_type = _text(event.get("event_type"))
        if person is None or event_type is None:
            return
        t = event.get("time")
        at = t / 1000.0 if isinstance(t, int) and not isinstance(t, bool) else received_s
        self.times.setdefault(event_type, {}).setdefault(person.key, []).append(at)
        person.first_used = at if person.first_used is None else min(person.first_used, at)
        person.last_used = at if person.last_used is None else max(person.last_used, at)
        person.library = _text(event.get("library")) or person.library

    def identified(self, event: dict[str, Any]) -> None:
        """An identify call: the person becomes known (Profile API, property rules), but it is
        no activity ([IDENT]: "no event is created"), so no event-based rule counts it."""
        self.person(_text(event.get("user_id")), _text(event.get("device_id")))

    def clear(self) -> None:
        self.persons.clear()
        self.by_amplitude_id.clear()
        self.times.clear()


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


# -- rules --------------------------------------------------------------------------------
@dataclass(frozen=True)
class DidEvent:
    event_type: str
    days: float
    min_count: int = 1

    def members(self, activity: Activity, props: Any, now: float) -> set[str]:
        since = now - self.days * DAY_S
        by_person = activity.times.get(self.event_type, {})
        return {
            key
            for key, times in by_person.items()
            if sum(since < t <= now for t in times) >= self.min_count
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": "did_event",
            "event_type": self.event_type,
            "days": self.days,
            "min_count": self.min_count,
        }


@dataclass(frozen=True)
class UserProperty:
    property: str
    value: Any

    def members(self, activity: Activity, props: Any, now: float) -> set[str]:
        out = set()
        for table, prefix in ((props.users, "u:"), (props.devices, "d:")):
            for ident, values in table.items():
                key = prefix + ident
                if key in activity.persons and values.get(self.property) == self.value:
                    out.add(key)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"type": "user_property", "property": self.property, "value": self.value}


Rule = DidEvent | UserProperty


def parse_rule(spec: Any) -> Rule:
    """A rule from its JSON form (see the module docstring); ``ValueError`` with the reason."""
    if not isinstance(spec, dict):
        raise ValueError("a rule must be an object")
    kind = spec.get("type")
    if kind == "did_event":
        event_type, days, count = spec.get("event_type"), spec.get("days"), spec.get("min_count", 1)
        if not isinstance(event_type, str) or not event_type:
            raise ValueError("did_event needs a non-empty event_type")
        if isinstance(days, bool) or not isinstance(days, int | float) or days <= 0:
            raise ValueError("did_event needs days > 0")
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValueError("min_count must be an integer >= 1")
        return DidEvent(event_type, float(days), count)
    if kind == "user_property":
        prop = spec.get("property")
        if not isinstance(prop, str) or not prop or "value" not in spec:
            raise ValueError("user_property needs a property name and a value")
        return UserProperty(prop, spec["value"])
    raise ValueError("rule type must be did_event or user_property")


# -- cohort records -----------------------------------------------------------------------
@dataclass
class Cohort:
    id: str
    name: str
    created_at: float
    owner: str = "currents-sim"
    published: bool = True
    description: str = ""
    rule: Rule | None = None
    members: set[str] = field(default_factory=set)  # person keys (uploaded cohorts)
    last_mod: float = 0.0

    @property
    def kind(self) -> str:
        return "uploaded" if self.rule is None else "behavioral"


@dataclass
class Download:
    request_id: str
    cohort_id: str
    prop_keys: tuple[str, ...]
    polls: int = 0
    csv: str | None = None
    requested_at: float = 0.0  # model clock seconds


class ProjectCohorts:
    """Cohort state of one project (API key): activity index, cohorts, download requests."""

    def __init__(self) -> None:
        self.activity = Activity()
        self.cohorts: dict[str, Cohort] = {}
        self.downloads: dict[str, Download] = {}
        self.download_limits = DownloadLimits()  # simulator.amplitude.cohort_limits
        self.profile = ProfileData()  # simulator.amplitude.profile_data
        self.serial = 0  # cohorts and requests made so far (their ids derive from it)

    def new_id(self, api_key: str, kind: str) -> str:
        """A stable, unique id (``kind`` ``cohort`` or ``request``), 7 lowercase chars."""
        self.serial += 1
        digest = hashlib.sha256(f"{api_key}:{kind}:{self.serial}".encode()).hexdigest()
        return digest[:7] if kind == "cohort" else digest[:16]

    def members(self, cohort: Cohort, props: Any, now: float) -> list[Person]:
        keys = (
            cohort.members
            if cohort.rule is None
            else cohort.rule.members(self.activity, props, now)
        )
        found = (self.activity.persons.get(k) for k in keys)
        return sorted((p for p in found if p is not None), key=lambda p: p.amplitude_id)

    def clear(self) -> None:
        self.activity.clear()
        self.cohorts.clear()
        self.downloads.clear()
        self.download_limits.clear()
        self.profile.clear()
