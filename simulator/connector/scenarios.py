"""The failure stories as data, and one function that runs any of them.

Each ``Scenario`` row says which generated stream to use (a generator mix, a size, a window),
how long to keep simulating after the last event, which device class is the culprit (its events
are left out of the "without" figures and, where asked, a second run without it), and what
happens on the Amplitude side (a key that expires and is replaced, faults during a window).
``run_scenario`` runs it for each strategy on a fresh Amplitude (in-process model or served mock,
through ``sink_factory``) and reports figures computed from each run's ledger.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from simulator.amplitude import AmplitudeModel, Limits
from simulator.clock import ManualClock
from simulator.connector.ledger import Ledger
from simulator.connector.model import Action, Connector, ConnectorConfig, Strategy
from simulator.connector.report import summarize
from simulator.connector.retry import RetryPolicy
from simulator.connector.sink import ControlledSink, InProcessSink
from simulator.generator import MIXES, NO_DEVICE, Mix, device_class, generate
from simulator.generator.mixes import HotDevice
from simulator.rng import derive

HOUR = 3600.0
START = 1_767_225_600.0  # 2026-01-01T00:00:00Z: every scenario starts here
OLD_KEY = "currents-sim-expiring-key"
NEW_KEY = "currents-sim-replacement-key"


@dataclass(frozen=True, slots=True)
class FaultWindow:
    """Faults (``simulator.amplitude.Fault`` fields) active from ``start_h`` to ``end_h``."""

    start_h: float
    end_h: float
    faults: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    description: str
    mix: str | Mix
    events: int
    hours: float  # production window
    drain_h: float = 2.0  # simulated time after the window
    hot_class: str | None = None  # the culprit device class, left out of "without" figures
    rerun_without_hot: bool = False  # also run the same stream minus the culprit's events
    key_expires_h: float | None = None  # the API key stops working then...
    outage_h: float = 60.0  # ...and the customer pastes a new one this much later
    horizon_h: float = 48.0  # credential horizon (Amplitude page: 48 h)
    faults: tuple[FaultWindow, ...] = ()
    limits: Limits = field(default_factory=Limits)


# The generator's ``misconfigured`` class: one device bursting at 40 ev/s, two minutes at a time
# (above Amplitude's 30 ev/s averaged over 30 s), next to a few thousand ordinary devices.
_MISCONFIGURED = Mix(
    MIXES["default"].journeys,
    hot=(HotDevice("misconfigured", share=0.6, rate=40.0, burst_seconds=120.0),),
    duration=HOUR,
    description="default + one device bursting at 40 ev/s for 2 minutes at a time",
)

# One device steadily sending 0.8 ev/s, so that it passes the daily quota about 17 hours in; the
# quota is scaled down tenfold (50,000) so the story runs in seconds: ``--daily-quota 500000
# --events 950000`` gives the full-size run (ten times the events: minutes, not seconds).
_QUOTA = Mix(
    MIXES["default"].journeys,
    hot=(HotDevice("quota", share=0.75, rate=0.8),),
    duration=30 * HOUR,
    description="default + one device passing the (scaled) daily quota",
)

SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario(
            "misconfigured-device",
            "N normal devices plus one device above 30 ev/s: normal devices' delivery delays "
            "with and without the hot device, for both strategies",
            _MISCONFIGURED,
            events=40_000,
            hours=1.0,
            drain_h=6.0,
            hot_class="misconfigured",
            rerun_without_hot=True,
        ),
        Scenario(
            "credential-expiry",
            "the API key expires 6 h in and is replaced after --outage (default 60 h); events "
            "undelivered one horizon (48 h) after their first failed attempt are lost",
            "default",
            events=20_000,
            hours=96.0,
            drain_h=2.0,
            key_expires_h=6.0,
        ),
        Scenario(
            "quota-exhaustion",
            "one device passes the daily quota (500,000 events in 24 h, scaled here to 50,000): "
            "what the 429s cost the other devices",
            _QUOTA,
            events=95_000,
            hours=30.0,
            drain_h=6.0,
            hot_class="quota",
            limits=Limits(daily_quota=50_000),
        ),
        Scenario(
            "amplitude-5xx-storm",
            "seeded 500/502 (maybe ingested) and 503 (not ingested) answers from hour 1 to 3: "
            "duplicates absorbed by insert_id, and delays",
            "default",
            events=20_000,
            hours=6.0,
            drain_h=2.0,
            faults=(
                FaultWindow(
                    1.0,
                    3.0,
                    (
                        {"status": 500, "probability": 0.2, "after": True},
                        {"status": 502, "probability": 0.1, "after": True},
                        {"status": 503, "probability": 0.2},
                    ),
                ),
            ),
        ),
    )
}


def classify(record: dict[str, Any]) -> str:
    """A record's device class as the generator encodes it in ``device_id``."""
    device = record.get("device_id")
    return device_class(device if isinstance(device, str) else None) or NO_DEVICE


