"""A Braze workspace with known users on the test's clock, and cohort-import request bodies."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.braze import DEFAULT_CLIENT_SECRET as SECRET
from simulator.braze import DEFAULT_PARTNER_KEY as KEY
from simulator.braze import BrazeModel
from simulator.clock import ManualClock

__all__ = ["KEY", "SECRET", "changes", "members", "name"]


@pytest.fixture
def braze(clock: ManualClock) -> BrazeModel:
    model = BrazeModel(clock)
    users = model.workspaces[SECRET].users
    users.add(external_id="user-1", device_ids=["dev-of-user-1"])
    users.add(external_id="user-2")
    users.add(device_ids=["anon-device-1"])
    users.add(aliases=[("amplitude_id", "alias-1")])
    return model


def changes(*items: dict[str, Any], cohort_id: str = "c1", **over: Any) -> dict[str, Any]:
    body = {
        "partner_api_key": KEY,
        "client_secret": SECRET,
        "cohort_id": cohort_id,
        "cohort_changes": list(items),
    }
    return {**body, **over}


def name(**over: Any) -> dict[str, Any]:
    body = {
        "partner_api_key": KEY,
        "client_secret": SECRET,
        "cohort_id": "c1",
        "name": "Power users",
        "created_at": "2021-01-21T19:20:30+05:00",
    }
    return {**body, **over}


def members(braze: BrazeModel, cohort_id: str = "c1") -> set[str | None]:
    workspace = braze.workspaces[SECRET]
    return {
        u.external_id or next(iter(sorted(u.device_ids)), None)
        for u in workspace.members_of(cohort_id)
    }
