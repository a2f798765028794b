"""``currents-sim send``: play Braze's Currents delivery to a connector under test, for real.

``--to URL`` POSTs Custom HTTP batches (``{"events": [...]}``, 100 events by default, one queue
per event type, Braze's headers and an optional bearer token) and reacts to every answer with
Braze's retry matrix (``simulator.delivery``). ``--to-dir DIR`` / ``--to-s3 s3://bucket/prefix``
write Braze's storage files instead (``cli.send_storage``). Events are generated (``--mix``,
``--seed``) or read with ``--from`` (Currents JSON Lines, flat or http, ``.json`` documents, Avro
files or folders of them; ``-`` is stdin); see ``cli.send_sources``.

How a Custom HTTP run ends (``senders.driver``): events are produced until ``-n``/``--duration``
/the input ends, every open batch then leaves at once, and what the receiver has not yet taken is
retried for ``--drain`` (default 1m) more; what is still held is reported as undelivered. Before
the first event an empty batch is POSTed, as Braze does to check a token: no answer, or
401/403/404, stops the run at once (exit 2). A receiver that starts refusing the token mid-run
halts delivery (Braze retries after 2–5 minutes, within the drain); if it still refuses when the
run ends, the figures are printed and the run exits 2 with one line. Otherwise exit 0 when every
event was acknowledged, 1 when some were dropped or left undelivered.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

from cli.durations import duration, positive_duration
from cli.errors import CliError
from cli.outputs import add_force_argument, check_outputs

HELP = "deliver Currents events as Braze does: Custom HTTP to a connector, or storage files"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    a = parser.add_argument
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--to", metavar="URL", help="a connector's Custom HTTP endpoint")
    target.add_argument("--to-dir", metavar="DIR", help="write Braze's Avro files under DIR")
    target.add_argument(
        "--to-s3", metavar="S3URL", help="write them to s3://bucket/prefix (see --endpoint-url)"
    )
    a("--token", metavar="T", help="bearer token (Authorization: Bearer T)")
    bound = parser.add_mutually_exclusive_group()
    bound.add_argument(
        "-n", "--count", type=_count, metavar="N", help="events to send (default 1000, or all)"
    )
    bound.add_argument(
        "--duration",
        type=positive_duration,
        metavar="DUR",
        help="produce events for this long (e.g. 90s, 5m, 1h30m)",
    )
    a("--rate", type=_rate, metavar="EPS", help="events per second (default: as fast as possible)")
    a("--mix", default="default", metavar="M", help="generated event mix (default: default)")
    a("--seed", type=_count, default=0, metavar="S", help="generator seed (default 0)")
    a(
        "--from",
        dest="inputs",
        action="append",
        metavar="FILE|DIR|-",
        help="send these Currents events instead of generated ones (repeatable)",
    )
    a("--batch", type=_batch, default=100, metavar="N", help="events per request (default 100)")
    a(
        "--max-wait",
        type=positive_duration,
        default=300.0,
        metavar="DUR",
        help="a partial batch leaves after this wait (default 5m, Braze's)",
    )
    a(
        "--one-queue",
        action="store_true",
        help="one queue for every event type (default: one per type, Braze's newer spec)",
    )
    a(
        "--drain",
        type=duration,
        default=60.0,
        metavar="DUR",
        help="after the last event, keep retrying what is held this long (default 1m)",
    )
    a("--endpoint-url", metavar="URL", help="S3-compatible endpoint for --to-s3 (MinIO, moto...)")
    a("--integration-id", metavar="ID", help="storage key's integration id (default: from seed)")
    a("--json", action="store_true", help="print the figures as one JSON object")
    add_force_argument(parser)  # --to-dir: replace a folder that already holds files


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"needs a whole number, not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, not {value}")
    return value


def _batch(text: str) -> int:
    value = _count(text)
    if value < 1:
        raise argparse.ArgumentTypeError("a batch holds at least 1 event")
    return value


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"needs events per second, not {text!r}") from None
    if not value > 0 or math.isinf(value):
        raise argparse.ArgumentTypeError(f"must be a positive number, not {text!r}")
    return value


def run(args: argparse.Namespace) -> int:
    from cli import send_sources as sources

    storage = args.to is None
    _check_targets(args, storage)
    if args.to_dir is not None:  # refused before anything is read or written (cli.outputs)
        check_outputs(folders=[args.to_dir], inputs=args.inputs or [], force=args.force)
    if args.inputs:
        records: Iterator[dict[str, Any]] = sources.read_events(args.inputs)
        total = args.count
    else:
        sources.check_mix(args.mix)
        if storage and args.rate is None:  # replayed by the events' own times
            total = args.count if args.count is not None else sources.DEFAULT_COUNT
            records = sources.past_events(args.seed, args.mix, total, args.duration)
        else:
            total = sources.live_count(args.count, args.duration, args.rate)
            records = sources.live_events(args.seed, args.mix, total, args.rate)
    if storage:
        from cli.send_storage import run_storage

        summary = run_storage(args, records)
        _print(summary, args.json)
        if summary["dropped"]:
            raise CliError(f"{summary['to']}: files could not be written: {summary['dropped']}")
        return 0
    return _run_http(args, records, total)


def _check_targets(args: argparse.Namespace, storage: bool) -> None:
    """Options that belong to another target are refused rather than silently ignored."""
    if storage and args.token is not None:
        raise CliError("--token is for --to URL (storage has no bearer token)")
    if args.endpoint_url is not None and args.to_s3 is None:
        raise CliError("--endpoint-url is for --to-s3")
    if args.integration_id is not None and not storage:
        raise CliError("--integration-id is for --to-dir and --to-s3")


def _run_http(
    args: argparse.Namespace, records: Iterator[dict[str, Any]], total: int | None
) -> int:
    from senders.driver import Bounds, drive
    from senders.http_transport import BadUrl, HttpTransport
    from simulator.clock import SystemClock
    from simulator.delivery import EMPTY_BATCH, DeliveryConfig, HttpDelivery, refusal
    from simulator.delivery.ledger import DeliveryLedger

    try:
        transport = HttpTransport(args.to, args.token)
    except BadUrl as exc:
        raise CliError(f"--to: {exc}") from None
    with ExitStack() as stack:
        stack.callback(transport.close)
        problem = refusal(transport.post(EMPTY_BATCH))
        if problem:
            raise CliError(f"{args.to}: {problem}")
        config = DeliveryConfig(args.batch, args.max_wait, queue_per_type=not args.one_queue)
        clock = SystemClock()
        delivery = HttpDelivery(transport, clock, config, ledger=DeliveryLedger(keep_events=False))
        started = time.perf_counter()
        bounds = Bounds(args.count, args.duration, args.rate, args.drain)
        drive(records, delivery, bounds, progress=_progress_bar(total, stack))
        elapsed = time.perf_counter() - started
    summary = {"to": args.to, **delivery.ledger.summary(), "elapsed_s": round(elapsed, 3)}
    _print(summary, args.json)
    return _verdict(summary, delivery, clock.now(), args.to)


def _progress_bar(total: int | None, stack: ExitStack) -> Callable[[int], None] | None:
    """A tqdm bar on a terminal; nothing when stderr is piped or redirected."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    bar = stack.enter_context(tqdm(total=total, unit="ev", unit_scale=True, file=sys.stderr))
    pending = 0

    def update(n: int) -> None:
        nonlocal pending
        pending += n
        if pending >= 1000:
            bar.update(pending)
            pending = 0

    stack.callback(lambda: bar.update(pending))
    return update


def _print(summary: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(summary, indent=2))
        return
    print(", ".join(f"{key} {_text(value)}" for key, value in summary.items()))


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _verdict(summary: dict[str, Any], delivery: Any, now: float, url: str) -> int:
    undelivered = summary["undelivered"]
    answer = delivery.last_answer
    if undelivered and delivery.halted_until > now and answer is not None:
        raise CliError(
            f"{url}: refused the credentials ({answer.status}); delivery halted with "
            f"{undelivered:,} events undelivered"
        )
    if summary["requests"] and set(summary["requests_by_status"]) == {"0"}:
        error = answer.error if answer is not None else None
        raise CliError(f"{url}: no answer ({error or 'connection failed'})")
    lost = undelivered + sum(summary["dropped"].values())
    if lost:
        print(f"currents-sim: {lost:,} events not acknowledged", file=sys.stderr)
        return 1
    return 0