SinkFactory = Callable[[ManualClock, Scenario, int], ControlledSink]


# A simulation reads the model's counts, never its journal: keeping only the last events'
# texts (for a look when debugging) instead of a million of them is ~800 bytes per event less.
JOURNAL_KEPT = 1000


def in_process(clock: ManualClock, scenario: Scenario, seed: int) -> ControlledSink:
    """A fresh Amplitude model on the simulation's clock (its journal kept short)."""
    limits = replace(scenario.limits, max_journal=JOURNAL_KEPT)
    return InProcessSink(AmplitudeModel(clock, limits, seed=f"{seed}:amplitude"))


@dataclass(slots=True)
class Run:
    """One simulation: its strategy, whether the culprit was left out, its ledger, its figures."""

    strategy: Strategy
    without_hot: bool
    ledger: Ledger
    report: dict[str, Any]
    sink: ControlledSink


def stream(
    scenario: Scenario, seed: int, *, without: str | None = None
) -> Iterator[dict[str, Any]]:
    events = generate(
        scenario.events, seed=seed, start=START, duration=scenario.hours * HOUR, mix=scenario.mix
    )
    if without is None:
        return events
    return (e for e in events if classify(e) != without)


def simulate(
    scenario: Scenario,
    strategy: Strategy,
    *,
    seed: int = 0,
    without_hot: bool = False,
    sink_factory: SinkFactory = in_process,
    records: Iterable[dict[str, Any]] | None = None,
) -> Run:
    """Run ``scenario`` once with one strategy; the figures come from the ledger.

    ``records`` is the scenario's generated stream when the caller already has it (several runs
    of one scenario share it); the culprit's events are left out of it when ``without_hot``.
    """
    clock = ManualClock(START)
    sink = sink_factory(clock, scenario, seed)
    config = ConnectorConfig(
        strategy=strategy, policy=RetryPolicy(credentials_horizon_s=scenario.horizon_h * HOUR)
    )
    actions = _setup(scenario, sink, config)
    if scenario.key_expires_h is not None:
        config = replace(config, api_key=OLD_KEY)
    connector = Connector(
        sink,
        clock,
        config,
        rng=derive(seed, f"connector:{strategy.value}"),
        classify_device=classify,
    )
    without = scenario.hot_class if without_hot else None
    if records is None:
        records = stream(scenario, seed, without=without)
    elif without is not None:
        records = (e for e in records if classify(e) != without)
    until = START + (scenario.hours + scenario.drain_h) * HOUR
    ledger = connector.run(records, until=until, actions=actions)
    hot = () if without_hot or scenario.hot_class is None else (scenario.hot_class,)
    report = summarize(ledger, exclude_classes=hot)
    report["deduplicated_by_insert_id"] = sink.deduplicated()
    report["still_queued_at_end"] = connector.backlog()
    window = report["lost_window"]
    report["lost_window_h"] = (
        None
        if window is None
        else {
            "first": (window["first_s"] - START) / HOUR,
            "last": (window["last_s"] - START) / HOUR,
        }
    )
    return Run(strategy, without_hot, ledger, report, sink)


