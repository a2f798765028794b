"""``currents-sim simulate``: the connector model in simulated time, one failure story at a time.

Runs a scenario (``simulator.connector.scenarios.SCENARIOS``) for each strategy on a fresh
in-process Amplitude model (or a served mock with ``--url``), prints the figures (``--json``:
one object), and writes PNG charts with ``--plot DIR``.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from cli.durations import positive_duration
from cli.errors import CliError
from cli.outputs import add_force_argument, check_outputs, whole_folder
from cli.shared_mock import add_take_over_argument, require_mock, taking_the_clock

HELP = "run a connector failure scenario in simulated time and report delays and losses"

_STRATEGIES = ("braze", "per-device")
_HOUR_S = 3600.0


def hours(text: str) -> float:
    """A duration in the one grammar (``60h``, ``90m``, ``2d``; a bare number is seconds), in
    the hours the scenarios count in."""
    return positive_duration(text) / _HOUR_S


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from simulator.connector.scenarios import SCENARIOS

    parser.add_argument("scenario", metavar="NAME", help="one of: " + ", ".join(SCENARIOS))
    parser.add_argument("--seed", type=int, default=0, help="seed of the stream, jitter, faults")
    parser.add_argument(
        "--strategy",
        choices=_STRATEGIES,
        help="run only this retry strategy (default: both; braze's figures on top)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--plot", metavar="DIR", help="write PNG charts into the folder DIR")
    add_force_argument(parser)
    parser.add_argument("--outage", type=hours, help="credential-expiry: outage (default 60h)")
    parser.add_argument("--horizon", type=hours, help="drop horizon after a failure (48h)")
    parser.add_argument("--events", type=int, help="events in the generated stream")
    parser.add_argument("--hours", type=hours, help="length of the generated stream")
    parser.add_argument("--daily-quota", type=int, help="Amplitude's per-id daily quota")
    parser.add_argument(
        "--url",
        help="send to a served mock at URL (e.g. http://127.0.0.1:8080) instead; only the "
        "scenario's own API keys are reset, and the mock clock is put back at the end",
    )
    add_take_over_argument(parser)


def run(args: argparse.Namespace) -> int:
    from simulator.connector.model import Strategy
    from simulator.connector.scenarios import SCENARIOS, run_scenario

    scenario = SCENARIOS.get(args.scenario)
    if scenario is None:
        raise CliError(f"unknown scenario {args.scenario!r} (have: {', '.join(SCENARIOS)})")
    scenario = _override(scenario, args)
    check_outputs(folders=[args.plot], force=args.force)
    strategies = (
        (Strategy(args.strategy),) if args.strategy else (Strategy.BRAZE, Strategy.PER_DEVICE)
    )
    if args.url:
        require_mock(args.url, "--url")
        with taking_the_clock(args.url, _own_keys(), args.take_over):
            factory = _http_factory(args.url)
            report, runs = run_scenario(
                scenario, seed=args.seed, strategies=strategies, sink_factory=factory
            )
    else:
        report, runs = run_scenario(scenario, seed=args.seed, strategies=strategies)
    if args.plot:
        from cli.plots import write_plots

        with whole_folder(args.plot, force=args.force) as folder:
            names = [p.name for p in write_plots(scenario.name, runs, folder)]
        report["plots"] = [str(Path(args.plot) / name) for name in names]
    if args.json:
        import orjson

        sys.stdout.write(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        sys.stdout.write(render(report))
    return 0


def _override(scenario: Any, args: argparse.Namespace) -> Any:
    changes: dict[str, Any] = {}
    for name, field in (("events", "events"), ("hours", "hours"), ("horizon", "horizon_h")):
        value = getattr(args, name)
        if value is not None:
            if value <= 0:
                raise CliError(f"--{name} must be > 0")
            changes[field] = value
    if args.outage is not None:
        if scenario.key_expires_h is None:
            raise CliError("--outage applies to the credential-expiry scenario only")
        changes["outage_h"] = args.outage
    if args.daily_quota is not None:
        if args.daily_quota < 1:
            raise CliError("--daily-quota must be >= 1")
        changes["limits"] = replace(scenario.limits, daily_quota=args.daily_quota)
    return replace(scenario, **changes)


def _own_keys() -> tuple[str, ...]:
    """The API keys a scenario sends with: the only data it touches on a shared mock."""
    from simulator.connector.model import ConnectorConfig
    from simulator.connector.scenarios import NEW_KEY, OLD_KEY

    return (ConnectorConfig().api_key, OLD_KEY, NEW_KEY)


def _http_factory(url: str) -> Any:
    from clients.http_sink import HttpSink

    keys = _own_keys()

    class NeighbourlySink(HttpSink):
        """``HttpSink`` that resets, faults and counts only the scenario's own keys."""

        def reset(self) -> None:
            for key in keys:
                self.admin.reset(key)
                self.admin.clear_faults(api_key=key)

        def add_fault(self, fault: dict[str, Any]) -> None:
            super().add_fault({"api_key": keys[0], **fault})

        def clear_faults(self) -> None:
            for key in keys:
                self.admin.clear_faults(api_key=key)

        def deduplicated(self) -> int:
            return self._count("deduplicated")

        def ingested(self) -> int:
            return self._count("ingested")

        def _count(self, outcome: str) -> int:
            per_key = self.admin.stats()["keys"]
            return sum(int(per_key.get(key, {}).get(outcome, 0)) for key in keys)

    def factory(clock: Any, scenario: Any, seed: int) -> HttpSink:
        sink = NeighbourlySink(url, clock)
        sink.reset()
        return sink

    return factory


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _delays(figures: dict[str, Any] | None) -> str:
    if not figures:
        return "-"
    return " / ".join(_fmt(figures[k]) for k in ("delay_p50_s", "delay_p95_s", "delay_max_s"))


