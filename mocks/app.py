"""``create_app``: one independent mock per call (no module-level app), state in
``app.extensions``.

Blueprints come from ``BLUEPRINT_MODULES``: each exposes ``init_app(app)`` and is imported by
name when an app is made (they import this module's helpers, so not at its top). Every HTTP
error the app itself raises (unknown path, wrong method, an unexpected exception) is answered as
JSON with an integer ``code`` equal to the status, never a traceback (AMPLITUDE_API.md §12.2).

Config keys (``config`` mapping): ``API_KEYS`` (list; empty or absent = sandbox, every key
accepted), ``LIMITS`` (a ``Limits`` or a dict of its fields), ``ADMIN_TOKEN`` (``/_mock`` needs
this bearer token; ``mocks.admin_auth``), ``WAIT_SLOTS`` (concurrent ``/_mock/wait`` calls).
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Mapping
from typing import Any

import orjson
from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from mocks.cors import Cors
from simulator.amplitude import AmplitudeModel, Limits
from simulator.clock import Clock, ControllableClock

# mocks.metrics after the routes: its latency middleware wraps every other layer (the fast upload
# path too); mocks.persistence last: it loads a data directory into the finished app.
BLUEPRINT_MODULES = (
    "mocks.admin_auth", "mocks.amplitude", "mocks.admin", "mocks.braze", "mocks.stream",
    "mocks.dashboard", "mocks.metrics", "mocks.persistence",
)  # fmt: skip
MODEL = "amplitude_model"


def _limits(value: Any) -> Limits:
    if isinstance(value, Limits):
        return value
    return Limits(**(value or {}))


def create_app(
    config: Mapping[str, Any] | None = None,
    *,
    clock: Clock | None = None,
    seed: int | str | None = None,
) -> Flask:
    """A new mock app with its own model, clock (``ControllableClock`` by default) and seed."""
    app = Flask("currents_sim_mocks")
    app.config.update(API_KEYS=[], LIMITS=None)
    app.config.update(dict(config or {}))
    model = AmplitudeModel(
        clock or ControllableClock(),
        _limits(app.config["LIMITS"]),
        api_keys=app.config["API_KEYS"] or None,
        seed=seed,
        timer=time.perf_counter,  # each request-log line says how long the model took
    )
    app.extensions[MODEL] = model
    for name in BLUEPRINT_MODULES:
        importlib.import_module(name).init_app(app)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
    app.wsgi_app = Cors(app.wsgi_app)  # type: ignore[method-assign]  # outermost: every answer
    return app


def model_of(app: Flask) -> AmplitudeModel:
    found: AmplitudeModel = app.extensions[MODEL]
    return found


def find_model(app: Flask) -> AmplitudeModel | None:
    """The app's Amplitude model, None on an app not made by ``create_app`` (a bare Flask app
    serving another mock alone)."""
    found: AmplitudeModel | None = app.extensions.get(MODEL)
    return found


def json_response(body: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(body), status=status, mimetype="application/json")


# [V2] lists "Invalid request path" among the 400 Bad Request errors (AMPLITUDE_API.md §3.2):
# a path Amplitude does not serve answers 400 with it. The control plane keeps 404s.
INVALID_PATH = {"code": 400, "error": "Invalid request path"}


def _http_error(exc: HTTPException) -> Response:
    """JSON ``{"code", "error"}``, keeping the exception's headers (a 405's ``Allow``)."""
    status = exc.code or 500
    if status == 404 and not request.path.startswith("/_mock/"):
        return json_response(INVALID_PATH, 400)
    error = "Invalid request path" if status == 404 else (exc.name or "Error")
    response = json_response({"code": status, "error": error}, status)
    for name, value in exc.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def _unexpected(exc: Exception) -> Response:
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    return json_response({"code": 500, "error": "Internal Server Error"}, 500)
