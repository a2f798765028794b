"""What the User Profile API serves beyond events, set through the admin API: the cohorts
synced ("tracked") to the Profile API, recommendations, computations and predictions per user,
and the API's request rate, on the model clock.

[UP] (AMPLITUDE_API.md §7, https://amplitude.com/docs/apis/analytics/user-profile):
``get_cohort_ids`` returns only cohorts synced to the Profile API; ``get_recs`` with ``rec_id``
returns ``recommendations`` items (``rec_id``, ``child_rec_id``, ``items``, ``is_control``,
``recommendation_source``, ``last_updated`` in epoch seconds); computations (``comp_id``) come
back inside ``amp_props`` as strings, null when unknown; ``prediction_id`` with
``get_propensity`` adds ``propensity`` and ``propensities`` (``prop``, ``pred_id``,
``prop_type`` ``score``/``pct``); "600 requests per minute" per org (here per project).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

REQUESTS_PER_MINUTE = 600
RATE_LIMITED = (
    "Number of requests per minute exceeds system limit. "
    "Contact Support if you need this limit raised"
)


@dataclass
class ProfileData:
    """One project's Profile API data, keyed by person key (``cohorts.Person.key``)."""

    tracked: set[str] = field(default_factory=set)  # cohort ids synced to the Profile API
    recommendations: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    computations: dict[str, dict[str, Any]] = field(default_factory=dict)
    predictions: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)
    recent: deque[float] = field(default_factory=deque)

    def over_rate(self, now: float) -> bool:
        """Count a request at ``now``; True when it is past 600 in the last minute."""
        while self.recent and now - self.recent[0] >= 60.0:
            self.recent.popleft()
        if len(self.recent) >= REQUESTS_PER_MINUTE:
            return True
        self.recent.append(now)
        return False

    def set_for(self, person_key: str, spec: dict[str, Any], now: float) -> None:
        """Merge what the admin API sets for one person (already validated)."""
        for rec in spec.get("recommendations", []):
            item = {
                "rec_id": rec["rec_id"],
                "child_rec_id": rec.get("child_rec_id", rec["rec_id"]),
                "items": list(rec.get("items", [])),
                "is_control": bool(rec.get("is_control", False)),
                "recommendation_source": rec.get("recommendation_source", "model"),
                "last_updated": int(now),
            }
            self.recommendations.setdefault(person_key, {})[rec["rec_id"]] = item
        self.computations.setdefault(person_key, {}).update(spec.get("computations", {}))
        self.predictions.setdefault(person_key, {}).update(spec.get("predictions", {}))

    def clear(self) -> None:
        self.tracked.clear()
        self.recommendations.clear()
        self.computations.clear()
        self.predictions.clear()
        self.recent.clear()


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _recs_problem(recs: Any) -> str | None:
    if not isinstance(recs, list):
        return "recommendations must be a list"
    for rec in recs:
        if not isinstance(rec, dict) or not isinstance(rec.get("rec_id"), str) or not rec["rec_id"]:
            return "each recommendation needs a rec_id string"
        if not isinstance(rec.get("items", []), list):
            return "a recommendation's items must be a list"
        if not isinstance(rec.get("is_control", False), bool):
            return "a recommendation's is_control must be a boolean"
    return None


def spec_problem(spec: dict[str, Any]) -> str | None:
    """What is wrong with an admin profile spec (None: it can be set)."""
    if "recommendations" in spec and (problem := _recs_problem(spec["recommendations"])):
        return problem
    computations = spec.get("computations", {})
    if not isinstance(computations, dict):
        return "computations must be an object {comp_id: value}"
    predictions = spec.get("predictions", {})
    if not isinstance(predictions, dict) or not all(
        isinstance(p, dict) and set(p) <= {"score", "pct"} and all(map(_number, p.values()))
        for p in predictions.values()
    ):
        return "predictions must be an object {prediction_id: {score?, pct?: number}}"
    return None
