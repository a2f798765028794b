"""Amplitude's ingestion routes under any path prefix: ``POST .../2/httpapi``, ``.../batch``,
and the form-encoded ``.../identify`` and ``.../groupidentify`` (POST, or GET with a query).

Any prefix lets an SDK's ``server_url`` be ``http://127.0.0.1:PORT/2/httpapi`` or
``http://127.0.0.1:PORT/anything/2/httpapi`` unchanged (AMPLITUDE_API.md §12.1).
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from mocks.amplitude import errors, wire
from mocks.app import model_of
from simulator.amplitude import AmplitudeModel
from simulator.amplitude.errors import payload_too_large

bp = Blueprint("amplitude", __name__)
UPLOADS = {"2/httpapi": "httpapi", "batch": "batch"}
FORMS = ("identify", "groupidentify")


def _model() -> AmplitudeModel:
    return model_of(current_app)


def upload(api: str, prefix: str = "") -> Response:
    model, endpoint = _model(), api
    try:
        raw, decoded = wire.read_body(request, wire.read_limit(model.limits, endpoint))
        payload = wire.parse_json(decoded)
    except wire.Rejected as rejected:
        return wire.respond(errors.rejected(model, endpoint, rejected.result))
    result = model.upload(endpoint, payload, size_bytes=len(raw), decoded_bytes=len(decoded))
    return wire.respond(result)


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
