"""The Amplitude mock: a blueprint serving ``simulator.amplitude.AmplitudeModel``."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the routes (uploads, identify, cohorts, user profile); unless ``FAST_UPLOADS``
    is False, also the fast WSGI upload path."""
    from mocks.amplitude import cohort_routes, export_routes
    from mocks.amplitude.routes import FastUploads, bp
    from mocks.app import model_of

    app.register_blueprint(bp)
    cohort_routes.init_app(app, model_of(app))
    export_routes.init_app(app)
    if app.config.get("FAST_UPLOADS", True):
        app.wsgi_app = FastUploads(app.wsgi_app, model_of(app))  # type: ignore[method-assign]
