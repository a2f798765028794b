"""``currents-sim load``: a Locust scenario, headless, bounded, with pass/fail thresholds.

Two targets. Without ``--connector`` the Locust users *are* Braze's connector (our model) and
post to the mock (``--host``, or one started for the run). With ``--connector URL`` the team's own
connector is the system under test: the users play Braze and post Custom HTTP Currents to it, the
connector delivers to the mock at ``--host`` with key ``--api-key``, and the run is judged on what
reached the mock (``load.sut``).

Exit code: Locust's (0 when every threshold held, 1 when one broke); 2 for usage errors and for
an unreachable mock or connector.
"""

from __future__ import annotations

import argparse
import contextlib
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cli.durations import positive_duration
from cli.errors import CliError
from cli.outputs import add_force_argument, check_outputs, whole_folder
from cli.shared_mock import add_take_over_argument, probe, taking_the_clock

HELP = "run a Locust load scenario headless against the mock (or --host) with thresholds"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from load.scenario_table import SCENARIOS

    parser.add_argument("scenario", choices=[*SCENARIOS, "all"], help="scenario to run")
    parser.add_argument(
        "--size",
        choices=("ci", "full"),
        default="ci",
        help="ci: a smoke of seconds; full: minutes (make load)",
    )
    parser.add_argument(
        "--duration",
        type=positive_duration,
        metavar="DUR",
        help="wall-clock bound, e.g. 45s, 5m (a bare number is seconds; whole seconds, rounded up)",
    )
    parser.add_argument("--users", type=int, help="connector partitions (Locust users)")
    parser.add_argument(
        "--host",
        help="target URL (default: a mock started on 127.0.0.1); on a served currents-sim mock "
        "only the run's API key is reset and the clock is put back at the end",
    )
    add_take_over_argument(parser)
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="Locust distributed mode: one master + N local worker processes",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--reports",
        default="reports",
        help="report folder (default: reports), made if missing; one sub-folder per scenario",
    )
    add_force_argument(parser)
    parser.add_argument(
        "--print-config",
        action="store_true",
        help="print the CURRENTS_LOAD configuration (for Locust workers on other machines), exit",
    )
    parser.add_argument(
        "--threshold",
        action="append",
        default=[],
        metavar="METRIC<=VALUE",
        help="add or override a threshold, e.g. 'lost==0'",
    )
    sut = parser.add_argument_group("connector under test (the users play Braze)")
    sut.add_argument(
        "--connector",
        metavar="URL",
        help="POST Custom HTTP Currents to this connector, which delivers to --host (--api-key)",
    )
    sut.add_argument(
        "--connector-token", metavar="T", help="bearer token Braze sends the connector"
    )
    sut.add_argument("--api-key", metavar="K", help="the Amplitude key the connector delivers with")
    sut.add_argument(
        "--outage",
        type=positive_duration,
        help="credential-expiry: how long the key stays revoked (default 90s)",
    )


def run(args: argparse.Namespace) -> int:
    from load import thresholds
    from load.runner import run_api_key
    from load.scenario_table import SCENARIOS

    for text in args.threshold:
        try:
            thresholds.parse(text)
        except ValueError as exc:
            raise CliError(str(exc)) from None
    if args.workers < 0 or (args.users is not None and args.users < 1):
        raise CliError("--workers must be >= 0 and --users >= 1")
    if args.connector:
        return _run_connector(args)
    if args.api_key or args.connector_token or args.outage is not None:
        raise CliError("--api-key, --connector-token and --outage go with --connector URL")
    names = list(SCENARIOS) if args.scenario == "all" else [args.scenario]
    if args.print_config:
        return _print_config(names, args)
    shared_mock = bool(args.host) and probe(args.host, "--host")  # refused at once if not HTTP
    reports = _check_reports(Path(args.reports), names, args.force)
    with contextlib.ExitStack() as stack:
        if shared_mock:  # a served currents-sim mock that others may use: a good neighbour
            keys = [run_api_key(_run_of(name, args)) for name in names]
            stack.enter_context(taking_the_clock(args.host, keys, args.take_over))
        return _run_all(names, reports, args)


def _run_all(
    names: list[str],
    reports: Path,
    args: argparse.Namespace,
    run_one: Callable[[str, Path], int] | None = None,
    target: str = "",
) -> int:
    """Each scenario in turn into its whole-or-absent report folder; the worst exit code.
    ``run_one(name, reports_root)`` runs one (default: our connector model's Locust users)."""
    if run_one is None:
        from load.runner import execute

        def run_one(name: str, root: Path) -> int:
            return execute(_run_of(name, args, root))

    worst = 0
    for name in names:
        with whole_folder(reports / name, force=args.force) as folder:
            try:
                code = run_one(name, folder.parent)
            except ValueError as exc:
                raise CliError(str(exc)) from None
        verdict = "passed" if code == 0 else f"FAILED (exit {code})"
        print(f"load {name}{target}: {verdict}; report in {reports / name}")
        worst = max(worst, code)
    return worst


def _check_reports(reports: Path, names: list[str], force: bool) -> Path:
    """The report folder (made when missing) after every scenario's sub-folder was checked:
    a sub-folder that holds an earlier run's report is kept unless ``--force``."""
    if not reports.is_dir():
        check_outputs(folders=[reports])  # its parent exists, it is not a file
        reports.mkdir()
    else:
        check_outputs(folders=[reports / name for name in names], force=force)
    return reports


def _run_connector(args: argparse.Namespace) -> int:
    from load.sut.runner import SutRun, execute
    from load.sut.table import SCENARIOS

    if not args.host or not args.api_key:
        raise CliError("--connector needs --host (the mock it delivers to) and --api-key")
    names = list(SCENARIOS) if args.scenario == "all" else [args.scenario]
    reports = _check_reports(Path(args.reports), names, args.force)

    def run_one(name: str, root: Path) -> int:
        return execute(SutRun(
            name, args.connector, args.host, args.api_key, args.connector_token, args.size,
            args.users, args.duration, args.outage, args.workers, args.seed, root, args.threshold,
        ))  # fmt: skip

    return _run_all(names, reports, args, run_one, f" (connector {args.connector})")


def _print_config(names: list[str], args: argparse.Namespace) -> int:
    import json

    from load.runner import config

    if not args.host:
        raise CliError("--print-config needs --host: the URL every Locust process will target")
    for name in names:
        run = _run_of(name, args)
        try:
            print(json.dumps(config(run, run.resolve(), args.host, managed=False)))
        except ValueError as exc:
            raise CliError(str(exc)) from None
    return 0


def _run_of(name: str, args: argparse.Namespace, reports: Path | None = None) -> Any:
    from load.runner import Run

    return Run(
        name,
        args.size,
        args.host,
        args.users,
        None if args.duration is None else math.ceil(args.duration),
        args.workers,
        args.seed,
        reports or Path(args.reports),
        args.threshold,
    )
