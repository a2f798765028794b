"""A small Currents stream built from transformer inputs, and a scripted fake sink."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from simulator.clock import ManualClock
from simulator.connector import SinkResponse

T0 = 1_700_000_000


def record(
    n: int, t: int, device: str | None = "device-0001", user: str | None = "user-0001"
) -> dict[str, Any]:
    """One flat custom event (a type carrying device_id), id ``ev-<n>``."""
    return {
        "event_type": "users.behaviors.CustomEvent",
        "id": f"ev-{n:07d}",
        "time": t,
        "external_user_id": user,
        "device_id": device,
        "name": "tap",
    }


def steady(
    devices: int, every_s: int, duration_s: int, *, start: int = T0, hot: int = 0
) -> Iterator[dict[str, Any]]:
    """``devices`` normal devices each emitting one event every ``every_s`` seconds (staggered),
    plus, when ``hot`` > 0, device ``hot-device`` emitting ``hot`` events every second."""
    n = 0
    for t in range(start, start + duration_s):
        for d in range(-(t - start) % every_s, devices, every_s):
            yield record(n, t, f"device-{d:04d}", f"user-{d:04d}")
            n += 1
        for _ in range(hot):
            yield record(n, t, "hot-device", "hot-user")
            n += 1


def by_device(rec: dict[str, Any]) -> str:
    return "hot" if rec.get("device_id") == "hot-device" else "normal"


Script = Callable[[float, str, list[dict[str, Any]]], SinkResponse]


@dataclass
class ScriptedSink:
    """Answers each request with ``script(now, api_key, events)``; remembers every call."""

    clock: ManualClock
    script: Script
    calls: list[tuple[float, int, int]] = field(default_factory=list)  # (t, n events, status)

    def send(self, api_key: str, events: list[dict[str, Any]]) -> SinkResponse:
        now = self.clock.now()
        response = self.script(now, api_key, events)
        self.calls.append((now, len(events), response.status))
        return response


def ok(now: float, api_key: str, events: list[dict[str, Any]]) -> SinkResponse:
    return SinkResponse(200, {"code": 200, "events_ingested": len(events)})


def status(code: int, **body: Any) -> SinkResponse:
    return SinkResponse(code, {"code": code, **body})


def invalid_key(api_key: str) -> SinkResponse:
    return status(400, error=f"Invalid API key: {api_key}")
