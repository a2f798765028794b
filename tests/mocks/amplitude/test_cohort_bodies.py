"""The Behavioral Cohorts API's bodies and limits as [COH] documents them, on the served mock:
upload answers ``{"cohort_id", "metadata"}``, errors ``{"error": {"message", "code",
"metadata"}}``, strict membership names the cohort and ``memberships_result``, at most 100,000
ids per request, and the download limits (4 a minute, 60 per 10 minutes, 500 a month) on the
mock clock with 429s. ``serve --cohort-bodies observed`` answers the older shapes."""

from __future__ import annotations

import requests

from mocks.app import create_app
from mocks.server import Server

SECRET = "any-secret"


def _ingest(mock, users: list[str]) -> None:
    events = [{"event_type": "Played", "user_id": u} for u in users]
    body = {"api_key": mock.api_key, "events": events}
    assert requests.post(mock.server_url, json=body, timeout=10).status_code == 200


def _upload(url: str, key: str, ids: list[str], **extra) -> requests.Response:
    body = {"name": "Uploaded", "app_id": 1, "id_type": "BY_USER_ID", "ids": ids,
            "owner": "owner@example.com", "published": True, **extra}  # fmt: skip
    return requests.post(f"{url}/api/3/cohorts/upload", json=body, auth=(key, SECRET), timeout=30)


def test_upload_answers_cohort_id_and_metadata(amplitude_mock):
    _ingest(amplitude_mock, ["user-0001", "user-0002"])
    answer = _upload(amplitude_mock.url, amplitude_mock.api_key, ["user-0001", "nobody-01"])
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"cohort_id", "metadata"}
    assert body["metadata"] == {"matched": 1, "totals": 2, "invalid_ids_sample": ["nobody-01"]}


def test_errors_are_message_code_metadata(amplitude_mock):
    answer = requests.post(f"{amplitude_mock.url}/api/3/cohorts/upload", json={"name": 1},
                           auth=(amplitude_mock.api_key, SECRET), timeout=10)  # fmt: skip
    assert answer.status_code == 400
    assert set(answer.json()["error"]) == {"message", "code", "metadata"}
    assert answer.json()["error"]["code"] == 400


def test_more_than_100000_ids_is_refused(amplitude_mock):
    ids = [f"user-{i}" for i in range(100_001)]
    answer = _upload(amplitude_mock.url, amplitude_mock.api_key, ids)
    assert answer.status_code == 400
    assert answer.json()["error"]["metadata"] == {"max_ids": 100_000}


def test_strict_membership_names_the_cohort_and_the_results(amplitude_mock):
    _ingest(amplitude_mock, ["user-0001"])
    cohort_id = _upload(amplitude_mock.url, amplitude_mock.api_key, ["user-0001"]).json()[
        "cohort_id"
    ]
    body = {"cohort_id": cohort_id, "skip_invalid_ids": False, "memberships": [
        {"ids": ["nobody-01"], "id_type": "BY_NAME", "operation": "ADD"}]}  # fmt: skip
    answer = requests.post(f"{amplitude_mock.url}/api/3/cohorts/membership", json=body,
                           auth=(amplitude_mock.api_key, SECRET), timeout=10)  # fmt: skip
    assert answer.status_code == 400
    assert answer.json()["error"]["metadata"] == {
        "cohort_id": cohort_id,
        "memberships_result": [
            {"skipped_ids": ["nobody-01"], "id_type": "BY_NAME", "operation": "ADD"}
        ],
    }


def _poll(mock, request_id: str) -> None:
    url = f"{mock.url}/api/5/cohorts/request-status/{request_id}"
    for _ in range(3):
        requests.get(url, auth=(mock.api_key, SECRET), timeout=10)


def _download(mock, cohort_id: str) -> requests.Response:
    url = f"{mock.url}/api/5/cohorts/request/{cohort_id}"
    return requests.get(url, auth=(mock.api_key, SECRET), timeout=10)


def test_at_most_4_downloads_run_in_parallel(amplitude_mock):
    _ingest(amplitude_mock, ["user-0001"])
    cohort_id = _upload(amplitude_mock.url, amplitude_mock.api_key, ["user-0001"]).json()[
        "cohort_id"
    ]
    started = [_download(amplitude_mock, cohort_id) for _ in range(5)]
    assert [r.status_code for r in started] == [202] * 4 + [429]
    assert started[4].json()["error"]["message"].endswith("4 parallel requests per minute per app")
    _poll(amplitude_mock, started[0].json()["request_id"])  # one job completes: room for one
    assert _download(amplitude_mock, cohort_id).status_code == 202


def test_at_most_60_downloads_per_10_minutes_on_the_mock_clock(amplitude_mock):
    _ingest(amplitude_mock, ["user-0001"])
    cohort_id = _upload(amplitude_mock.url, amplitude_mock.api_key, ["user-0001"]).json()[
        "cohort_id"
    ]
    for _ in range(60):
        answer = _download(amplitude_mock, cohort_id)
        assert answer.status_code == 202
        _poll(amplitude_mock, answer.json()["request_id"])
    refused = _download(amplitude_mock, cohort_id)
    assert refused.status_code == 429
    assert refused.json()["error"]["message"].endswith(
        "60 single cohort requests per 10 minutes per app"
    )
    amplitude_mock.advance(600)
    assert _download(amplitude_mock, cohort_id).status_code == 202


def test_observed_bodies_are_a_serve_option():
    app = create_app({"COHORT_BODIES": "observed"})
    with Server(app).start() as server:
        key = "key-observed1"
        body = {"api_key": key, "events": [{"event_type": "Played", "user_id": "user-0001"}]}
        requests.post(f"{server.url}/2/httpapi", json=body, timeout=10)
        uploaded = _upload(server.url, key, ["user-0001"]).json()
        bad = requests.post(f"{server.url}/api/3/cohorts/upload", json={},
                            auth=(key, SECRET), timeout=10).json()  # fmt: skip
    assert "cohortId" in uploaded and "cohort_id" not in uploaded
    assert set(bad["error"]) == {"http_code", "type", "message", "metadata"}
