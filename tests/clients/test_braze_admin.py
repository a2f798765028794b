"""``MockAdmin(...).braze`` against a served mock: the ``/_mock/braze`` views and controls."""

from __future__ import annotations

import uuid

import pytest
import requests

from clients import MockAdminError
from simulator.braze import DEFAULT_PARTNER_KEY


@pytest.fixture
def secret() -> str:
    return f"secret-{uuid.uuid4().hex}"


def _partner(admin, path: str, secret: str, **body) -> int:
    auth = {"partner_api_key": DEFAULT_PARTNER_KEY, "client_secret": secret}
    url = f"{admin.base_url}/partners/amplitude{path}"
    return requests.post(url, json={**auth, **body}, timeout=10).status_code


def test_workspaces_are_added_updated_and_deleted(admin, secret):
    assert admin.braze.put_workspace(secret)["client_secret"] == secret
    assert admin.braze.put_workspace(secret, locked=True)["locked"] is True
    assert secret in [w["client_secret"] for w in admin.braze.workspaces()]
    admin.braze.delete_workspace(secret)
    assert secret not in [w["client_secret"] for w in admin.braze.workspaces()]


def test_users_are_added_generated_listed_and_deleted(admin, secret):
    admin.braze.put_workspace(secret)
    added = admin.braze.add_users(
        [{"external_id": "user-0001"}],
        client_secret=secret,
        generate={"identified": 2, "anonymous": 1, "seed": 3},
    )
    assert added["users"] == 4
    users = admin.braze.users(secret)
    assert len(users) == 4 and "user-0001" in [u.get("external_id") for u in users]
    braze_id = added["added"][0]["braze_id"]
    with pytest.raises(MockAdminError) as caught:
        admin.braze.delete_user(braze_id)  # two workspaces now: the secret is needed
    assert caught.value.status == 409
    admin.braze.delete_workspace(secret)


def test_cohorts_members_requests_and_reset(admin, secret):
    admin.braze.put_workspace(secret)
    admin.braze.add_users([{"external_id": "user-0001"}], client_secret=secret)
    with pytest.raises(MockAdminError) as caught:
        admin.braze.members("c1", secret)
    assert caught.value.status == 404
    named = {"cohort_id": "c1", "name": "Buyers", "created_at": "2026-01-01T00:00:00Z"}
    assert _partner(admin, "/cohorts", secret, **named) == 200
    changes = [{"user_ids": ["user-0001"]}]
    assert _partner(admin, "/cohorts/users", secret, cohort_id="c1", cohort_changes=changes) == 200
    assert [c["cohort_id"] for c in admin.braze.cohorts(secret)] == ["c1"]
    assert [m["external_id"] for m in admin.braze.members("c1", secret)] == ["user-0001"]
    assert len(admin.braze.requests(client_secret=secret, cohort_id="c1")) == 2
    admin.braze.reset(secret)
    assert admin.braze.cohorts(secret) == [] and admin.braze.requests(client_secret=secret) == []
    admin.braze.delete_workspace(secret)
