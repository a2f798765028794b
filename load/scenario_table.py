"""DATA: the load scenarios, their sizes and their pass/fail thresholds (no locust import).

Each scenario is one thin locustfile in ``load/locustfiles/`` over the shared connector users of
``load/users.py``. Sizes: ``ci`` (the smoke run inside ``make test``: seconds, a few thousand
events) and ``full`` (``make load``: minutes). Times in ``params`` are *simulated* seconds on the
mock's clock, which runs ``clock_scale`` times faster than the wall.

Every run also requires every connector to have reported its ledger (``connectors_missing``
== 0), so that a run cut short by its time bound cannot pass with losses it did not count.

Thresholds prove the story happened (e.g. the hot device really delayed normal devices), not
just that the server stayed up; metrics are those of ``load.truth.summarize`` plus Locust's
``error_ratio`` and ``requests``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from load.thresholds import Threshold

HOUR = 3600.0


@dataclass(frozen=True)
class Scenario:
    name: str
    locustfile: str
    description: str
    users: int  # connector partitions (Locust users)
    run_time_s: int  # wall-clock bound given to Locust (-t)
    clock_scale: float  # simulated seconds per wall second
    params: dict[str, Any] = field(default_factory=dict)
    thresholds: tuple[Threshold, ...] = ()
    mock_args: tuple[str, ...] = ()  # extra `currents-sim serve` options
    full: dict[str, Any] = field(default_factory=dict)  # overrides for `--size full`

    def sized(self, size: str) -> Scenario:
        if size == "ci":
            return self
        if size != "full":
            raise ValueError(f"unknown size {size!r} (ci or full)")
        params = {**self.params, **self.full.get("params", {})}
        rest = {k: v for k, v in self.full.items() if k != "params"}
        return replace(self, params=params, **rest)


# The retry numbers (backoff, 2-5 min credential retries, 24 h / 48 h horizons) are those of
# simulator.connector.retry.RetryPolicy: the load users run the connector model itself.
_COMMON = {
    "batch_size": 100,  # Braze's default HTTP batch (BRAZE_CURRENTS.md §4.1)
    "flush_s": 300.0,  # ... or every 5 minutes
    "strategy": "braze",  # whole-batch retry: the behaviour the partner page warns about
}

SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario(
            name="steady",
            locustfile="steady.py",
            description="many normal devices, well under 1 event/s each: nothing lost or throttled",
            users=4,
            run_time_s=45,
            clock_scale=1.0,
            params={
                **_COMMON,
                "mix": "default",
                "events_per_user": 400,
                "production_s": 15.0,
                "drain_s": 30.0,
                "flush_s": 5.0,
            },
            thresholds=(
                Threshold("lost", "==", 0, "a steady connector loses nothing"),
                Threshold("throttled", "==", 0, "no device is anywhere near 30 events/s"),
                Threshold("error_ratio", "<", 0.01, "fewer than 1 % failed requests"),
                Threshold("undelivered", "==", 0, "every event with an id arrived"),
            ),
            full={
                "run_time_s": 420,
                "users": 8,
                "params": {"events_per_user": 30000, "production_s": 300.0},
            },
        ),
        Scenario(
            name="misconfigured-device",
            locustfile="misconfigured_device.py",
            description="one device above 30 events/s; whole-batch retries delay every device",
            users=2,
            run_time_s=90,
            clock_scale=10.0,
            params={
                **_COMMON,
                "mix": "default",
                "events_per_user": 4000,
                "production_s": 150.0,
                "drain_s": 900.0,
                "flush_s": 5.0,
                "hot": {
                    "device_class": "misconfigured",
                    "share": 0.6,
                    "rate": 100.0,
                    "burst_seconds": 60.0,
                },
            },
            thresholds=(
                Threshold("delay_p95_s.normal", ">=", 30, "the hot device delayed normal ones"),
                Threshold("throttled", ">", 0, "Amplitude answered 429"),
                Threshold("lost", "==", 0, "429s delay, they do not lose"),
            ),
            full={
                "run_time_s": 420,
                "clock_scale": 2.0,
                "params": {"events_per_user": 20000, "production_s": 600.0},
            },
        ),
        Scenario(
            name="credential-expiry",
            locustfile="credential_expiry.py",
            description="the key expires, 52 h pass (1 s = 2 h), events older than 48 h are lost",
            users=2,
            run_time_s=60,
            clock_scale=7200.0,
            params={
                **_COMMON,
                "mix": "default",
                "events_per_user": 2000,
                "production_s": 60 * HOUR,
                "drain_s": 2 * HOUR,
                "expire_at_s": 4 * HOUR,
                "outage_s": 52 * HOUR,
            },
            thresholds=(
                Threshold("lost", ">", 0, "an outage longer than 48 h loses events"),
                Threshold("lost_mismatch", "==", 0, "lost = events undelivered 48 h after failing"),
                Threshold("delivered", ">", 0, "events before and after the outage arrived"),
            ),
            full={"run_time_s": 240, "clock_scale": 1800.0, "params": {"events_per_user": 10000}},
        ),
        Scenario(
            name="quota-exhaustion",
            locustfile="quota_exhaustion.py",
            description="one device drives through the daily quota on a fast clock (1 s = 30 min)",
            users=2,
            run_time_s=40,
            clock_scale=1800.0,
            params={
                **_COMMON,
                "mix": "default",
                "events_per_user": 6000,
                "production_s": 8 * HOUR,
                "drain_s": HOUR,
                "flush_s": 600.0,
                "hot": {"device_class": "quota", "share": 0.9, "rate": 1.0},
            },
            mock_args=("--daily-quota", "3000"),
            thresholds=(
                Threshold("quota_exceeded", ">", 0, "the hot device hit the daily quota"),
                Threshold("delivered.normal", ">", 0, "normal devices still got through"),
            ),
            full={"run_time_s": 240, "clock_scale": 360.0},
        ),
    )
}