def _setup(scenario: Scenario, sink: ControlledSink, config: ConnectorConfig) -> list[Action]:
    """Key and fault set-up on the Amplitude side; the timed changes as actions."""
    actions: list[Action] = []
    if scenario.key_expires_h is not None:
        sink.add_key(OLD_KEY, START + scenario.key_expires_h * HOUR)
        sink.add_key(NEW_KEY)
        fixed = START + (scenario.key_expires_h + scenario.outage_h) * HOUR
        actions.append(Action(fixed, _use_key(NEW_KEY), "the customer pastes a new API key"))
    else:
        sink.add_key(config.api_key)
    for window in scenario.faults:
        actions.append(Action(START + window.start_h * HOUR, _faults_on(sink, window), "faults on"))
        actions.append(Action(START + window.end_h * HOUR, lambda c: sink.clear_faults(), "off"))
    return actions


def _use_key(key: str) -> Callable[[Connector], None]:
    def apply(connector: Connector) -> None:
        connector.api_key = key

    return apply


def _faults_on(sink: ControlledSink, window: FaultWindow) -> Callable[[Connector], None]:
    def apply(connector: Connector) -> None:
        for fault in window.faults:
            sink.add_fault(dict(fault))

    return apply


DELAYS = ("delay_p50_s", "delay_p95_s", "delay_max_s")


def run_scenario(
    scenario: Scenario,
    *,
    seed: int = 0,
    strategies: tuple[Strategy, ...] = (Strategy.BRAZE, Strategy.PER_DEVICE),
    sink_factory: SinkFactory = in_process,
) -> tuple[dict[str, Any], list[Run]]:
    """Every run the scenario asks for; the report's top level is the first strategy's run."""
    runs = []
    for strategy in strategies:
        for without_hot in (False, True) if scenario.rerun_without_hot else (False,):
            runs.append(
                simulate(
                    scenario,
                    strategy,
                    seed=seed,
                    without_hot=without_hot,
                    sink_factory=sink_factory,
                )  # each run draws the same seeded stream again: holding it cost ~1.5 KB/event
            )
    primary = runs[0].report
    report: dict[str, Any] = {
        "scenario": scenario.name,
        "seed": seed,
        "strategy": strategies[0].value,
        "parameters": _parameters(scenario),
        **primary,
        "strategies": {},
    }
    for run in runs:
        if run.without_hot:
            continue
        entry = {k: run.report[k] for k in _HEADLINE}
        entry["classes"] = run.report["classes"]
        if "without" in run.report:
            entry["other_devices"] = {k: run.report["without"][k] for k in _OTHERS}
        alone = next((r for r in runs if r.without_hot and r.strategy is run.strategy), None)
        if alone is not None:
            entry["other_devices_without_hot_device"] = {k: alone.report[k] for k in _OTHERS}
        report["strategies"][run.strategy.value] = entry
    return report, runs


_OTHERS = ("produced", "delivered", "lost", "queued", *DELAYS)
_HEADLINE = (
    "produced",
    "delivered",
    "lost",
    "skipped",
    "queued",
    "duplicates",
    "deduplicated_by_insert_id",
    *DELAYS,
    "lost_window_h",
    "lost_reasons",
    "requests",
    "requests_by_status",
)


def _parameters(scenario: Scenario) -> dict[str, Any]:
    out: dict[str, Any] = {"events": scenario.events, "hours": scenario.hours}
    if scenario.key_expires_h is not None:
        out.update(
            key_expires_h=scenario.key_expires_h,
            outage_h=scenario.outage_h,
            horizon_h=scenario.horizon_h,
        )
    if scenario.hot_class:
        out["hot_class"] = scenario.hot_class
    if scenario.limits != Limits():
        out["daily_quota"] = scenario.limits.daily_quota
    return out
