"""The Amplitude mock: a blueprint serving ``simulator.amplitude.AmplitudeModel``."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from mocks.amplitude.routes import bp

    app.register_blueprint(bp)
