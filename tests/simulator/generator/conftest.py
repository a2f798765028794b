"""Generator fixtures: a seeded provider and a cached default stream (generated once)."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.generator import CurrentsProvider, generate, make_provider
from tests.conftest import T0


@pytest.fixture
def provider() -> CurrentsProvider:
    return make_provider(0)


@pytest.fixture(scope="session")
def default_stream() -> list[dict[str, Any]]:
    return list(generate(20_000, seed=7, start=T0))
