"""Braze's partner cohort endpoints as the cohort-import doc says, on a served mock (real HTTP):
``user_ids`` may hold external ids, device ids and aliases; errors use the troubleshooting
table's exact strings; requests per hour per partner key are limited on the mock clock."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from mocks.app import create_app
from mocks.braze import braze_model_of
from mocks.server import Server
from simulator.braze import DEFAULT_CLIENT_SECRET as SECRET
from simulator.braze import DEFAULT_PARTNER_KEY as KEY
from simulator.braze.cohort_import import REQUESTS_PER_HOUR

AUTH = {"partner_api_key": KEY, "client_secret": SECRET}


@pytest.fixture
def served() -> Iterator[str]:
    with Server(create_app({"BRAZE_REQUESTS_PER_HOUR": 5})).start() as server:
        users = [{"external_id": "user-1", "device_ids": ["dev-1"]}, {"device_ids": ["anon-1"]},
                 {"aliases": [{"alias_label": "crm", "alias_name": "a-1"}]}]  # fmt: skip
        answer = requests.post(f"{server.url}/_mock/braze/users", json={"users": users}, timeout=10)
        assert answer.status_code == 201
        yield server.url


def _changes(url: str, *items: dict[str, Any], **over: Any) -> requests.Response:
    body = {**AUTH, "cohort_id": "c1", "cohort_changes": list(items), **over}
    return requests.post(f"{url}/partners/amplitude/cohorts/users", json=body, timeout=10)


def _members(url: str) -> set[str | None]:
    found = requests.get(f"{url}/_mock/braze/members", params={"cohort_id": "c1"}, timeout=10)
    return {m["external_id"] or m["braze_id"] for m in found.json()["members"]}


def test_user_ids_may_hold_external_ids_device_ids_and_aliases(served):
    alias = {"alias_label": "crm", "alias_name": "a-1"}
    answer = _changes(served, {"user_ids": ["user-1", "anon-1", alias]})
    assert answer.status_code == 200
    assert len(_members(served)) == 3


ERRORS = [
    ({"cohort_id": 12}, "cohort_id must be a valid string"),
    ({"cohort_changes": "x"}, "cohort_changes must be an array of objects each with key user_ids "
     "and/or device_ids mapping to an array of strings, or an aliases object"),
    ({"cohort_changes": [{"user_ids": [f"u-{i}" for i in range(1001)]}]},
     "Only 1,000 user_ids, device_ids, and aliases are allowed per request"),
]  # fmt: skip


@pytest.mark.parametrize(("over", "message"), ERRORS)
def test_users_errors_use_the_troubleshooting_strings(served, over, message):
    answer = _changes(served, {"user_ids": ["user-1"]}, **over)
    assert (answer.status_code, answer.json()["message"]) == (400, message)


def test_name_errors_use_the_troubleshooting_strings(served):
    url = f"{served}/partners/amplitude/cohorts"
    no_name = {**AUTH, "cohort_id": "c1", "name": "", "created_at": "2024-05-01T10:00:00Z"}
    bad_time = {**AUTH, "cohort_id": "c1", "name": "n", "created_at": "yesterday"}
    assert requests.post(url, json=no_name, timeout=10).json()["message"] == (
        "name must be a non-empty string"
    )
    assert requests.post(url, json=bad_time, timeout=10).json()["message"] == (
        "created_at must be a valid time as an ISO-8601 string"
    )


def test_auth_errors_use_the_troubleshooting_strings(served):
    bad_key = _changes(served, {"user_ids": ["user-1"]}, partner_api_key="nope")
    bad_secret = _changes(served, {"user_ids": ["user-1"]}, client_secret="nope")
    assert (bad_key.status_code, bad_key.json()["message"]) == (401, "Invalid Partner API key")
    assert (bad_secret.status_code, bad_secret.json()["message"]) == (401, "Invalid client secret")


def test_requests_per_hour_per_partner_key_are_limited_on_the_mock_clock(served):
    statuses = [_changes(served, {"user_ids": ["user-1"]}).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    requests.post(f"{served}/_mock/clock", json={"advance_s": 3600}, timeout=10)
    assert _changes(served, {"user_ids": ["user-1"]}).status_code == 200


def test_the_default_limit_is_the_documented_250000_an_hour():
    with Server(create_app()).start() as server:
        assert braze_model_of(server.app).requests_per_hour == REQUESTS_PER_HOUR == 250_000
