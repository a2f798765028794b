"""``currents-sim serve``: the mocks (Amplitude ingestion + ``/_mock`` admin) on waitress.

With no ``--api-key`` every key is accepted (sandbox); with one or more, only those are. With
``--port 0`` a free port is chosen. The first line on stdout is always the base URL
(``http://127.0.0.1:PORT``) so scripts and tests can read it; details go to stderr.

It binds 127.0.0.1 unless ``--host`` says otherwise. On a non-loopback address it refuses to
start unless the admin API is protected by ``--admin-token`` (Bearer) or explicitly left open with
``--insecure-admin``: the admin API can reset every key's data and inject faults.
"""

from __future__ import annotations

import argparse
import gc
import ipaddress
import logging
import signal
import socket
import sqlite3
import sys

from cli.durations import duration, positive_duration
from cli.errors import CliError

YOUNG_GC_THRESHOLD = 20_000  # allocations between young collections in the served process

HELP = "serve the mock Amplitude (ingestion + /_mock admin API) on a threaded WSGI server"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port; 0 picks a free one")
    parser.add_argument(
        "--api-key",
        action="append",
        default=[],
        metavar="KEY",
        help="accept only this key (repeatable); without it every key is accepted",
    )
    parser.add_argument("--eps", type=int, help="events/s per id on /2/httpapi (default 30)")
    parser.add_argument("--batch-eps", type=int, help="events/s per id on /batch (default 1000)")
    parser.add_argument(
        "--daily-quota", type=int, help="events per id per rolling 24 h (default 500000; 0 = off)"
    )
    parser.add_argument(
        "--max-events", type=int, help="journal size; oldest dropped (default 1000000)"
    )
    parser.add_argument(
        "--export-delay",
        type=duration,
        metavar="DURATION",
        help="Export API: events become exportable this long after arrival (default 0; "
        "Amplitude's doc says within 2h: --export-delay 2h)",
    )
    parser.add_argument("--threads", type=int, default=16, help="server threads (default 16)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the probabilistic faults")
    parser.add_argument(
        "--request-timeout",
        type=positive_duration,
        default=30.0,
        metavar="DURATION",
        help="a request's headers and body must arrive within this of its first byte, else "
        "the connection is closed (slow clients; default 30s)",
    )
    parser.add_argument(
        "--admin-token",
        metavar="TOKEN",
        help="the /_mock admin API requires Authorization: Bearer TOKEN (required when --host "
        "is not a loopback address, unless --insecure-admin)",
    )
    parser.add_argument(
        "--insecure-admin",
        action="store_true",
        help="serve the admin API without a token on a non-loopback --host (anyone who can "
        "reach the port can reset, rewrite the clock and inject faults)",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="keep the state in DIR (SQLite, WAL): a restart resumes where it stopped, and "
        "named snapshots can be taken and restored; without it the mock is in memory",
    )
    add_cohort_arguments(parser)
    add_cohort_body_argument(parser)


