"""The Amplitude mock: a blueprint serving ``simulator.amplitude.AmplitudeModel``."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the routes; unless ``FAST_UPLOADS`` is False, also the fast WSGI upload path."""
    from mocks.amplitude.routes import FastUploads, bp
    from mocks.app import model_of

    app.register_blueprint(bp)
    if app.config.get("FAST_UPLOADS", True):
        app.wsgi_app = FastUploads(app.wsgi_app, model_of(app))  # type: ignore[method-assign]
