"""DATA: the scenarios run against a connector under test, and their thresholds.

Everything here happens on the wall clock: the team's connector runs in real time, so the mock's
clock must too (scale 1; nothing here moves it). Times are wall seconds. Each Locust user is one
Braze connector partition that produces ``rate`` events per second for ``production_s`` and then
waits up to ``drain_s`` for the connector to deliver what it acknowledged.

Default thresholds say what a correct connector guarantees: nothing it acknowledged is lost,
every delivered event's content conforms to the reference transformer (``conformance_errors``),
and each scenario's story holds (e.g. the hot device really was throttled).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from load.thresholds import Threshold

ALWAYS = (
    Threshold("lost", "==", 0, "nothing the connector acknowledged may vanish"),
    Threshold("conformance_errors", "==", 0, "delivered events match the reference transformer"),
    Threshold("senders_missing", "==", 0, "every sender reported its ledger"),
)


@dataclass(frozen=True)
class SutScenario:
    name: str
    description: str
    users: int  # Braze partitions (Locust users)
    params: dict[str, Any] = field(default_factory=dict)
    thresholds: tuple[Threshold, ...] = ()
    full: dict[str, Any] = field(default_factory=dict)  # `--size full` overrides of params

    @property
    def run_time_s(self) -> float:
        """Locust's bound: production, drain, and the outage for the credential story."""
        p = self.params
        return float(p["production_s"] + p["drain_s"] + p.get("outage_s", 0.0) + 10.0)

    def sized(self, size: str) -> SutScenario:
        if size == "ci":
            return self
        if size != "full":
            raise ValueError(f"unknown size {size!r} (ci or full)")
        return replace(self, params={**self.params, **self.full})

    def with_params(self, **changes: Any) -> SutScenario:
        return replace(self, params={**self.params, **changes})


_COMMON = {"batch_size": 100, "max_wait_s": 1.0, "mix": "default"}

SCENARIOS: dict[str, SutScenario] = {
    s.name: s
    for s in (
        SutScenario(
            name="steady",
            description="normal devices at a steady rate: everything delivered once, conforming",
            users=2,
            params={**_COMMON, "rate": 50.0, "production_s": 8.0, "drain_s": 30.0},
            thresholds=(
                Threshold("undelivered", "==", 0, "every exported event arrived"),
                Threshold("not_acknowledged", "==", 0, "the connector accepted every batch"),
            ),
            full={"rate": 200.0, "production_s": 120.0, "drain_s": 120.0},
        ),
        SutScenario(
            name="misconfigured-device",
            description="one device far above 30 events/s: only it may be held back",
            users=1,
            # The hot device sends 1,080 events in one 10.8 s burst at 100/s: more than the 900
            # a device may send in Amplitude's 30 s window (30 ev/s), so it is throttled.
            params={
                **_COMMON,
                "rate": 150.0,
                "production_s": 12.0,
                "drain_s": 120.0,
                "hot": {
                    "device_class": "misconfigured",
                    "share": 0.6,
                    "rate": 100.0,
                    "burst_seconds": 10.8,
                },
            },
            thresholds=(
                Threshold("throttled", ">", 0, "Amplitude answered 429 for the hot device"),
                Threshold("delay_p95_s.normal", "<=", 20, "normal devices were not held back"),
                Threshold("undelivered", "==", 0, "the hot device's events arrived in the end"),
            ),
            full={"production_s": 120.0, "drain_s": 300.0},
        ),
        SutScenario(
            name="credential-expiry",
            description="the key is revoked for --outage seconds, then restored: nothing lost",
            users=1,
            params={
                **_COMMON,
                "rate": 20.0,
                "production_s": 10.0,
                "drain_s": 330.0,
                "revoke_after_s": 3.0,
                "outage_s": 90.0,
            },
            thresholds=(
                Threshold("unauthorized", ">", 0, "the connector met the revoked key"),
                Threshold("undelivered", "==", 0, "everything was delivered after the restore"),
            ),
            full={"production_s": 120.0},
        ),
    )
}


def thresholds_of(scenario: SutScenario, overrides: list[Threshold]) -> list[Threshold]:
    """The scenario's thresholds after the defaults; an override replaces the same metric+op."""
    from load.thresholds import merge

    return list(merge((*ALWAYS, *scenario.thresholds), overrides))
