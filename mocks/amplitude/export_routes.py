"""The Export API route, serving ``simulator.amplitude.export`` over the model's journal.

``GET /api/2/export?start=YYYYMMDDTHH&end=YYYYMMDDTHH`` with HTTP Basic ``api_key:secret_key``
(the same pairs as the cohort API): 200 ``application/zip``; 404 when the range holds no data;
400 for a malformed range or one over 365 days; 401 without Basic credentials and 403 for a
bad pair (the cohort API's answers).
Error bodies are plain text: [EXP] documents the statuses, not their bodies.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, request

from mocks.amplitude.cohort_routes import basic_project, cohort_api_of, refusal
from simulator.amplitude.export import ExportError, archive, parse_range

bp = Blueprint("amplitude_export", __name__)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


@bp.get("/api/2/export")
def export() -> Response:
    project = basic_project()
    if project is None:
        return refusal()
    try:
        first, last = parse_range(request.args.get("start"), request.args.get("end"))
    except ExportError as exc:
        return Response(exc.message, status=exc.status, mimetype="text/plain")
    model = cohort_api_of(current_app).model
    data = archive(project, model.ingested(project), first, last)
    if data is None:
        return Response("No data for the range", status=404, mimetype="text/plain")
    return Response(data, status=200, mimetype="application/zip")
