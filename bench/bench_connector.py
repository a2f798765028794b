"""Connector model speed: a simulated 72 h with 200,000 events (generator, transformer,
batching, retries, the in-process Amplitude model, ledger, report) against the < 60 s target
of issue 5. Prints figures; asserts nothing."""

from __future__ import annotations

import time

from simulator.connector import Strategy
from simulator.connector.scenarios import Scenario, simulate

TARGET_S = 60.0
EVENTS = 200_000
HOURS = 72.0


def main() -> None:
    scenario = Scenario(
        "bench-72h", "default mix, 72 simulated hours", "default", events=EVENTS, hours=HOURS
    )
    for strategy in (Strategy.BRAZE, Strategy.PER_DEVICE):
        started, cpu = time.perf_counter(), time.process_time()
        run = simulate(scenario, strategy, seed=0)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        r = run.report
        verdict = "ok" if wall < TARGET_S else "OVER TARGET"
        print(
            f"   {strategy.value:<10} {HOURS:.0f} h simulated, {r['produced']:,} events in "
            f"{wall:5.1f} s wall (target < {TARGET_S:.0f} s: {verdict}; {cpu:.1f} s CPU); "
            f"{r['produced'] / wall:,.0f} events/s; delivered {r['delivered']:,}, "
            f"skipped {r['skipped']:,}, {r['requests']:,} requests",
            flush=True,
        )
