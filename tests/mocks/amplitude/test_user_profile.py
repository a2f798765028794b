"""The User Profile API as [UP] documents it, on the served mock (real HTTP): ``amp_props``
carries Amplitude's ``library``, ``first_used`` and ``last_used``; only tracked cohorts are
listed; ``get_recs``, ``comp_id`` and ``prediction_id`` answer the documented shapes from values
set through the admin API; 600 requests per minute on the mock clock."""

from __future__ import annotations

import requests

SECRET = "any-secret"
DAY = 1_700_000_000_000  # 2023-11-14


def _ingest(mock, events) -> None:
    body = {"api_key": mock.api_key, "events": events}
    assert requests.post(mock.server_url, json=body, timeout=10).status_code == 200


def _profile(mock, **params) -> requests.Response:
    return requests.get(f"{mock.url}/v1/userprofile", params={"user_id": "user-0001", **params},
                        auth=(mock.api_key, SECRET), timeout=10)  # fmt: skip


def _admin(mock, path: str, body: dict) -> requests.Response:
    body = {"api_key": mock.api_key, **body}
    return requests.post(f"{mock.url}/_mock/amplitude/{path}", json=body, timeout=10)


def _seen(mock) -> None:
    _ingest(mock, [
        {"event_type": "a", "user_id": "user-0001", "time": DAY, "library": "Braze",
         "user_properties": {"plan": "pro"}},
        {"event_type": "b", "user_id": "user-0001", "time": DAY + 3 * 86_400_000},
    ])  # fmt: skip


def test_amp_props_carry_library_first_used_and_last_used(amplitude_mock):
    _seen(amplitude_mock)
    props = _profile(amplitude_mock, get_amp_props="true").json()["userData"]["amp_props"]
    assert props == {"library": "Braze", "first_used": "2023-11-14", "last_used": "2023-11-17",
                     "plan": "pro"}  # fmt: skip


def test_only_tracked_cohorts_are_listed(amplitude_mock):
    _seen(amplitude_mock)
    upload = {"name": "c", "app_id": 1, "id_type": "BY_USER_ID", "ids": ["user-0001"],
              "owner": "o@example.com", "published": True}  # fmt: skip
    made = [requests.post(f"{amplitude_mock.url}/api/3/cohorts/upload", json=upload,
                          auth=(amplitude_mock.api_key, SECRET), timeout=10).json()["cohort_id"]
            for _ in range(2)]  # fmt: skip
    assert _profile(amplitude_mock, get_cohort_ids="true").json()["userData"]["cohort_ids"] == []
    assert _admin(amplitude_mock, "profile-cohorts", {"cohort_id": made[1]}).status_code == 200
    listed = _profile(amplitude_mock, get_cohort_ids="true").json()["userData"]["cohort_ids"]
    assert listed == [made[1]]


def test_recommendations_computations_and_predictions_come_from_the_admin_api(amplitude_mock):
    _seen(amplitude_mock)
    spec = {"user_id": "user-0001",
            "recommendations": [{"rec_id": "rec-1", "items": ["sku-1", "sku-2"]}],
            "computations": {"comp-1": 5000000.0},
            "predictions": {"pred-1": {"score": 0.42, "pct": 87.0}}}  # fmt: skip
    assert _admin(amplitude_mock, "profile", spec).status_code == 200
    data = _profile(amplitude_mock, get_recs="true", rec_id="rec-1,rec-9", comp_id="comp-1,comp-9",
                    get_propensity="true", prediction_id="pred-1",
                    propensity_type="pct").json()["userData"]  # fmt: skip
    [rec] = data["recommendations"]
    assert rec["rec_id"] == rec["child_rec_id"] == "rec-1" and rec["items"] == ["sku-1", "sku-2"]
    assert rec["is_control"] is False and isinstance(rec["last_updated"], int)
    assert data["amp_props"] == {"comp-1": "5000000.0", "comp-9": None}
    assert data["propensity"] == 87.0
    assert data["propensities"] == [{"prop": 87.0, "pred_id": "pred-1", "prop_type": "pct"}]


def test_get_recs_needs_a_rec_id(amplitude_mock):
    _seen(amplitude_mock)
    assert _profile(amplitude_mock, get_recs="true").status_code == 400


def test_600_requests_a_minute_then_429_until_the_minute_passes(amplitude_mock):
    _seen(amplitude_mock)
    with requests.Session() as session:
        url = f"{amplitude_mock.url}/v1/userprofile"
        params, auth = {"user_id": "user-0001"}, (amplitude_mock.api_key, SECRET)
        codes = [session.get(url, params=params, auth=auth, timeout=10).status_code
                 for _ in range(601)]  # fmt: skip
        assert codes.count(200) == 600 and codes[-1] == 429
        over = session.get(url, params=params, auth=auth, timeout=10).json()
        assert over == {"error": "Number of requests per minute exceeds system limit. "
                                 "Contact Support if you need this limit raised"}  # fmt: skip
        amplitude_mock.advance(60)
        assert session.get(url, params=params, auth=auth, timeout=10).status_code == 200
