"""The User Profile API (``GET /v1/userprofile``) of the Amplitude model.

Facts: AMPLITUDE_API.md §7 ([UP]) and BRAZE_CURRENTS.md §6.2 ([UPAPI]):

- auth: the older page uses ``Authorization: Api-Key <SECRET KEY>``, the newer one Basic
  ``api_key:secret_key``; the mock accepts both. Missing or malformed header: 401
  ``Missing Api-Key in Authorization header``; wrong key: 401 ``Invalid Api-Key`` (plain text);
- ``user_id`` or ``device_id`` is required; ``get_amp_props``, ``get_cohort_ids`` (and
  ``get_recs``, ``get_computations``...) are ``true``/``false`` flags, default false;
- the answer is ``{"userData": {"recommendations", "user_id", "device_id", "amp_props",
  "cohort_ids"}}``, with ``null`` for what was not asked for;
- an unknown id: ``{"error": "User id and device id not seen before"}``.

Decisions: the status of the unknown-id error is not documented; the mock answers 400 (the id
is what is wrong), and 429 for the rate limit. ``amp_props`` are Amplitude's defaults
(``library``, ``first_used``, ``last_used``) plus the properties set by ``$identify`` and by
events' ``user_properties``; ``cohort_ids`` lists the tracked cohorts the user is in now;
recommendations, computations and predictions are what the admin API set
(``simulator.amplitude.profile_data``), never invented.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from simulator.amplitude.cohort_api import ApiResult, CohortApi
from simulator.amplitude.cohorts import Person
from simulator.amplitude.profile_data import RATE_LIMITED, ProfileData

MISSING = "Missing Api-Key in Authorization header"
INVALID = "Invalid Api-Key"
NOT_SEEN = "User id and device id not seen before"
# The HTTP V2 API's library (the events carry none of their own): the doc's example shows
# "http/1.0" for the retired HTTP API.
DEFAULT_LIBRARY = "http/2.0"


def _flag(params: Mapping[str, str], name: str) -> bool:
    return params.get(name, "false").strip().lower() in ("true", "1")


def _text(status: int, message: str) -> ApiResult:
    return ApiResult(status, text=message, mimetype="text/plain")


def project_for(api: CohortApi, authorization: str | None) -> str | ApiResult:
    """The API key the header authenticates, or the 401 to answer."""
    scheme, _, value = (authorization or "").strip().partition(" ")
    value = value.strip()
    if not value or scheme.lower() not in ("api-key", "basic"):
        return _text(401, MISSING)
    if scheme.lower() == "api-key":
        found = api.api_key_for_secret(value)
        return found if found is not None else _text(401, INVALID)
    try:
        decoded = base64.b64decode(value, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return _text(401, MISSING)
    api_key, sep, secret = decoded.partition(":")
    if not sep or not api.check_pair(api_key, secret):
        return _text(401, INVALID)
    return api_key


def user_profile(api: CohortApi, authorization: str | None, params: Mapping[str, str]) -> ApiResult:
    """``GET /v1/userprofile`` with its query ``params``."""
    project = project_for(api, authorization)
    if isinstance(project, ApiResult):
        return project
    user_id, device_id = params.get("user_id") or None, params.get("device_id") or None
    if user_id is None and device_id is None:
        return ApiResult(400, {"error": "user_id or device_id is required"})
    if _flag(params, "get_recs") and not _ids(params, "rec_id"):
        return ApiResult(400, {"error": "rec_id is required when get_recs is true"})
    model = api.model
    with model.lock:
        state = api.project(project)
        if state.profile.over_rate(model.clock.now()):
            return ApiResult(429, {"error": RATE_LIMITED})
        person = state.activity.find(user_id, device_id)
        if person is None:
            return ApiResult(400, {"error": NOT_SEEN})
        data: dict[str, Any] = {
            "recommendations": _recommendations(state.profile, person, params),
            "user_id": person.user_id,
            "device_id": person.device_id,
            "amp_props": _amp_props(api, project, person, params),
            "cohort_ids": _cohort_ids(api, project, person, params),
        }
        data.update(_propensities(state.profile, person, params))
        return ApiResult(200, {"userData": data})


def _ids(params: Mapping[str, str], name: str) -> list[str]:
    """A comma list parameter (``rec_id``, ``comp_id``, ``prediction_id``)."""
    return [part.strip() for part in params.get(name, "").split(",") if part.strip()]


def _day(seconds: float | None) -> str | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d")


def _amp_props(
    api: CohortApi, project: str, person: Person, params: Mapping[str, str]
) -> dict[str, Any] | None:
    """[UP] ``amp_props``: Amplitude's defaults (``library``, ``first_used``, ``last_used``:
    "http/1.0", "2020-01-13" in the doc's example), the user's properties, and computations as
    strings (null when unknown)."""
    comp_ids = _ids(params, "comp_id")
    wanted = _flag(params, "get_amp_props")
    if not wanted and not comp_ids and not _flag(params, "get_computations"):
        return None
    props: dict[str, Any] = {}
    if wanted:
        by_device = None if person.user_id else person.device_id
        found = api.model.user_properties(project, user_id=person.user_id, device_id=by_device)
        props = {
            "library": person.library or DEFAULT_LIBRARY,
            "first_used": _day(person.first_used),
            "last_used": _day(person.last_used),
            **(found or {}),
        }
    computed = api.project(project).profile.computations.get(person.key, {})
    for comp_id in comp_ids or (list(computed) if _flag(params, "get_computations") else []):
        value = computed.get(comp_id)
        props[comp_id] = None if value is None else str(value)
    return props


def _cohort_ids(
    api: CohortApi, project: str, person: Person, params: Mapping[str, str]
) -> list[str] | None:
    """[UP]: "only cohorts synced to the Profile API are returned"."""
    if not _flag(params, "get_cohort_ids"):
        return None
    tracked = api.project(project).profile.tracked
    return [c for c in api.cohorts_of(project, person) if c in tracked]


def _recommendations(
    profile: ProfileData, person: Person, params: Mapping[str, str]
) -> list[dict[str, Any]] | None:
    if not _flag(params, "get_recs"):
        return None
    known = profile.recommendations.get(person.key, {})
    return [dict(known[rec_id]) for rec_id in _ids(params, "rec_id") if rec_id in known]


def _propensities(
    profile: ProfileData, person: Person, params: Mapping[str, str]
) -> dict[str, Any]:
    """``propensity`` (the first prediction's value) and ``propensities``, for
    ``get_propensity`` with ``prediction_id``; ``propensity_type`` ``score`` (default) or
    ``pct``."""
    if not _flag(params, "get_propensity"):
        return {}
    kind = params.get("propensity_type", "score")
    known = profile.predictions.get(person.key, {})
    listed = [
        {"prop": known[p].get(kind) if p in known else None, "pred_id": p, "prop_type": kind}
        for p in _ids(params, "prediction_id")
    ]
    return {"propensity": listed[0]["prop"] if listed else None, "propensities": listed}
