"""The User Profile API (``simulator.amplitude.profiles``): identify properties and cohort ids
of a user, its two auth schemes, and the answers for an unknown or missing id."""

from __future__ import annotations

import base64

import pytest

from simulator.amplitude import AmplitudeModel
from simulator.amplitude.cohort_api import CohortApi
from simulator.amplitude.profiles import user_profile
from simulator.clock import ManualClock
from tests.simulator.amplitude.conftest import KEY, identify_user_a, seen, upload_body


def _basic(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


def test_user_profile_returns_identify_properties_and_cohort_ids(
    model: AmplitudeModel, api: CohortApi, clock: ManualClock
) -> None:
    identify_user_a(model, plan="pro", age=41)
    seen(model, "user-b", at_ms=int(clock.now() * 1000))
    in_it = api.upload(KEY, upload_body(["user-a"])).body["cohort_id"]
    api.upload(KEY, upload_body(["user-b"]))
    assert api.track_cohort(KEY, in_it, True).status == 200
    params = {"user_id": "user-a", "get_amp_props": "true", "get_cohort_ids": "true"}
    for auth in ("Api-Key secret-0001", _basic(KEY, "secret-0001")):
        result = user_profile(api, auth, params)
        assert result.status == 200
        data = result.body["userData"]
        # identify only: no event, so no first/last use ([IDENT]); the HTTP API's library
        assert data["amp_props"] == {"library": "http/2.0", "first_used": None,
                                     "last_used": None, "plan": "pro", "age": 41}  # fmt: skip
        assert data["cohort_ids"] == [in_it]
        assert (data["user_id"], data["device_id"], data["recommendations"]) == (
            "user-a",
            "dev-a",
            None,
        )
    plain = user_profile(api, "Api-Key secret-0001", {"user_id": "user-a"}).body["userData"]
    assert (plain["amp_props"], plain["cohort_ids"]) == (None, None)


@pytest.mark.parametrize(
    ("auth", "status", "text"),
    [
        (None, 401, "Missing Api-Key in Authorization header"),
        ("Bearer x", 401, "Missing Api-Key in Authorization header"),
        ("Api-Key wrong-secret", 401, "Invalid Api-Key"),
        (_basic(KEY, "wrong-secret"), 401, "Invalid Api-Key"),
    ],
)
def test_user_profile_auth_errors(api: CohortApi, auth: str | None, status: int, text: str) -> None:
    result = user_profile(api, auth, {"user_id": "user-a"})
    assert (result.status, result.text) == (status, text)


def test_user_profile_unknown_or_missing_id(api: CohortApi) -> None:
    unknown = user_profile(api, "Api-Key secret-0001", {"user_id": "nobody"})
    assert unknown.body == {"error": "User id and device id not seen before"}
    assert user_profile(api, "Api-Key secret-0001", {}).status == 400
