"""Braze's partner cohort import, minus HTTP, on an injected clock.

The served mock (``mocks/braze``) and the cohort-sync model (``simulator.cohorts``) use the
same ``BrazeModel``::

    from simulator.braze import BrazeModel, DEFAULT_CLIENT_SECRET, DEFAULT_PARTNER_KEY
    model = BrazeModel(clock)                                    # sandbox key and secret
    model.workspace(DEFAULT_CLIENT_SECRET).users.add(external_id="user-1")
    reply = model.change_users({"partner_api_key": DEFAULT_PARTNER_KEY,
                                "client_secret": DEFAULT_CLIENT_SECRET, "cohort_id": "c1",
                                "cohort_changes": [{"user_ids": ["user-1"]}]})
    reply.status, reply.body   # 200, {"message": "success"}
"""

from simulator.braze.cohort_import import (
    DEFAULT_CLIENT_SECRET,
    DEFAULT_PARTNER_KEY,
    BrazeModel,
    Cohort,
    Reply,
    Workspace,
    display_name,
    populate,
)
from simulator.braze.users import BrazeUser, Resolution, UserRegistry
from simulator.braze.validation import MAX_IDS

__all__ = [
    "DEFAULT_CLIENT_SECRET",
    "DEFAULT_PARTNER_KEY",
    "MAX_IDS",
    "BrazeModel",
    "BrazeUser",
    "Cohort",
    "Reply",
    "Resolution",
    "UserRegistry",
    "Workspace",
    "display_name",
    "populate",
]
