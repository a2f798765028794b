"""How a load scenario builds each connector and its event stream (pure: no locust, no HTTP).

The Locust users (``load.users``) and the simulated-time cross-check (``load.crosscheck``) both
build connector number ``index`` from here, so the same seed gives the same events, the same
retry policy and the same jitter in both.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from simulator.clock import ManualClock
from simulator.connector import Connector, ConnectorConfig, RetryPolicy, Sink, Strategy
from simulator.generator import MIXES, NO_DEVICE, device_class, generate
from simulator.generator.mixes import HotDevice, Mix
from simulator.rng import derive


def scenario_mix(params: dict[str, Any]) -> Mix:
    """The generator mix a scenario names, with its hot device (if any) sized for the run."""
    base = MIXES[params["mix"]]
    hot = params.get("hot")
    return replace(base, hot=(HotDevice(**hot),)) if hot else replace(base, hot=())


def stream(cfg: dict[str, Any], index: int) -> Iterator[dict[str, Any]]:
    params = cfg["params"]
    return generate(
        params["events_per_user"],
        seed=cfg["seed"] * 1000 + index,
        start=cfg["sim_start_ms"] / 1000.0,
        duration=params["production_s"],
        mix=scenario_mix(params),
    )


def connector(sink: Sink, clock: ManualClock, cfg: dict[str, Any], index: int) -> Connector:
    params = cfg["params"]
    return Connector(
        sink,
        clock,
        ConnectorConfig(
            api_key=cfg["api_key"],
            batch_size=params["batch_size"],
            batch_wait_s=params["flush_s"],
            strategy=Strategy(params["strategy"]),
            policy=RetryPolicy(),
        ),
        rng=derive(cfg["seed"], f"connector-{index}"),
        classify_device=lambda record: device_class(record.get("device_id")) or NO_DEVICE,
    )
