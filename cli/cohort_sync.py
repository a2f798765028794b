"""``currents-sim cohort-sync``: a cohort-sync scenario end to end over HTTP.

Amplitude mock -> sync model -> Braze mock, on the mock clock: it sets up a seeded population
(``simulator.cohorts.scenario``) in both mocks, defines the cohort "did Purchase in the last
day" in Amplitude, then walks the mock clock through ``--duration``: every hour some people buy
(events sent to ``/2/httpapi``), and the sync runs on its ``--schedule`` (cohort download flow
from Amplitude, deltas to ``/partners/amplitude/cohorts/users``). The report gives runs, ids
added and removed, data points, and whether Braze's members finally equal Amplitude's cohort
restricted to existing Braze users. Exit 0 when they agree, 1 when they do not (a one-time sync
is expected to fall behind), 2 on usage errors.

Without ``--url`` a mock is served on a free 127.0.0.1 port for the run, its clock frozen and
moved by the scenario. With ``--url`` the scenario uses that mock: it freezes its clock (scale 0)
and creates its own Amplitude key and Braze workspace there (fresh per seed, so runs do not mix);
a mock other keys use is refused unless ``--take-over``, and the clock is put back at the end.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from cli.durations import positive_duration
from cli.errors import CliError
from cli.shared_mock import add_take_over_argument, require_mock, taking_the_clock

HELP = "run a cohort sync end to end over HTTP (Amplitude mock -> sync -> Braze mock) and report"
START_S = 1_700_000_000.0  # the served mock's clock starts here (2023-11-14T22:13:20Z)
ACTIVITY_S = 3600.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from simulator.cohorts import SCHEDULES

    parser.add_argument("--schedule", choices=list(SCHEDULES), default="hourly")
    parser.add_argument(
        "--duration",
        type=positive_duration,
        default="3d",
        help="simulated time, e.g. 90m, 12h, 3d, 1d12h (a bare number is seconds)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--users", type=int, default=200, help="users known to both systems")
    parser.add_argument("--buy-rate", type=float, default=0.05, help="purchase chance per hour")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--url",
        help="use this running mock instead of serving one (its clock is put back at the end)",
    )
    add_take_over_argument(parser)
    parser.add_argument("--api-key", help="Amplitude API key (default: derived from the seed)")
    parser.add_argument("--secret-key", help="Amplitude secret key (default: derived)")
    parser.add_argument("--partner-key", default="currents-sim-partner-key")
    parser.add_argument("--client-secret", help="Braze client_secret (default: derived)")


def run(args: argparse.Namespace) -> int:
    duration = args.duration
    if args.users < 1 or not 0 <= args.buy_rate <= 1:
        raise CliError("--users must be >= 1 and --buy-rate within [0, 1]")
    if args.url:
        require_mock(args.url, "--url")
        return _report(args, _scenario(args, args.url.rstrip("/"), duration, shared=True))
    from mocks.app import create_app
    from mocks.server import Server
    from simulator.clock import ControllableClock

    config = {"BRAZE_PARTNER_KEYS": [args.partner_key]}
    app = create_app(config, clock=ControllableClock(start=START_S, scale=0), seed=args.seed)
    server = Server(app, "127.0.0.1", 0).start()
    try:
        return _report(args, _scenario(args, server.url, duration))
    finally:
        server.close()


def _scenario(
    args: argparse.Namespace, url: str, duration: float, *, shared: bool = False
) -> dict[str, Any]:
    """The scenario's report; on a ``shared`` mock (``--url``) it takes the clock as a good
    neighbour (``cli.shared_mock``) and puts it back at the end."""
    import requests

    from cli.cohort_sync_driver import Driver
    from clients.transport import MockAdminError

    try:
        driver = Driver(url, args)
        if not shared:
            return driver.run(duration)
        with taking_the_clock(url, [driver.api_key], args.take_over):
            return driver.run(duration)
    except (requests.RequestException, MockAdminError) as exc:
        raise CliError(f"cannot talk to the mock at {url}: {exc}") from None


def _report(args: argparse.Namespace, report: dict[str, Any]) -> int:
    from simulator.durations import format_duration

    if args.json:
        print(json.dumps(report, indent=2))
    else:
        totals = report["totals"]
        lines = [
            f"cohort {report['cohort_id']} synced {report['schedule']} for "
            f"{format_duration(args.duration)} "
            f"(seed {args.seed})",
            f"runs: {totals['runs']} ({totals['runs_failed']} failed), "
            f"requests to Braze: {totals['requests']}",
            f"ids added: {totals['ids_added']}, ids removed: {totals['ids_removed']}, "
            f"data points: {totals['data_points']}",
            f"Amplitude cohort now: {report['amplitude_size']} "
            f"({report['expected_size']} exist in Braze); Braze members: {report['braze_size']}",
            "agreement: yes"
            if report["agreement"]
            else f"agreement: NO ({report['missing']} missing, {report['extra']} extra in Braze)",
        ]
        print("\n".join(lines))
    sys.stdout.flush()
    return 0 if report["agreement"] else 1
