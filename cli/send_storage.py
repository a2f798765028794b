"""``send --to-dir`` / ``--to-s3``: Braze's storage delivery (Avro files in its key layout).

With ``--rate`` the files roll on the wall clock as events are produced; without one, the events
are replayed on a clock that follows their own times (``simulator.delivery.replay``), so a file
closes after 5 minutes *of event time* or 15,000 events, and the same input always gives the same
keys and bytes, in a folder or in a bucket. A store that cannot be reached or written is one line
and exit 2 (Braze loses data it cannot write: no replay, §4.1).
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import time
from collections.abc import Iterator
from itertools import islice, takewhile
from pathlib import Path
from typing import Any

from cli.errors import CliError


def integration_id(seed: int) -> str:
    """A 24-hex-digit integration id derived from the seed (as ``generate --format avro``)."""
    return hashlib.sha256(f"integration:{seed}".encode()).hexdigest()[:24]


def run_storage(args: argparse.Namespace, records: Iterator[dict[str, Any]]) -> dict[str, Any]:
    from simulator.delivery.storage import StorageLayout

    store, prefix, target = _store(args)
    try:
        layout = StorageLayout(args.integration_id or integration_id(args.seed), prefix=prefix)
        started = time.perf_counter()
        if args.rate is not None:
            delivery = _live(records, store, layout, args)
        else:
            delivery = _replayed(records, store, layout, args)
    except ValueError as exc:  # fastavro: a record that does not fit its type's schema
        raise CliError(f"cannot write Avro: {exc}") from None
    summary = {"to": target, **delivery.summary()}
    summary["elapsed_s"] = round(time.perf_counter() - started, 3)
    return summary


def _store(args: argparse.Namespace) -> tuple[Any, str, str]:
    from senders.storage import DirStore, S3Store, parse_s3_url, s3_client

    if args.to_dir is not None:
        root = Path(args.to_dir)
        if root.exists() and not root.is_dir():
            raise CliError(f"--to-dir: {root} is not a folder")
        if args.force and root.is_dir():  # checked by cli.outputs: replace, never blend
            shutil.rmtree(root)  # a live delivery cannot be staged and renamed: clear first
        return DirStore(root), "", str(root)
    try:
        bucket, prefix = parse_s3_url(args.to_s3)
    except ValueError as exc:
        raise CliError(f"--to-s3: {exc}") from None
    store = S3Store(s3_client(args.endpoint_url), bucket)
    problem = store.check()
    if problem:
        raise CliError(f"{args.to_s3}: {problem}")
    return store, prefix, args.to_s3


def _live(
    records: Iterator[dict[str, Any]], store: Any, layout: Any, args: argparse.Namespace
) -> Any:
    from senders.driver import Bounds, drive
    from simulator.clock import SystemClock
    from simulator.delivery.storage import StorageDelivery

    delivery = StorageDelivery(store, SystemClock(), layout)
    drive(records, delivery, Bounds(args.count, args.duration, args.rate, drain_s=0.0))
    return delivery


def _replayed(
    records: Iterator[dict[str, Any]], store: Any, layout: Any, args: argparse.Namespace
) -> Any:
    from simulator.clock import ManualClock
    from simulator.delivery.replay import replay
    from simulator.delivery.storage import StorageDelivery

    clock = ManualClock(0.0)
    delivery = StorageDelivery(store, clock, layout)
    bounded: Iterator[dict[str, Any]] = records
    if args.count is not None:
        bounded = islice(bounded, args.count)
    if args.duration is not None:
        bounded = _within(bounded, args.duration)
    replay(bounded, delivery, clock)
    return delivery


def _within(records: Iterator[dict[str, Any]], seconds: float) -> Iterator[dict[str, Any]]:
    """The records whose time falls within ``seconds`` of the first one's."""
    first = next(records, None)
    if first is None:
        return
    yield first
    end = float(first.get("time") or 0) + seconds
    yield from takewhile(lambda r: float(r.get("time") or 0) < end, records)
