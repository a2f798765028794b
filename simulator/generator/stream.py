"""A time-ordered stream of Currents events from a population of users and devices.

``event_stream(provider, n, start=..., mix=...)`` yields exactly ``n`` flat events sorted by
time, lazily (constant memory: only the events of journeys still in progress are held). The
window starts at an injected instant and lasts ``duration`` seconds (the mix's default when
None); nothing reads a clock. ``event_lines`` yields the same events as flat JSON text, written
without building the records (``simulator.generator.lines``): the fast path to JSON Lines.

- **Journeys and mixes** are data (``simulator.generator.mixes``); ``schedule`` draws the
  background's journeys in blocks. Background journeys arrive as a Poisson process whose rate
  adapts so that the background events fill the window.
- **Identity**: users are identified (``external_user_id`` + device), anonymous (device only)
  or have neither id (e-mail/SMS-only users, whose events the transformer skips), in the
  requested shares of the population (exact allocation) and of the background journeys.
- **Device classes** are recoverable from ``device_id`` with ``simulator.generator.device_class``:
  ``normal`` devices have bare UUIDs (well under 1 event/s); ``heavy-<UUID>`` devices are about
  ten times as active; ``misconfigured-<UUID>`` bursts above 30 events/s (Amplitude's 30-second
  average limit); ``quota-<UUID>`` sends steadily enough to pass 500,000 events in 24 hours.
  Hot devices belong to identified users; their events count towards ``n`` (``share`` of it).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterator, Mapping
from itertools import chain, islice
from operator import itemgetter
from random import Random
from typing import Any, TypedDict, Unpack

from simulator.generator.lines import json_text
from simulator.generator.mixes import JOURNEYS, MIXES, HotDevice, Mix
from simulator.generator.population import Context, Identity
from simulator.generator.provider import CurrentsProvider
from simulator.generator.schedule import Pick, Scheduler, Users

IDENTITIES: tuple[Identity, ...] = ("identified", "anonymous", "neither")
DEFAULT_IDENTITY: dict[Identity, float] = {"identified": 0.8, "anonymous": 0.15, "neither": 0.05}


class StreamOptions(TypedDict, total=False):
    """What shapes a stream besides its size and start; every stream entry point takes these
    keywords (``event_stream``, ``event_lines``, ``generate``, ``generate_lines``)."""

    duration: float | None  # the window's length in seconds (None: the mix's default)
    mix: str | Mix  # a name in ``MIXES`` (default: "default"), or a ``Mix``
    identity: Mapping[Identity, float] | None  # shares of users by identity (DEFAULT_IDENTITY)


def event_stream(
    provider: CurrentsProvider,
    n: int,
    *,
    start: float,
    rng: Random | None = None,
    **options: Unpack[StreamOptions],
) -> Iterator[dict[str, Any]]:
    """Exactly ``n`` flat events in time order over ``[start, start + duration)``.

    Hot devices' events are merged in by their ``time`` (whole seconds): within a second, the
    background's events come first.
    """
    events: Iterator[dict[str, Any]] = _stream(provider, n, start, rng, options, lines=False)
    return events


def event_lines(
    provider: CurrentsProvider,
    n: int,
    *,
    start: float,
    rng: Random | None = None,
    **options: Unpack[StreamOptions],
) -> Iterator[str]:
    """``event_stream``'s events as flat JSON text (``orjson.dumps(event).decode()``, byte for
    byte, for the same arguments and provider state), written without building the records:
    the fast path to JSON Lines."""
    lines: Iterator[str] = _stream(provider, n, start, rng, options, lines=True)
    return lines


def _stream(
    provider: CurrentsProvider,
    n: int,
    start: float,
    rng: Random | None,
    options: StreamOptions,
    *,
    lines: bool,
) -> Iterator[Any]:
    """The one implementation of ``event_stream`` and ``event_lines``."""
    unknown = options.keys() - StreamOptions.__optional_keys__
    if unknown:  # keywords are not checked by the signature: say which one is wrong
        raise TypeError(f"unknown stream option(s): {', '.join(sorted(unknown))}")
    mix, duration = options.get("mix", "default"), options.get("duration")
    identity = options.get("identity")
    spec = MIXES[mix] if isinstance(mix, str) else mix
    window = spec.duration if duration is None else duration
    if n < 0 or window <= 0:
        raise ValueError("n must be >= 0 and the duration > 0")
    shares = _shares(identity or DEFAULT_IDENTITY)
    rng = rng or provider.draws.rng()
    hot_counts = [round(h.share * n) for h in spec.hot]
    background = n - sum(hot_counts)
    # Batches of events, flattened by ``chain`` (in C): no Python frame is resumed per event.
    batches = _background(provider, rng, spec, shares, background, start, window, lines=lines)
    events = chain.from_iterable(batches)
    if not spec.hot:
        return events
    hot = [
        _hot(provider, rng, h, k, start, window) for h, k in zip(spec.hot, hot_counts, strict=True)
    ]
    if not lines:
        return heapq.merge(events, *hot, key=_TIME)
    # Lines carry no time to merge by: both sides come as (whole second, text) pairs.
    timed = [((event["time"], json_text(event)) for event in stream) for stream in hot]
    return map(_SECOND, heapq.merge(events, *timed, key=_FIRST))


_TIME, _FIRST, _SECOND = itemgetter("time"), itemgetter(0), itemgetter(1)


def _shares(identity: Mapping[Identity, float]) -> dict[Identity, float]:
    unknown = set(identity) - set(IDENTITIES)
    if unknown or any(v < 0 for v in identity.values()) or sum(identity.values()) <= 0:
        raise ValueError(f"identity shares must be >= 0 over {IDENTITIES}, got {dict(identity)}")
    total = sum(identity.values())
    return {k: identity.get(k, 0.0) / total for k in IDENTITIES}


def _population(
    provider: CurrentsProvider, spec: Mix, shares: dict[Identity, float], n: int, *, lines: bool
) -> dict[Identity, Users]:
    """The users of each identity class, heavy devices first, with their activity weights."""
    # One user per 25 background events, 40 to 5,000 users (bounded memory): at 1h and up to
    # ~10M events a normal device stays under 0.5 event/s; beyond that, lengthen the window.
    size = max(40, min(5000, n // 25))
    population: dict[Identity, Users] = {}
    for identity in IDENTITIES:
        k = max(1, round(shares[identity] * size)) if shares[identity] > 0 else 0
        heavy = round(k * spec.heavy_share) if identity != "neither" else 0
        people = provider.currents_users(k, identity)
        if identity == "neither":  # no device
            devices: list[Context] = [{}] * k
        else:
            devices = provider.currents_devices(heavy, "heavy")
            devices += provider.currents_devices(k - heavy, "normal")
        users = [
            provider.currents_context(user, device, message={})
            for user, device in zip(people, devices, strict=True)
        ]
        weights = [spec.heavy_weight] * heavy + [1.0] * (k - heavy)
        if users:
            population[identity] = Users.of(users, weights, lines=lines)
    return population


def _background(
    provider: CurrentsProvider,
    rng: Random,
    spec: Mix,
    shares: dict[Identity, float],
    n: int,
    start: float,
    window: float,
    *,
    lines: bool,
) -> Iterator[Iterator[Any]]:
    """The background journeys' events, in batches, in time order (as (whole second, line)
    pairs with ``lines`` and hot devices, for the merge)."""
    if n <= 0:
        return
    population = _population(provider, spec, shares, n, lines=lines)
    picks = [
        (Pick(JOURNEYS[name], population[identity]), weight)
        for identity, name, weight in _journey_picks(spec, shares)
    ]
    scheduler = Scheduler(provider, rng, picks, n, start, window, lines=lines)
    yield from scheduler.batches(timed=lines and bool(spec.hot))


def _journey_picks(spec: Mix, shares: dict[Identity, float]) -> list[tuple[Identity, str, float]]:
    """(identity class, journey, weight) triples, so one draw picks both: the class in its
    share, then a journey it may take (no app journeys without a device)."""
    picks: list[tuple[Identity, str, float]] = []
    for identity in IDENTITIES:
        allowed = {
            j: w
            for j, w in spec.journeys.items()
            if identity != "neither" or not JOURNEYS[j].device
        } or {"email": 1.0}  # users with neither id only ever get e-mails/SMS
        total = sum(allowed.values())
        for name, weight in allowed.items():
            if shares[identity] * weight > 0:
                picks.append((identity, name, shares[identity] * weight / total))
    return picks


def _hot(
    provider: CurrentsProvider, rng: Random, hot: HotDevice, k: int, start: float, window: float
) -> Iterator[dict[str, Any]]:
    """``k`` custom events of one hot device, generated lazily in time order."""
    if k <= 0:
        return
    device = provider.currents_device(hot.device_class, platform="android")
    ctx = provider.currents_context(provider.currents_user("identified"), device, message={})
    for at in islice(_hot_times(hot, k, start, window), k):
        extra = {"name": hot.event_names[int(rng.random() * len(hot.event_names))]}
        yield provider.currents_event(
            "users.behaviors.CustomEvent", at=at, context=ctx, extra=extra
        )


def _hot_times(hot: HotDevice, k: int, start: float, window: float) -> Iterator[float]:
    """Evenly spaced times: over the whole window, or in evenly spread bursts at ``rate``."""
    if hot.burst_seconds is None:
        step = window / k
        return (start + (i + 0.5) * step for i in range(k))
    per_burst = max(1, int(hot.rate * hot.burst_seconds))
    bursts = math.ceil(k / per_burst)
    gap = window / bursts
    return (
        start + b * gap + (gap - min(per_burst, k - b * per_burst) / hot.rate) / 2 + i / hot.rate
        for b in range(bursts)
        for i in range(min(per_burst, k - b * per_burst))
    )
