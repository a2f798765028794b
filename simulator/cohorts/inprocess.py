"""In-process adapters: the sync model talking straight to the models (no HTTP), so simulated
days run in milliseconds. ``AmplitudeSource`` reads ``simulator.amplitude.cohort_api.CohortApi``;
``BrazeTarget`` calls ``simulator.braze.BrazeModel``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.amplitude.cohort_api import CohortApi
from simulator.braze import BrazeModel, Reply
from simulator.cohorts.sync import Identity, Outcome, Snapshot, SourceError, identity


def outcome(reply: Reply) -> Outcome:
    return Outcome(reply.status == 200, reply.status, str(reply.body.get("message", "")))


@dataclass
class BrazeTarget:
    """A ``CohortTarget`` calling ``BrazeModel`` with the partner key and a client secret."""

    model: BrazeModel
    partner_api_key: str
    client_secret: str

    def _auth(self) -> dict[str, Any]:
        return {"partner_api_key": self.partner_api_key, "client_secret": self.client_secret}

    def name_cohort(self, cohort_id: str, name: str, created_at: str) -> Outcome:
        body = {**self._auth(), "cohort_id": cohort_id, "name": name, "created_at": created_at}
        return outcome(self.model.name_cohort(body))

    def change_users(self, cohort_id: str, changes: list[dict[str, Any]]) -> Outcome:
        body = {**self._auth(), "cohort_id": cohort_id, "cohort_changes": changes}
        return outcome(self.model.change_users(body))


@dataclass
class AmplitudeSource:
    """A ``CohortSource`` reading a project's cohort straight from the Amplitude model."""

    api: CohortApi
    api_key: str

    def snapshot(self, cohort_id: str) -> Snapshot:
        model = self.api.model
        with model.lock:
            if not model.key_valid(self.api_key):
                raise SourceError(f"invalid API key {self.api_key}")
            cohort = self.api.project(self.api_key).cohorts.get(cohort_id)
            people = self.api.members(self.api_key, cohort_id)
            if cohort is None or people is None:
                raise SourceError(f"cohort {cohort_id} not found")
            found = (identity(p.user_id, p.device_id) for p in people)
            members: frozenset[Identity] = frozenset(i for i in found if i is not None)
            return Snapshot(cohort_id, cohort.name, cohort.created_at, members)