def add_cohort_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the cohort side: Amplitude secret keys, Braze partner key and secrets."""
    parser.add_argument(
        "--secret-key",
        action="append",
        default=[],
        metavar="API_KEY:SECRET",
        help="an Amplitude project's secret key (cohort API Basic auth, profile API Api-Key "
        "auth); repeatable. Without one, any secret goes with any key (sandbox)",
    )
    parser.add_argument(
        "--braze-partner-key",
        action="append",
        default=[],
        metavar="KEY",
        help="Braze partner_api_key accepted by /partners/amplitude/* (repeatable; "
        "default currents-sim-partner-key)",
    )
    parser.add_argument(
        "--braze-client-secret",
        action="append",
        default=[],
        metavar="SECRET",
        help="Braze client_secret (data import key), one workspace each (repeatable; "
        "default currents-sim-client-secret)",
    )


def add_cohort_body_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--braze-requests-per-hour",
        type=int,
        default=250_000,
        metavar="N",
        help="Braze partner cohort import: requests per hour per partner key (default 250000, "
        "the current doc; 0 = no limit, as an older revision says)",
    )
    parser.add_argument(
        "--cohort-bodies",
        choices=("documented", "observed"),
        default="documented",
        help="Behavioral Cohorts API bodies: as the current doc says ({cohort_id}, errors "
        "{message, code, metadata}; default) or as observed ({cohortId}, errors {http_code, "
        "type, message, metadata})",
    )


def cohort_config(args: argparse.Namespace) -> dict[str, object]:
    """``create_app`` config of the cohort options."""
    secrets = {}
    for pair in args.secret_key:
        api_key, sep, secret = pair.partition(":")
        if not sep or not api_key or not secret:
            raise CliError(f"--secret-key must be API_KEY:SECRET (got {pair!r})")
        secrets[api_key] = secret
    if getattr(args, "braze_requests_per_hour", 0) < 0:
        raise CliError("--braze-requests-per-hour must be >= 0 (0 = no limit)")
    return {
        "COHORT_BODIES": getattr(args, "cohort_bodies", "documented"),
        "BRAZE_REQUESTS_PER_HOUR": getattr(args, "braze_requests_per_hour", 250_000),
        "SECRET_KEYS": secrets,
        "BRAZE_PARTNER_KEYS": args.braze_partner_key,
        "BRAZE_CLIENT_SECRETS": args.braze_client_secret,
    }


def _positive(name: str, value: int | None) -> None:
    if value is not None and value < 1:
        raise CliError(f"{name} must be >= 1 (got {value})")


def limits_from(args: argparse.Namespace) -> dict[str, object]:
    """``Limits`` overrides from the options given."""
    for name in ("eps", "batch_eps", "max_events", "threads"):
        _positive(f"--{name.replace('_', '-')}", getattr(args, name))
    if args.daily_quota is not None and args.daily_quota < 0:
        raise CliError("--daily-quota must be >= 0 (0 turns the quota off)")
    if not 0 <= args.port <= 65535:
        raise CliError(f"--port must be within 0-65535 (got {args.port})")
    overrides: dict[str, object] = {}
    if args.eps is not None:
        overrides["eps_httpapi"] = args.eps
    if args.batch_eps is not None:
        overrides["eps_batch"] = args.batch_eps
    if args.daily_quota is not None:
        overrides["daily_quota"] = args.daily_quota or None
    if args.max_events is not None:
        overrides["max_journal"] = args.max_events
    if args.export_delay is not None:
        if args.export_delay < 0:
            raise CliError("--export-delay must be >= 0")
        overrides["export_delay_s"] = args.export_delay
    return overrides


def is_loopback(host: str) -> bool:
    """True when every address ``host`` names is a loopback one (127.0.0.0/8, ::1)."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return bool(infos) and all(ipaddress.ip_address(i[4][0]).is_loopback for i in infos)


def check_exposure(args: argparse.Namespace) -> None:
    """Refuse to expose an open admin API: a non-loopback host needs a token or consent."""
    if args.admin_token is not None and not args.admin_token.strip():
        raise CliError("--admin-token must not be empty")
    if args.admin_token or args.insecure_admin or is_loopback(args.host):
        return
    raise CliError(
        f"--host {args.host} is not a loopback address: give --admin-token TOKEN to protect the "
        "/_mock admin API, or --insecure-admin to serve it open"
    )


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    overrides = limits_from(args)
    check_exposure(args)
    from mocks.app import create_app
    from mocks.server import Server

    # waitress warns "Task queue depth is N" whenever requests wait for a thread: noise under
    # load tests, where a queue is expected.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    # Each 100-event upload allocates ~300 dicts (parsed events) that refcounting frees when the
    # request ends; the default young-generation threshold (700) ran a collection every other
    # request for nothing (~8 % of the CPU per event). Collections still run, just less often.
    gc.set_threshold(YOUNG_GC_THRESHOLD, 10, 10)

    from mocks.admin import wait_slots

    config = {
        "API_KEYS": args.api_key,
        "LIMITS": overrides,
        "WAIT_SLOTS": wait_slots(args.threads),
        "ADMIN_TOKEN": args.admin_token,
        **cohort_config(args),
    }
    if args.data_dir:
        config["DATA_DIR"] = args.data_dir
        # SIGTERM (what service managers and `kill` send) stops the server cleanly, so the
        # store writes its last changes (a kill -9 loses at most the last flush period).
        signal.signal(signal.SIGTERM, _interrupt)
    try:
        app = create_app(config, seed=args.seed)
    except (OSError, sqlite3.Error) as exc:
        raise CliError(f"cannot use --data-dir {args.data_dir}: {exc}") from None
    try:
        server = Server(
            app, args.host, args.port, threads=args.threads, request_timeout=args.request_timeout
        )
    except OSError as exc:
        raise CliError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
    print(server.url, flush=True)
    keys = ", ".join(args.api_key) if args.api_key else "any (sandbox)"
    print(
        f"currents-sim: Braze cohort import on {server.url}/partners/amplitude/cohorts[/users] "
        f"(admin {server.url}/_mock/braze/...)",
        file=sys.stderr,
        flush=True,
    )
    print(
        f"currents-sim: Amplitude mock on {server.url} (POST /2/httpapi, /batch, /identify, "
        f"/groupidentify; admin {server.url}/_mock/openapi.json); keys: {keys}",
        file=sys.stderr,
        flush=True,
    )
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0
