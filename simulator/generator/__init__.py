"""The event generator: a Faker provider (``provider``) and a time-ordered stream (``stream``).

``generate(n, seed=..., start=...)`` is the one-call entry point (``generate_lines``: the same
events as flat JSON text, the fast path to JSON Lines); ``make_provider(seed)`` gives a seeded
provider for one-off events (``provider.currents_event(type, at=...)``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from faker import Faker

from simulator.generator.mixes import MIXES, Mix
from simulator.generator.provider import NO_DEVICE, CurrentsProvider, Identity, device_class
from simulator.generator.stream import DEFAULT_IDENTITY, event_lines, event_stream
from simulator.rng import derive

__all__ = [
    "DEFAULT_IDENTITY",
    "MIXES",
    "NO_DEVICE",
    "CurrentsProvider",
    "Mix",
    "device_class",
    "event_lines",
    "event_stream",
    "generate",
    "generate_lines",
    "make_provider",
]


def make_provider(seed: int) -> CurrentsProvider:
    """A ``CurrentsProvider`` on its own Faker, seeded per instance (never the global seed)."""
    fake = Faker("en_US")
    fake.seed_instance(seed)
    provider = CurrentsProvider(fake)
    fake.add_provider(provider)
    return provider


def generate(
    n: int,
    *,
    seed: int,
    start: float,
    duration: float | None = None,
    mix: str | Mix = "default",
    identity: Mapping[Identity, float] | None = None,
) -> Iterator[dict[str, Any]]:
    """Exactly ``n`` flat events in time order; the same arguments give the same events."""
    provider = make_provider(seed)
    return event_stream(
        provider,
        n,
        start=start,
        duration=duration,
        mix=mix,
        identity=identity,
        rng=derive(seed, "stream"),
    )


def generate_lines(
    n: int,
    *,
    seed: int,
    start: float,
    duration: float | None = None,
    mix: str | Mix = "default",
    identity: Mapping[Identity, float] | None = None,
) -> Iterator[str]:
    """``generate``'s events as flat JSON text, one string per event: for the same arguments,
    each is ``orjson.dumps(event).decode()`` of ``generate``'s event, byte for byte."""
    provider = make_provider(seed)
    return event_lines(
        provider,
        n,
        start=start,
        duration=duration,
        mix=mix,
        identity=identity,
        rng=derive(seed, "stream"),
    )
