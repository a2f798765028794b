"""Amplitude's ingestion routes under any path prefix: ``POST .../2/httpapi``, ``.../batch``,
and the form-encoded ``.../identify`` and ``.../groupidentify`` (POST, or GET with a query).

Any prefix lets an SDK's ``server_url`` be ``http://127.0.0.1:PORT/2/httpapi`` or
``http://127.0.0.1:PORT/anything/2/httpapi`` unchanged (AMPLITUDE_API.md §12.1).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, request

from mocks.amplitude import errors, wire
from mocks.app import model_of
from simulator.amplitude import AmplitudeModel
from simulator.amplitude.errors import UploadResult, payload_too_large

bp = Blueprint("amplitude", __name__)
UPLOADS = {"2/httpapi": "httpapi", "batch": "batch"}
FORMS = ("identify", "groupidentify")


def _model() -> AmplitudeModel:
    return model_of(current_app)


def upload(api: str, prefix: str = "") -> Response:
    """The Flask view of an upload (used when the fast path is off: ``FAST_UPLOADS=False``)."""
    result = wire.handle_upload(
        _model(), api, request.content_length, request.stream,
        request.headers.get("Content-Encoding"),
    )  # fmt: skip
    return wire.respond(result)


def endpoint_of(path: str) -> str | None:
    """``httpapi``/``batch`` for ``.../2/httpapi`` and ``.../batch`` (any prefix), else None."""
    if path.endswith("/2/httpapi"):
        return "httpapi"
    if path.endswith("/batch"):
        return "batch"
    return None


class FastUploads:
    """WSGI middleware serving ``POST .../2/httpapi`` and ``POST .../batch`` without building
    Flask request and response objects: the hot path costs about a quarter less CPU per request
    (``bench/bench_mock.py``). It calls the very same ``wire.handle_upload`` as the Flask view;
    everything else (other methods, identify, ``/_mock``) goes on to Flask."""

    def __init__(self, wsgi_app: Any, model: AmplitudeModel) -> None:
        self.wsgi_app = wsgi_app
        self.model = model

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        endpoint = None
        if environ.get("REQUEST_METHOD") == "POST":
            endpoint = endpoint_of(environ.get("PATH_INFO", ""))
        if endpoint is None:
            return self.wsgi_app(environ, start_response)
        try:
            length_text = environ.get("CONTENT_LENGTH") or ""
            length = int(length_text) if length_text.isdigit() else None
            result = wire.handle_upload(
                self.model, endpoint, length, environ["wsgi.input"],
                environ.get("HTTP_CONTENT_ENCODING"),
            )  # fmt: skip
        except Exception:  # never a traceback on the wire (as the Flask error handler)
            result = UploadResult(500, {"code": 500, "error": "Internal Server Error"})
        return wire.wsgi_respond(result, start_response)


def form(kind: str, prefix: str = "") -> Response:
    model = _model()
    length = request.content_length
    if length is not None and length > model.limits.max_bytes_httpapi:
        return wire.respond(errors.rejected(model, kind, payload_too_large()))
    fields = request.values.to_dict()
    size = length if length is not None else len(request.query_string)
    return wire.respond(model.identify(kind, fields, size_bytes=size))


for path, name in UPLOADS.items():
    for rule in (f"/{path}", f"/<path:prefix>/{path}"):
        bp.add_url_rule(rule, f"upload_{name}_{rule.count('/')}", upload, methods=["POST"],
                        defaults={"api": name})  # fmt: skip
for name in FORMS:
    for rule in (f"/{name}", f"/<path:prefix>/{name}"):
        bp.add_url_rule(rule, f"form_{name}_{rule.count('/')}", form, methods=["GET", "POST"],
                        defaults={"kind": name})  # fmt: skip
