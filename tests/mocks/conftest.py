"""Fixtures for the Flask shell: an app on a manual clock and its test client."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from mocks.app import create_app, model_of
from simulator.amplitude import AmplitudeModel
from simulator.clock import ControllableClock, ManualClock
from tests.conftest import T0


@pytest.fixture(params=[True, False], ids=["fast-path", "flask-view"])
def app(request: pytest.FixtureRequest) -> Flask:
    """Each shell test runs on both upload paths: the fast WSGI one and the Flask view."""
    config = {"FAST_UPLOADS": request.param}
    return create_app(config, clock=ControllableClock(ManualClock(T0)), seed=0)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def model(app: Flask) -> AmplitudeModel:
    return model_of(app)


def event(i: int = 0, **fields: Any) -> dict[str, Any]:
    base = {"event_type": "Played", "device_id": "device-0001", "insert_id": f"ins-{i:06d}"}
    return {**base, **fields}