def render(report: dict[str, Any]) -> str:
    """The report as a table, one column per strategy."""
    strategies = report["strategies"]
    names = list(strategies)
    rows: list[tuple[str, list[str]]] = []
    for key in ("produced", "delivered", "lost", "skipped", "queued", "duplicates"):
        rows.append((key, [_fmt(strategies[n][key]) for n in names]))
    rows.append(("dropped again by insert_id", [
        _fmt(strategies[n]["deduplicated_by_insert_id"]) for n in names]))  # fmt: skip
    rows.append(("delay p50/p95/max (s)", [_delays(strategies[n]) for n in names]))
    if any("other_devices" in strategies[n] for n in names):
        rows.append(
            ("  other devices", [_delays(strategies[n].get("other_devices")) for n in names])
        )
    alone = "other_devices_without_hot_device"
    if any(alone in strategies[n] for n in names):
        rows.append(
            ("  ... without the hot device", [_delays(strategies[n].get(alone)) for n in names])
        )
    rows.append(
        ("lost events' times (h)", [_window(strategies[n]["lost_window_h"]) for n in names])
    )
    rows.append(("lost because", [_reasons(strategies[n]["lost_reasons"]) for n in names]))
    rows.append(("requests by status", [
        " ".join(f"{k}:{v}" for k, v in strategies[n]["requests_by_status"].items())
        for n in names]))  # fmt: skip
    width = max(len(label) for label, _ in rows) + 2
    cols = [max(len(n), *(len(r[1][i]) for r in rows)) + 2 for i, n in enumerate(names)]
    params = ", ".join(f"{k}={v}" for k, v in report["parameters"].items())
    lines = [f"scenario {report['scenario']} (seed {report['seed']}; {params})", ""]
    lines.append(" " * width + "".join(n.rjust(c) for n, c in zip(names, cols, strict=True)))
    for label, values in rows:
        lines.append(
            label.ljust(width) + "".join(v.rjust(c) for v, c in zip(values, cols, strict=True))
        )
    if "plots" in report:
        lines += ["", "plots: " + ", ".join(report["plots"])]
    return "\n".join(lines) + "\n"


def _window(window: dict[str, float] | None) -> str:
    return "-" if window is None else f"{window['first']:.2f} .. {window['last']:.2f}"


def _reasons(reasons: dict[str, int]) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in reasons.items()) or "-"
