"""The event generator: a Faker provider (``provider``) and a time-ordered stream (``stream``).

``generate(n, seed=..., start=...)`` is the one-call entry point, shaped by the keywords of
``StreamOptions`` (``duration``, ``mix``, ``identity``); ``generate_lines``: the same events as
flat JSON text, the fast path to JSON Lines; ``make_provider(seed)`` gives a seeded
provider for one-off events (``provider.currents_event(type, at=...)``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar, Unpack

from faker import Faker

from simulator.generator.ids import NO_DEVICE, device_class
from simulator.generator.mixes import MIXES, Mix
from simulator.generator.population import Identity
from simulator.generator.provider import CurrentsProvider
from simulator.generator.stream import DEFAULT_IDENTITY, StreamOptions, event_lines, event_stream
from simulator.rng import derive

__all__ = [
    "DEFAULT_IDENTITY",
    "MIXES",
    "NO_DEVICE",
    "CurrentsProvider",
    "Identity",
    "Mix",
    "StreamOptions",
    "device_class",
    "event_lines",
    "event_stream",
    "generate",
    "generate_lines",
    "make_provider",
]

Item = TypeVar("Item")


def make_provider(seed: int) -> CurrentsProvider:
    """A ``CurrentsProvider`` on its own Faker, seeded per instance (never the global seed)."""
    fake = Faker("en_US")
    fake.seed_instance(seed)
    provider = CurrentsProvider(fake)
    fake.add_provider(provider)
    return provider


def generate(
    n: int, *, seed: int, start: float, **options: Unpack[StreamOptions]
) -> Iterator[dict[str, Any]]:
    """Exactly ``n`` flat events in time order; the same arguments give the same events."""
    return _seeded(event_stream, n, seed, start, options)


def generate_lines(
    n: int, *, seed: int, start: float, **options: Unpack[StreamOptions]
) -> Iterator[str]:
    """``generate``'s events as flat JSON text, one string per event: for the same arguments,
    each is ``orjson.dumps(event).decode()`` of ``generate``'s event, byte for byte."""
    return _seeded(event_lines, n, seed, start, options)


def _seeded(
    stream: Callable[..., Iterator[Item]],
    n: int,
    seed: int,
    start: float,
    options: StreamOptions,
) -> Iterator[Item]:
    """``stream`` (``event_stream`` or ``event_lines``) of a provider and a stream random both
    derived from ``seed``: the one implementation of ``generate`` and ``generate_lines``."""
    return stream(make_provider(seed), n, start=start, rng=derive(seed, "stream"), **options)
