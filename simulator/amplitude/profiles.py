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
is what is wrong). Recommendations and computations are not modelled: ``get_recs=true`` is a
400 saying so, rather than invented recommendations; ``get_computations`` adds nothing.
``amp_props`` are the properties set by ``$identify`` and by events' ``user_properties``;
``cohort_ids`` lists every cohort of the project the user is in now (the mock does not model
"tracked" cohorts).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping

from simulator.amplitude.cohort_api import ApiResult, CohortApi

MISSING = "Missing Api-Key in Authorization header"
INVALID = "Invalid Api-Key"
NOT_SEEN = "User id and device id not seen before"


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
    if _flag(params, "get_recs"):
        return ApiResult(400, {"error": "get_recs is not supported by this mock"})
    model = api.model
    with model.lock:
        person = api.project(project).activity.find(user_id, device_id)
        if person is None:
            return ApiResult(400, {"error": NOT_SEEN})
        props = None
        if _flag(params, "get_amp_props"):
            by_device = None if person.user_id else person.device_id
            props = model.user_properties(project, user_id=person.user_id, device_id=by_device)
        cohort_ids = api.cohorts_of(project, person) if _flag(params, "get_cohort_ids") else None
        data = {
            "recommendations": None,
            "user_id": person.user_id,
            "device_id": person.device_id,
            "amp_props": (props or {}) if _flag(params, "get_amp_props") else None,
            "cohort_ids": cohort_ids,
        }
        return ApiResult(200, {"userData": data})
