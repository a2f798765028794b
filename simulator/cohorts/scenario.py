"""The pure half of the ``cohort-sync`` scenario: who exists where, who buys when, and what
Braze should hold. The CLI (``cli/cohort_sync.py``) carries it out over HTTP.

Population (seeded): users known to both Amplitude and Braze (by external id = Amplitude
``user_id``, each with a device), Amplitude-only users, Braze-only users, and anonymous Braze
users whose device Amplitude also sees. Every simulated hour each Amplitude person buys with
probability ``buy_rate``; the cohort is "did ``Purchase`` in the last day", so people enter when
they buy and leave a day after their last purchase: membership changes are driven by the mock
clock alone.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from simulator.cohorts.sync import DEVICE_IDS, USER_IDS, Identity

PURCHASE = "Purchase"
SEEN = "Seen"
RULE = {"type": "did_event", "event_type": PURCHASE, "days": 1}
COHORT_NAME = "Recent buyers"


def _hex(rng: random.Random, bits: int) -> str:
    return f"{rng.getrandbits(bits):0{bits // 4}x}"


@dataclass(frozen=True)
class Population:
    both: list[str]
    amplitude_only: list[str]
    braze_only: list[str]
    anonymous: list[str]
    devices: dict[str, str]  # user id -> its device id

    def amplitude_persons(self) -> list[Identity]:
        users = [(USER_IDS, u) for u in (*self.both, *self.amplitude_only)]
        return users + [(DEVICE_IDS, d) for d in self.anonymous]

    def braze_users(self) -> list[dict[str, Any]]:
        users: list[dict[str, Any]] = [
            {"external_id": u, "device_ids": [self.devices[u]]}
            for u in (*self.both, *self.braze_only)
        ]
        return users + [{"device_ids": [d]} for d in self.anonymous]


def population(rng: random.Random, users: int) -> Population:
    """``users`` people in both systems, plus 10% Amplitude-only, 10% Braze-only and 25%
    anonymous devices (at least one of each)."""
    extra = max(1, users // 10)

    def ids(n: int) -> list[str]:
        return [f"user-{_hex(rng, 40)}" for _ in range(n)]

    both, amp_only, braze_only = ids(users), ids(extra), ids(extra)
    devices = {u: f"dev-{_hex(rng, 64)}" for u in (*both, *amp_only, *braze_only)}
    anonymous = [f"anon-{_hex(rng, 64)}" for _ in range(max(1, users // 4))]
    return Population(both, amp_only, braze_only, anonymous, devices)


def buyers(rng: random.Random, persons: list[Identity], rate: float) -> list[Identity]:
    """Who buys in one hour."""
    return [p for p in persons if rng.random() < rate]


def event(
    person: Identity, event_type: str, at_ms: int, insert_id: str, devices: dict[str, str]
) -> dict[str, Any]:
    """The Amplitude event ``person`` sends (user id with its device, or a device alone)."""
    kind, value = person
    ids = (
        {"user_id": value, "device_id": devices[value]}
        if kind == USER_IDS
        else {"device_id": value}
    )
    return {"event_type": event_type, "time": at_ms, "insert_id": insert_id, **ids}


def expected_in_braze(
    amplitude: Iterable[Identity], braze_users: list[dict[str, Any]]
) -> set[Identity]:
    """Amplitude's cohort restricted to existing Braze users (BRAZE_CURRENTS.md §5.1):
    external ids of any user, device ids of anonymous users only."""
    externals = {u["external_id"] for u in braze_users if u.get("external_id")}
    anonymous = {d for u in braze_users if not u.get("external_id") for d in u["device_ids"]}
    return {
        (kind, value)
        for kind, value in amplitude
        if (kind == USER_IDS and value in externals) or (kind == DEVICE_IDS and value in anonymous)
    }


def braze_identities(members: list[dict[str, Any]]) -> set[Identity]:
    """Braze cohort members (as ``/_mock/braze/members`` lists them) named like Amplitude's."""
    out: set[Identity] = set()
    for m in members:
        if m.get("external_id"):
            out.add((USER_IDS, m["external_id"]))
        else:
            out.update((DEVICE_IDS, d) for d in m["device_ids"])
    return out
