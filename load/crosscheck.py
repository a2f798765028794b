"""The credential-expiry story replayed in simulated time, to cross-check a load run.

Each connector of the run is rebuilt (``load.connectors``: same seed, same events, same jitter)
and run through the in-process Amplitude model on a ``ManualClock``, with the key expiring and
coming back at the scenario's instants. The events it drops are what the live run must have
lost. Real time adds jitter (at 7200x a millisecond of wall time is 7 s of mock time), so events
produced within ``tolerance_s`` of an edge of the lost window are not held against the run: at
least half an hour of mock time, more when the run's own requests near the expiry or the restore
reached the mock later than their connector meant (``edge_tolerance``; reported with the run).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from load.connectors import connector, stream
from simulator.amplitude import AmplitudeModel
from simulator.clock import ManualClock
from simulator.connector import DROPPED, Action, Connector, InProcessSink


def simulated_losses(cfg: dict[str, Any]) -> dict[str, float]:
    """Event id -> production time of every event the simulation drops, all connectors."""
    params, key = cfg["params"], cfg["api_key"]
    start = cfg["sim_start_ms"] / 1000.0
    restore = start + params["expire_at_s"] + params["outage_s"]
    lost: dict[str, float] = {}
    for index in range(cfg["users"]):
        clock = ManualClock(start)
        model = AmplitudeModel(clock)
        model.add_key(key, start + params["expire_at_s"])
        fix = Action(restore, _restore_key(model, key), "the key works again")
        ledger = connector(InProcessSink(model), clock, cfg, index).run(
            stream(cfg, index), actions=[fix]
        )
        lost.update({e.event_id: e.produced_at for e in ledger if e.fate == DROPPED})
    return lost


def _restore_key(model: AmplitudeModel, key: str) -> Callable[[Connector], None]:
    def apply(_: Connector) -> None:
        model.add_key(key)

    return apply


def mismatch(
    expected: dict[str, float], actual: dict[str, float], tolerance_s: float
) -> tuple[int, int]:
    """(events lost in one run but not the other away from the window's edges, at the edges)."""
    if not expected:
        return len(actual), 0
    low, high = min(expected.values()), max(expected.values())
    differing = {
        **{i: t for i, t in expected.items() if i not in actual},
        **{i: t for i, t in actual.items() if i not in expected},
    }
    edge = sum(1 for t in differing.values() if min(abs(t - low), abs(t - high)) <= tolerance_s)
    return len(differing) - edge, edge


def edge_tolerance(
    lateness: list[tuple[float, float]], deadlines: list[float], floor_s: float, near_s: float
) -> float:
    """How far from an edge of the lost window a fate may go either way: ``floor_s``, or more
    when requests meant within ``near_s`` before a deadline (the expiry, the restore) reached
    the mock later: past the deadline, their answer was not the one the simulation got. (Past
    a deadline lateness changes no answer: the backlog sent on a restore runs late by nature.)
    ``lateness``: (instant meant, how far the mock clock was ahead), of every connector."""
    near = [late for at, late in lateness if any(0 <= d - at <= near_s for d in deadlines)]
    return max([floor_s, *near])
