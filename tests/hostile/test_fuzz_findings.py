"""What fuzzing ``/_mock/openapi.json`` found where the mock, not its document, was wrong: each
behaviour over a real socket (``currents-sim serve``)."""

from __future__ import annotations

import base64
import uuid

import requests


def _key() -> str:
    return f"findings-{uuid.uuid4().hex}"


def _upload(url: str, body: dict) -> requests.Response:
    return requests.post(f"{url}/2/httpapi", json=body, timeout=10)


# -- Braze admin views: a missing resource is 404, an ambiguous workspace 409 ----------------
def test_an_unknown_braze_workspace_user_or_cohort_is_404(serve):
    url = serve()
    admin = f"{url}/_mock/braze"
    assert requests.get(f"{admin}/users?client_secret=nope", timeout=10).status_code == 404
    assert requests.delete(f"{admin}/users?braze_id=nope", timeout=10).status_code == 404
    assert requests.get(f"{admin}/members?cohort_id=nope", timeout=10).status_code == 404


def test_a_braze_view_without_a_secret_among_several_workspaces_is_409(serve):
    url = serve()
    added = requests.post(f"{url}/_mock/braze/workspaces", json={"client_secret": "second"},
                          timeout=10)  # fmt: skip
    answer = requests.get(f"{url}/_mock/braze/users", timeout=10)
    assert added.status_code == 201
    assert answer.status_code == 409 and "client_secret is required" in answer.json()["error"]


def test_a_braze_members_view_without_a_cohort_id_is_400(serve):
    answer = requests.get(f"{serve()}/_mock/braze/members", timeout=10)
    assert answer.json() == {"code": 400, "error": "cohort_id is required"}


def test_a_generate_seed_that_is_not_a_number_or_text_is_400_not_a_server_error(serve):
    body = {"generate": {"identified": 1, "seed": [1]}}
    answer = requests.post(f"{serve()}/_mock/braze/users", json=body, timeout=10)
    assert answer.status_code == 400 and "seed" in answer.json()["error"]


# -- fault rules: every field checked, null is the default ------------------------------------
def test_a_fault_whose_drop_is_not_a_boolean_is_refused(served):
    rule = {"api_key": _key(), "drop": [None, None]}
    answer = requests.post(f"{served}/_mock/faults", json=rule, timeout=10)
    assert answer.json() == {"code": 400, "error": "drop must be true or false"}


def test_a_fault_for_an_endpoint_the_mock_does_not_have_is_refused(served):
    rule = {"api_key": _key(), "status": 500, "endpoint": "nope"}
    answer = requests.post(f"{served}/_mock/faults", json=rule, timeout=10)
    assert answer.status_code == 400 and "endpoint must be one of" in answer.json()["error"]


def test_null_fault_fields_are_their_defaults(served):
    key = _key()
    rule = {"api_key": key, "status": 503, "latency_ms": None, "body": None, "count": 1}
    added = requests.post(f"{served}/_mock/faults", json=rule, timeout=10)
    hit = _upload(served, {"api_key": key, "events": [{"event_type": "e", "user_id": "user-1"}]})
    requests.delete(f"{served}/_mock/faults?api_key={key}", timeout=10)
    assert added.status_code == 201 and hit.status_code == 503


# -- the cohort and export APIs: no credentials is 401 with a challenge, a wrong pair 403 ------
def test_the_cohort_api_without_credentials_is_401_with_a_basic_challenge(served):
    answer = requests.get(f"{served}/api/3/cohorts", timeout=10)
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].startswith("Basic ")


def test_the_export_api_without_credentials_is_401(served):
    answer = requests.get(f"{served}/api/2/export?start=20240101T00&end=20240101T01", timeout=10)
    assert answer.status_code == 401 and "WWW-Authenticate" in answer.headers


def test_the_cohort_api_with_a_wrong_pair_stays_403(served):
    key = _key()
    requests.post(f"{served}/_mock/amplitude/secrets",
                  json={"api_key": key, "secret_key": "right"}, timeout=10)  # fmt: skip
    token = base64.b64encode(f"{key}:wrong".encode()).decode()
    answer = requests.get(f"{served}/api/3/cohorts", headers={"Authorization": f"Basic {token}"},
                          timeout=10)  # fmt: skip
    assert answer.status_code == 403


# -- ingestion options ------------------------------------------------------------------------
def test_options_that_are_not_an_object_are_a_400(served):
    body = {"api_key": _key(), "events": [{"event_type": "e", "user_id": "user-1"}],
            "options": [None, None]}  # fmt: skip
    answer = _upload(served, body)
    assert answer.status_code == 400 and answer.json()["invalid_options"] == ["min_id_length"]


def test_a_null_min_id_length_is_the_default(served):
    short = {"event_type": "e", "user_id": "abc"}  # 3 characters: under the default 5
    body = {"api_key": _key(), "events": [short], "options": {"min_id_length": None}}
    assert _upload(served, body).status_code == 400
    body["events"] = [{"event_type": "e", "user_id": "user-1"}]
    assert _upload(served, body).json()["events_ingested"] == 1


# -- admin numbers: JSON Schema's integers ----------------------------------------------------
def test_an_integral_float_is_an_integer(served):
    body = {"api_key": _key(), "count": 0.0, "timeout_s": 0}
    answer = requests.post(f"{served}/_mock/wait", json=body, timeout=10)
    assert answer.json() == {"ok": True, "matched": 0, "count": 0}


# -- the event stream -------------------------------------------------------------------------
def test_a_stream_since_beyond_the_newest_entry_starts_now(served):
    answer = requests.get(f"{served}/_mock/stream?since=999999999&max_s=0&topics=entries",
                          timeout=10)  # fmt: skip
    assert answer.status_code == 200 and "event: end" in answer.text


def test_a_negative_stream_since_is_a_400_naming_it(served):
    answer = requests.get(f"{served}/_mock/stream?since=-1&max_s=0", timeout=10)
    assert answer.status_code == 400 and answer.json()["error"].startswith("since must be")


# -- the cohort API's bodies --------------------------------------------------------------------
def _basic(key: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()}


def test_a_membership_whose_id_type_is_an_object_is_400_not_a_server_error(served):
    body = {"cohort_id": "c", "memberships": [{"ids": [], "id_type": {}, "operation": "ADD"}]}
    answer = requests.post(f"{served}/api/3/cohorts/membership", json=body,
                           headers=_basic(_key(), "any-secret"), timeout=10)  # fmt: skip
    assert answer.status_code == 400
    assert answer.json()["error"]["message"] == "id_type must be BY_ID or BY_NAME"


def test_an_upload_whose_skip_save_is_not_a_boolean_is_400(served):
    body = {"name": "n", "app_id": 1, "id_type": "BY_USER_ID", "ids": [], "owner": "o",
            "published": False, "skip_save": {}}  # fmt: skip
    answer = requests.post(f"{served}/api/3/cohorts/upload", json=body,
                           headers=_basic(_key(), "any-secret"), timeout=10)  # fmt: skip
    assert answer.status_code == 400
    assert answer.json()["error"]["message"] == "skip_save must be true or false"
