"""Fixtures for the Amplitude model: a model on a manual clock, and an event factory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from simulator.amplitude import AmplitudeModel
from simulator.clock import ManualClock

Event = dict[str, Any]


@pytest.fixture
def model(clock: ManualClock) -> AmplitudeModel:
    return AmplitudeModel(clock, seed=0)


def make_event(i: int = 0, **fields: Any) -> Event:
    event: Event = {
        "event_type": "Played",
        "device_id": "device-0001",
        "insert_id": f"insert-{i:06d}",
        "time": 1_700_000_000_000 + i,
    }
    event.update(fields)
    return {k: v for k, v in event.items() if v is not None}


@pytest.fixture
def ev() -> Callable[..., Event]:
    return make_event


def upload(model: AmplitudeModel, events: list[Any], key: str = "key-0001", **kw: Any) -> Any:
    payload = {"api_key": key, "events": events, **kw}
    return model.upload("httpapi", payload, size_bytes=100)
