"""Fixtures for the Amplitude model: a model on a manual clock, an event factory, and its cohort
API with the helpers the cohort and profile tests share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from simulator.amplitude import AmplitudeModel
from simulator.amplitude.cohort_api import CohortApi
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


KEY = "key-0001"


@pytest.fixture
def api(model: AmplitudeModel) -> CohortApi:
    return CohortApi(model, {KEY: "secret-0001"})


def seen(model: AmplitudeModel, *user_ids: str, event_type: str = "Played", at_ms: int) -> None:
    events = [
        make_event(
            hash((u, event_type, at_ms)) % 10**6,
            user_id=u,
            device_id=f"dev-{u}",
            event_type=event_type,
            time=at_ms,
        )
        for u in user_ids
    ]
    assert upload(model, events).status == 200


def identify_user_a(model: AmplitudeModel, **properties: Any) -> Any:
    """``$identify`` of user ``user-a`` on device ``dev-a``, setting ``properties``."""
    ident = make_event(
        1,
        event_type="$identify",
        user_id="user-a",
        device_id="dev-a",
        user_properties={"$set": properties},
    )
    return upload(model, [ident])


def upload_body(ids: list[Any], **over: Any) -> dict[str, Any]:
    body = {
        "name": "Buyers",
        "app_id": 1,
        "id_type": "BY_USER_ID",
        "ids": ids,
        "owner": "qa@example.com",
        "published": True,
    }
    return {**body, **over}
