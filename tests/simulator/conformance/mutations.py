"""Seeded mutations of a perfect connector's output, each with the one rule that must catch it.

A mutation takes the events it is given (already chosen, disjoint from other mutations') and
changes them in place or says how to change the stream; ``RULE`` names the rule that must count
exactly one finding per mutated event and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simulator.currents.catalogue import APPBOY, CUSTOM_EVENT_PREFIX

Event = dict[str, Any]


def rename(event: Event) -> None:
    event["event_type"] += " (renamed)"


def drop_device_id(event: Event) -> None:
    del event["device_id"]


def seconds(event: Event) -> None:
    event["time"] //= 1000


def lowercase_prefix(event: Event) -> None:
    name = event["event_type"]
    prefix = CUSTOM_EVENT_PREFIX if name.startswith(CUSTOM_EVENT_PREFIX) else APPBOY
    event["event_type"] = prefix.lower() + name[len(prefix) :]


def move_product_id(event: Event) -> None:
    event["event_properties"]["productId"] = event.pop("productId")


# name -> (mutation, rule it must trip, which events it applies to)
IN_PLACE: dict[str, tuple[Callable[[Event], None], str, Callable[[Event], bool]]] = {
    "rename": (rename, "event_type_name", lambda e: True),
    "drop_device_id": (drop_device_id, "device_id", lambda e: "device_id" in e),
    "seconds": (seconds, "time_unit", lambda e: True),
    "lowercase_prefix": (lowercase_prefix, "event_type_prefix", lambda e: True),
    "move_product_id": (move_product_id, "field_moved", lambda e: "productId" in e),
}
# Stream mutations: "drop" removes events (rule "missing"), "duplicate" repeats them.
STREAM = {"drop": "missing", "duplicate": "duplicated"}
ALL = (*IN_PLACE, *STREAM)
