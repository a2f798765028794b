"""The events ``send`` delivers: generated ones, or Currents records read from files or stdin.

Generated events happen *now* for Custom HTTP (over ``count / rate`` seconds with a rate, so their
times match their sending, else over the next minute; endless, in chunks, without a count) and
over the last ``window`` for storage replays (files are then rolled by the events' own times).
Read records must look like Currents events (an ``event_type`` and an ``id``): anything else is
a one-line error naming the file and line.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from typing import Any

from cli.errors import CliError

DEFAULT_COUNT = 1000
GENERATED_CHUNK = 100_000  # a run bounded by --duration alone draws events in chunks
GENERATED_WINDOW_S = 60.0  # generated events without --rate happen over the next minute


def read_events(inputs: list[str]) -> Iterator[dict[str, Any]]:
    """Currents records of ``inputs`` (files, folders, ``-``), checked one by one."""
    from cli.inputs import check_inputs, read_all

    for record in read_all(check_inputs(inputs)):
        if record.error:
            raise CliError(f"{record.source}:{record.line}: {record.error}")
        data = record.data
        is_event = isinstance(data, dict) and isinstance(data.get("event_type"), str)
        if not (is_event and "id" in data):
            raise CliError(
                f"{record.source}:{record.line}: not a Currents event (needs event_type and id)"
            )
        yield data


def check_mix(mix: str) -> None:
    from simulator.generator import MIXES

    if mix not in MIXES:
        raise CliError(f"unknown --mix {mix!r} (have: {', '.join(MIXES)})")


def live_count(count: int | None, duration: float | None, rate: float | None) -> int | None:
    """How many events a live run generates (None: as many as its duration allows)."""
    if count is not None:
        return count
    if duration is None:
        return DEFAULT_COUNT
    return math.ceil(rate * duration) if rate is not None else None


def live_events(
    seed: int, mix: str, count: int | None, rate: float | None
) -> Iterator[dict[str, Any]]:
    """Generated events happening from now on (see the module's docstring)."""
    from simulator.generator import generate

    start = float(int(time.time()))
    if count is not None:
        window = count / rate if rate else GENERATED_WINDOW_S
        yield from generate(count, seed=seed, start=start, duration=max(window, 1.0), mix=mix)
        return
    chunk = 0
    while True:  # bounded by the run's --duration
        yield from generate(
            GENERATED_CHUNK,
            seed=seed * 1_000_003 + chunk,
            start=start + chunk * GENERATED_WINDOW_S,
            duration=GENERATED_WINDOW_S,
            mix=mix,
        )
        chunk += 1


def past_events(seed: int, mix: str, count: int, window: float | None) -> Iterator[dict[str, Any]]:
    """``count`` generated events over the ``window`` (the mix's own when None) ending now."""
    from simulator.generator import generate

    length = window if window is not None else 3600.0
    start = float(int(time.time() - length))
    return generate(count, seed=seed, start=start, duration=length, mix=mix)
