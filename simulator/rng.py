"""Seeded randomness: one ``random.Random`` per purpose, derived from one seed."""

from __future__ import annotations

import hashlib
import random


def make_rng(seed: int | str | None) -> random.Random:
    """A private generator; ``None`` still gives a fixed stream (seed 0) so runs repeat."""
    return random.Random(0 if seed is None else seed)


def derive(seed: int | str | None, name: str) -> random.Random:
    """An independent sub-stream for ``name``, stable across Python versions and runs."""
    digest = hashlib.sha256(f"{seed}:{name}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))
