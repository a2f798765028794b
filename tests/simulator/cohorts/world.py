"""A small world for sync tests: Amplitude and Braze models on one manual clock, with users
that exist in both, in only one, and anonymous devices (some of identified Braze users)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from simulator.amplitude import AmplitudeModel
from simulator.amplitude.cohort_api import CohortApi
from simulator.braze import DEFAULT_CLIENT_SECRET, DEFAULT_PARTNER_KEY, BrazeModel, Workspace
from simulator.clock import ManualClock
from simulator.cohorts import CohortSync, Identity, schedule
from simulator.cohorts.inprocess import AmplitudeSource, BrazeTarget

KEY = "key-0001"


@dataclass
class World:
    clock: ManualClock
    amplitude: AmplitudeModel
    api: CohortApi
    braze: BrazeModel
    cohort_id: str
    persons: list[Identity] = field(default_factory=list)

    @classmethod
    def build(
        cls, clock: ManualClock, *, braze_users: int = 20, amp_only: int = 5, anonymous: int = 10
    ) -> World:
        amplitude = AmplitudeModel(clock, seed=0)
        api = CohortApi(amplitude)
        braze = BrazeModel(clock)
        users = braze.workspaces[DEFAULT_CLIENT_SECRET].users
        persons: list[Identity] = []
        for i in range(braze_users):
            users.add(external_id=f"user-{i:05d}", device_ids=[f"idev-{i:05d}"])
            persons.append(("user_ids", f"user-{i:05d}"))
        for i in range(anonymous):
            users.add(device_ids=[f"anon-{i:05d}"])
            persons.append(("device_ids", f"anon-{i:05d}"))
        persons += [("user_ids", f"amp-only-{i:05d}") for i in range(amp_only)]
        persons += [("device_ids", f"anon-amp-only-{i:05d}") for i in range(amp_only)]
        # a device of an identified Braze user, seen anonymously by Amplitude
        persons += [("device_ids", f"idev-{i:05d}") for i in range(min(3, braze_users))]
        world = cls(clock, amplitude, api, braze, "", persons)
        world.ingest(persons)
        body = {
            "name": "Buyers",
            "app_id": 1,
            "id_type": "BY_USER_ID",
            "ids": [],
            "owner": "qa",
            "published": True,
        }
        world.cohort_id = api.upload(KEY, body).body["cohort_id"]
        return world

    def ingest(self, persons: list[Identity]) -> None:
        events: list[dict[str, Any]] = []
        for n, (kind, value) in enumerate(persons):
            ids = {"user_id": value} if kind == "user_ids" else {"device_id": value}
            events.append({"event_type": "Seen", "insert_id": f"seen-{value}-{n}", **ids})
        for i in range(0, len(events), 2000):
            payload = {"api_key": KEY, "events": events[i : i + 2000]}
            assert self.amplitude.upload("httpapi", payload, size_bytes=1).status == 200

    def amp_id(self, person: Identity) -> int:
        kind, value = person
        activity = self.api.project(KEY).activity
        found = (
            activity.find(user_id=value) if kind == "user_ids" else activity.find(device_id=value)
        )
        assert found is not None
        return found.amplitude_id

    def change(self, persons: list[Identity], operation: str) -> None:
        ids = [str(self.amp_id(p)) for p in persons]
        membership = {"ids": ids, "id_type": "BY_ID", "operation": operation}
        body = {"cohort_id": self.cohort_id, "memberships": [membership]}
        assert self.api.membership(KEY, body).status == 200

    def amplitude_members(self) -> set[Identity]:
        return set(AmplitudeSource(self.api, KEY).snapshot(self.cohort_id).members)

    @property
    def workspace(self) -> Workspace:
        return self.braze.workspaces[DEFAULT_CLIENT_SECRET]

    def existing_in_braze(self, identities: set[Identity]) -> set[Identity]:
        """Identities that name an existing Braze user by the rules of §5.1, computed here
        from the world's own construction (not by asking Braze's registry)."""
        ws = self.workspace
        externals = {u.external_id for u in ws.users.users.values() if u.external_id}
        anonymous = {d for u in ws.users.users.values() if not u.identified for d in u.device_ids}
        return {
            (kind, value)
            for kind, value in identities
            if (kind == "user_ids" and value in externals)
            or (kind == "device_ids" and value in anonymous)
        }

    def braze_members(self) -> set[Identity]:
        out: set[Identity] = set()
        for user in self.workspace.members_of(self.cohort_id):
            if user.external_id:
                out.add(("user_ids", user.external_id))
            else:
                out.update(("device_ids", d) for d in user.device_ids)
        return out

    def sync(self, cadence: str = "hourly", target: Any = None) -> CohortSync:
        return CohortSync(
            AmplitudeSource(self.api, KEY),
            target or BrazeTarget(self.braze, DEFAULT_PARTNER_KEY, DEFAULT_CLIENT_SECRET),
            self.clock,
            self.cohort_id,
            schedule(cadence),
        )
