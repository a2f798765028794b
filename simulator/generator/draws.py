"""Where a provider's values are drawn from: its seeded random, uniform and weighted picks, and
pools of values Faker makes once.

Randomness is Faker's per-instance ``Random`` (seeded by ``Faker.seed_instance``); the
module-global one Faker starts with is refused, so a provider's output is a function of its
seed alone. Faker itself is called only to fill the pools (names, cities, domains, URLs,
sentences), once; users, devices, campaigns and events pick from them.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from math import trunc
from random import Random
from typing import Any

import orjson
from faker import generator as faker_generator

from simulator.generator.ids import Ids

WEIGHTED_SLOTS = 200  # a weighted pick is a uniform pick from this many slots
ENCODED_POOL = 256  # property maps made per pool, encoded once, then picked


class Draws:
    """The seeded random of one Faker generator, and the picks made with it.

    ``random`` is bound to the generator's ``Random.random`` once the seed has been checked
    (on first use); picks are ``values[trunc(random() * len(values))]``, one expression with
    no Python frame: ``trunc`` is ``int`` for a float without the type's call, and
    ``random.choice``/``randint`` run Python frames of their own."""

    def __init__(self, generator: Any) -> None:
        self.generator = generator
        self._rng: Random | None = None
        self.random: Callable[[], float] = self._unseeded
        self._tables: dict[int, tuple[str, ...]] = {}

    def rng(self) -> Random:
        """Faker's per-instance ``Random``; refuses the module-global one Faker starts with."""
        if self._rng is None:
            rng = self.generator.random
            if rng is faker_generator.random:
                raise ValueError(
                    "seed the Faker instance first (fake.seed_instance(seed)): "
                    "CurrentsProvider never uses Faker's shared global random"
                )
            self._rng, self.random = rng, rng.random
        return self._rng

    def _unseeded(self) -> float:
        """``random`` until ``rng`` has checked the seed: checks it, then draws."""
        return self.rng().random()

    def choice(self, values: tuple[Any, ...]) -> Any:
        """A uniform pick."""
        return values[trunc(self.random() * len(values))]

    def between(self, low: int, high: int) -> int:
        """``randint(low, high)`` in one expression."""
        return low + trunc(self.random() * (high - low + 1))

    def weighted(self, weights: OrderedDict[str, float]) -> str:
        """A weighted pick, with ``random_elements``' semantics."""
        return str(self.choice(self.weighted_table(weights)))

    def weighted_table(self, weights: OrderedDict[str, float]) -> tuple[str, ...]:
        """Each key repeated in proportion to its weight (``WEIGHTED_SLOTS`` slots, built once
        per table), so a uniform pick is a weighted one."""
        table = self._tables.get(id(weights))
        if table is None:
            total = sum(weights.values())
            table = tuple(
                k
                for k, w in weights.items()
                for _ in range(max(1, round(WEIGHTED_SLOTS * w / total)))
            )
            self._tables[id(weights)] = table
        return table


class Pools:
    """Values made once per provider, then picked: Faker's (built together on first use, in a
    fixed order, so that the seed decides them) and encoded property maps."""

    def __init__(self, draws: Draws, ids: Ids, apps: int) -> None:
        self.draws, self.ids, self.apps = draws, ids, apps
        self._pools: dict[str, tuple[Any, ...]] | None = None
        self._encoded: dict[str, tuple[str, ...]] = {}

    def get(self, name: str) -> tuple[Any, ...]:
        if self._pools is None:
            self._pools = self._build()
        return self._pools[name]

    def pick(self, name: str) -> Any:
        return self.draws.choice(self.get(name))

    def encoded(self, name: str, make: Callable[[], dict[str, Any]]) -> tuple[str, ...]:
        """``ENCODED_POOL`` maps of ``make``'s, as JSON text, made once per name."""
        pool = self._encoded.get(name)
        if pool is None:
            pool = tuple(orjson.dumps(make()).decode() for _ in range(ENCODED_POOL))
            self._encoded[name] = pool
        return pool

    def _build(self) -> dict[str, tuple[Any, ...]]:
        fake, rnd, uuid = self.draws.generator, self.draws.rng(), self.ids.uuid
        words = tuple(dict.fromkeys(fake.words(300)))
        domains = tuple(fake.domain_name() for _ in range(24))
        return {
            "words": words,
            "first_names": tuple(fake.first_name() for _ in range(120)),
            "last_names": tuple(fake.last_name() for _ in range(120)),
            "email_domains": tuple(fake.free_email_domain() for _ in range(12)),
            "cities": tuple(fake.city() for _ in range(60)),
            "urls": tuple(
                f"https://{self.draws.choice(domains)}/{fake.uri_path()}" for _ in range(120)
            ),
            "domains": domains,
            "app_ids": tuple(uuid() for _ in range(self.apps)),
            "ips": tuple(
                f"198.{rnd.randint(0, 255)}.{rnd.randint(0, 255)}.{rnd.randint(1, 254)}"
                for _ in range(16)
            ),
            "sentences": tuple(fake.sentence(nb_words=8) for _ in range(40)),
            "subscription_groups": tuple(uuid() for _ in range(4)),
        }
