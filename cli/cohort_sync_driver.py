"""The HTTP side of ``cohort-sync``: sets the scenario up in the mocks and walks the clock.

Separate from ``cli/cohort_sync.py`` so ``--help`` never imports ``requests``.
"""

from __future__ import annotations

import argparse
from typing import Any

import requests

from clients.admin import MockAdmin
from clients.cohorts import HttpAmplitudeSource, HttpBrazeTarget, HttpMockClock
from clients.transport import MockAdminError
from simulator.cohorts import CohortSync, Identity, schedule
from simulator.cohorts import scenario as plan
from simulator.rng import derive

TIMEOUT_S = 30.0
NOT_FOUND = 404  # the Braze admin API: no such cohort (yet)
MAX_BATCH = 2000  # events per /2/httpapi request (AMPLITUDE_API.md §12.3.5)


class Driver:
    def __init__(self, url: str, args: argparse.Namespace) -> None:
        self.url, self.args = url, args
        self.session = requests.Session()
        keys = derive(args.seed, "cohort-sync-keys")
        self.api_key = args.api_key or f"{keys.getrandbits(128):032x}"
        self.admin = MockAdmin(url, api_key=self.api_key, session=self.session, timeout_s=TIMEOUT_S)
        self.secret_key = args.secret_key or f"{keys.getrandbits(128):032x}"
        self.client_secret = args.client_secret or f"cohort-sync-{keys.getrandbits(64):016x}"
        self.rng = derive(args.seed, "cohort-sync-activity")
        self.population = plan.population(derive(args.seed, "population"), args.users)
        self.persons = self.population.amplitude_persons()
        self.hour = 0

    def _call(
        self, method: str, path: str, body: Any = None, ok: tuple[int, ...] = (200, 201)
    ) -> Any:
        reply = self.session.request(method, f"{self.url}{path}", json=body, timeout=TIMEOUT_S)
        if reply.status_code not in ok:
            raise requests.HTTPError(f"{method} {path} -> {reply.status_code} {reply.text[:200]}")
        return reply.json()

    def now(self) -> float:
        return self.admin.now_ms() / 1000.0

    def set_clock(self, t: float) -> None:
        self.admin.set_clock(int(t * 1000))

    def setup(self) -> str:
        self.admin.set_scale(0)
        self.admin.add_secret(self.secret_key)
        self.admin.braze.put_workspace(self.client_secret)
        self.admin.braze.add_users(self.population.braze_users(), client_secret=self.client_secret)
        self.send(plan.SEEN, self.persons)
        made = self.admin.define_cohort(plan.COHORT_NAME, plan.RULE)
        return str(made["id"])

    def send(self, event_type: str, persons: list[Identity]) -> None:
        at_ms = int(self.now() * 1000)
        events = [
            plan.event(
                p, event_type, at_ms, f"{event_type}-{self.hour}-{p[1]}", self.population.devices
            )
            for p in persons
        ]
        for i in range(0, len(events), MAX_BATCH):
            self._call(
                "POST", "/2/httpapi", {"api_key": self.api_key, "events": events[i : i + MAX_BATCH]}
            )

    def run(self, duration: float) -> dict[str, Any]:
        cohort_id = self.setup()
        source = HttpAmplitudeSource(self.url, self.api_key, self.secret_key, session=self.session)
        target = HttpBrazeTarget(
            self.url, self.args.partner_key, self.client_secret, session=self.session
        )
        sync = CohortSync(
            source,
            target,
            HttpMockClock(self.admin),
            cohort_id,
            schedule(self.args.schedule),
        )
        assert sync.start is not None
        end, next_activity = sync.start + duration, sync.start
        while True:
            due = sync.next_due()
            t = min(next_activity, due if due is not None else float("inf"))
            if t > end:
                break
            self.set_clock(t)
            if t == next_activity:
                self.send(plan.PURCHASE, plan.buyers(self.rng, self.persons, self.args.buy_rate))
                self.hour += 1
                next_activity += 3600.0
            sync.step()
        self.set_clock(end)
        return self.verdict(sync, source)

    def verdict(self, sync: CohortSync, source: HttpAmplitudeSource) -> dict[str, Any]:
        amplitude = source.snapshot(sync.cohort_id).members
        users = self.admin.braze.users(self.client_secret)
        expected = plan.expected_in_braze(amplitude, users)
        actual = plan.braze_identities(self.braze_members(sync.cohort_id))
        return {
            "cohort_id": sync.cohort_id,
            "schedule": sync.schedule.name,
            "totals": sync.report(),
            "amplitude_size": len(amplitude),
            "expected_size": len(expected),
            "braze_size": len(actual),
            "missing": len(expected - actual),
            "extra": len(actual - expected),
            "agreement": expected == actual,
            "runs": [r.to_dict() for r in sync.runs],
        }

    def braze_members(self, cohort_id: str) -> list[dict[str, Any]]:
        """The cohort's members in Braze; none when no sync ever named it there (404)."""
        try:
            return self.admin.braze.members(cohort_id, self.client_secret)
        except MockAdminError as exc:
            if exc.status == NOT_FOUND:
                return []
            raise
