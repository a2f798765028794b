"""The Braze mock: partner cohort import (``/partners/amplitude/...``) and its ``/_mock/braze``
views, serving ``simulator.braze.BrazeModel``.

``init_app(app)`` builds the model from ``app.config`` (``BRAZE_PARTNER_KEYS``,
``BRAZE_CLIENT_SECRETS``: lists; absent or empty = the sandbox defaults;
``BRAZE_REQUESTS_PER_HOUR``: per partner key, 0 = no limit) on the clock of the
app's Amplitude model (``mocks.app.find_model``: ``create_app`` makes it before any blueprint)
when there is one, so ``/_mock/clock`` moves both mocks together.
"""

from __future__ import annotations

from flask import Flask

from mocks.app import find_model
from simulator.braze import DEFAULT_CLIENT_SECRET, DEFAULT_PARTNER_KEY, BrazeModel
from simulator.braze.cohort_import import REQUESTS_PER_HOUR
from simulator.clock import Clock, ControllableClock

EXTENSION = "braze_model"


def init_app(app: Flask, clock: Clock | None = None) -> BrazeModel:
    from mocks.braze.routes import admin_bp, bp

    amplitude = find_model(app)
    model = BrazeModel(
        clock or (amplitude.clock if amplitude is not None else ControllableClock()),
        partner_keys=app.config.get("BRAZE_PARTNER_KEYS") or [DEFAULT_PARTNER_KEY],
        client_secrets=app.config.get("BRAZE_CLIENT_SECRETS") or [DEFAULT_CLIENT_SECRET],
        requests_per_hour=app.config.get("BRAZE_REQUESTS_PER_HOUR", REQUESTS_PER_HOUR) or None,
    )
    app.extensions[EXTENSION] = model
    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    return model


def braze_model_of(app: Flask) -> BrazeModel:
    found: BrazeModel = app.extensions[EXTENSION]
    return found
