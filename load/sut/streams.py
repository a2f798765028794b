"""The events each Braze partition of a connector-under-test run produces (pure, seeded).

The Locust users and the judge both call ``events(cfg, index)``: the judge regenerates a
partition's events from its seed instead of shipping them between processes, then keeps those
the partition's ledger says were handed over.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from simulator.generator import MIXES, device_class, generate
from simulator.generator.mixes import HotDevice, Mix

NO_DEVICE = "no-device"


def mix_of(params: dict[str, Any]) -> Mix:
    base = MIXES[params["mix"]]
    hot = params.get("hot")
    return replace(base, hot=(HotDevice(**hot),) if hot else ())


def events(cfg: dict[str, Any], index: int) -> Iterator[dict[str, Any]]:
    """Partition ``index``'s events, flat, in time order, from the run's start (mock clock)."""
    params = cfg["params"]
    return generate(
        max(1, round(params["rate"] * params["production_s"])),
        seed=cfg["seed"] * 1000 + index,
        start=cfg["start_s"],
        duration=params["production_s"],
        mix=mix_of(params),
    )


def class_of(record: dict[str, Any]) -> str:
    return device_class(record.get("device_id")) or NO_DEVICE
