"""In-process adapters: the sync model talking straight to the models (no HTTP), so simulated
days run in milliseconds. ``BrazeTarget`` wraps ``simulator.braze.BrazeModel``; the Amplitude
source is ``simulator.amplitude.cohorts.CohortSourceAdapter``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.braze import BrazeModel, Reply
from simulator.cohorts.sync import Outcome


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
