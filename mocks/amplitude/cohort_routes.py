"""Amplitude's cohort and profile routes, serving ``simulator.amplitude.cohort_api``.

- ``GET /api/3/cohorts``, ``GET /api/5/cohorts/request/<cohort_id>`` (202),
  ``GET /api/5/cohorts/request-status/<request_id>`` (202, then 200),
  ``GET /api/5/cohorts/request/<request_id>/file`` (CSV), ``POST /api/3/cohorts/upload``,
  ``POST /api/3/cohorts/membership``: HTTP Basic ``api_key:secret_key`` (AMPLITUDE_API.md §8;
  none is 401 with a ``WWW-Authenticate`` challenge, a wrong pair 403);
- ``GET /v1/userprofile``: ``Authorization: Api-Key <secret>`` or Basic (§7);
- mock only: ``POST /_mock/amplitude/cohorts`` ``{api_key, name, rule}`` defines a behavioral
  cohort; ``GET``/``POST /_mock/amplitude/secrets`` ``{api_key, secret_key}`` registers the
  secret key of a project (needed for ``Api-Key`` auth; config ``SECRET_KEYS``, a mapping).
"""

from __future__ import annotations

from typing import Any

import orjson
from flask import Blueprint, Flask, Response, current_app, request

from simulator.amplitude import AmplitudeModel
from simulator.amplitude.cohort_api import (
    DOCUMENTED,
    ApiResult,
    CohortApi,
    api_error,
    forbidden,
    styled,
)
from simulator.amplitude.profiles import user_profile

EXTENSION = "amplitude_cohorts"
bp = Blueprint("amplitude_cohorts", __name__)
admin_bp = Blueprint("amplitude_cohorts_admin", __name__, url_prefix="/_mock/amplitude")


def init_app(app: Flask, model: AmplitudeModel) -> CohortApi:
    api = CohortApi(
        model,
        app.config.get("SECRET_KEYS") or {},
        polls_before_done=int(app.config.get("COHORT_POLLS_BEFORE_DONE", 1)),
    )
    app.extensions[EXTENSION] = api
    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    return api


def cohort_api_of(app: Flask) -> CohortApi:
    found: CohortApi = app.extensions[EXTENSION]
    return found


def _api() -> CohortApi:
    return cohort_api_of(current_app)


def respond(result: ApiResult) -> Response:
    """The HTTP answer, its body in the app's ``COHORT_BODIES`` style (``cohort_api.styled``)."""
    if result.text is not None:
        return Response(result.text, status=result.status, mimetype=result.mimetype)
    body = styled(result, current_app.config.get("COHORT_BODIES") or DOCUMENTED)
    return Response(orjson.dumps(body), status=result.status, mimetype=result.mimetype)


def basic_project() -> str | None:
    """The project of a valid Basic pair, else None."""
    auth = request.authorization
    if auth is None or auth.type != "basic":
        return None
    api_key, secret = auth.username, auth.password
    return api_key if _api().check_pair(api_key, secret) else None


# No Basic credentials at all is 401 with a challenge (RFC 9110 §11.6.1, §15.5.2: a request
# that lacks credentials; the docs name HTTP Basic, AMPLITUDE_API.md §8); a pair that is
# there but wrong stays the 403 of the public fixture (§8). Amplitude documents neither case.
CHALLENGE = {"WWW-Authenticate": 'Basic realm="Amplitude", charset="UTF-8"'}


def refusal() -> Response:
    """The answer to a request without a valid Basic pair: 401 without one, else 403."""
    auth = request.authorization
    if auth is None or auth.type != "basic":
        answer = respond(api_error(401, "Basic authentication required: api_key:secret_key"))
        answer.headers.update(CHALLENGE)
        return answer
    return respond(forbidden())


def _json() -> Any:
    try:
        return orjson.loads(request.get_data())
    except orjson.JSONDecodeError:
        return None


def _with_project(call: Any) -> Response:
    project = basic_project()
    return refusal() if project is None else respond(call(project))


@bp.get("/api/3/cohorts")
def list_cohorts() -> Response:
    return _with_project(lambda p: _api().list_cohorts(p))


@bp.get("/api/5/cohorts/request/<cohort_id>")
def request_download(cohort_id: str) -> Response:
    keys = request.args.getlist("propKeys") if request.args.get("props") == "1" else []
    return _with_project(lambda p: _api().request_download(p, cohort_id, keys))


@bp.get("/api/5/cohorts/request-status/<request_id>")
def request_status(request_id: str) -> Response:
    return _with_project(lambda p: _api().request_status(p, request_id))


@bp.get("/api/5/cohorts/request/<request_id>/file")
def download_file(request_id: str) -> Response:
    return _with_project(lambda p: _api().download_file(p, request_id))


@bp.post("/api/3/cohorts/upload")
def upload() -> Response:
    return _with_project(lambda p: _api().upload(p, _json()))


@bp.post("/api/3/cohorts/membership")
def membership() -> Response:
    return _with_project(lambda p: _api().membership(p, _json()))


@bp.get("/v1/userprofile")
def profile() -> Response:
    return respond(user_profile(_api(), request.headers.get("Authorization"), request.args))


@admin_bp.post("/profile")
def set_profile() -> Response:
    """``{api_key, user_id|device_id, recommendations?, computations?, predictions?}``: what the
    User Profile API answers for that user (``simulator.amplitude.profile_data``)."""
    body = _json()
    if not isinstance(body, dict) or not isinstance(body.get("api_key"), str):
        return respond(api_error(400, "the body must be an object with an api_key string"))
    return respond(_api().set_profile(body["api_key"], body))


@admin_bp.post("/profile-cohorts")
def track_cohort() -> Response:
    """``{api_key, cohort_id, tracked: true|false}``: sync a cohort to the Profile API."""
    body = _json()
    api_key = body.get("api_key") if isinstance(body, dict) else None
    cohort_id = body.get("cohort_id") if isinstance(body, dict) else None
    tracked = body.get("tracked", True) if isinstance(body, dict) else None
    if not isinstance(api_key, str) or not isinstance(cohort_id, str):
        return respond(api_error(400, "api_key and cohort_id must be strings"))
    if not isinstance(tracked, bool):
        return respond(api_error(400, "tracked must be true or false"))
    return respond(_api().track_cohort(api_key, cohort_id, tracked))


@admin_bp.post("/cohorts")
def define() -> Response:
    body = _json()
    if not isinstance(body, dict):
        return respond(api_error(400, "the body must be a JSON object"))
    api_key, name = body.get("api_key"), body.get("name")
    if not isinstance(api_key, str) or not api_key or not isinstance(name, str) or not name:
        return respond(api_error(400, "api_key and name must be non-empty strings"))
    return respond(_api().define(api_key, name, body.get("rule")))


@admin_bp.get("/secrets")
def secrets() -> Response:
    return respond(ApiResult(200, {"secret_keys": _api().secret_keys}))


@admin_bp.post("/secrets")
def add_secret() -> Response:
    body = _json()
    api_key = body.get("api_key") if isinstance(body, dict) else None
    secret = body.get("secret_key") if isinstance(body, dict) else None
    if not isinstance(api_key, str) or not api_key or not isinstance(secret, str) or not secret:
        return respond(api_error(400, "api_key and secret_key must be non-empty strings"))
    _api().add_secret(api_key, secret)
    return respond(ApiResult(201, {"secret_keys": _api().secret_keys}))
