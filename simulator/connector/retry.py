"""Braze's retry matrix as a table: what the connector does with each response.

Source: BRAZE_CURRENTS.md §4.3 (the Custom HTTP connector spec, old and new, [CCC-old],
[CCC-new]) and §4.2 (credential expiry), with the Amplitude specifics of §4.4:

| response                                   | reaction                                  |
|--------------------------------------------|-------------------------------------------|
| 2xx                                        | delivered                                 |
| 400 whose ``error`` starts "Invalid API key" | invalid credentials (Amplitude's way)   |
| 401, 403, 404 (404: new spec)              | invalid credentials: retry every 2–5 min, |
|                                            | drop one horizon (48 h) after the halt    |
| 400 (any other)                            | split into single events; a single event  |
|                                            | rejected alone is dropped                 |
| 413                                        | split (halves) and re-send                |
| 429                                        | throttled: backoff + jitter, 24 h         |
| 5xx and any status not listed              | backoff + jitter, dropped after 24 h      |

The first matching row wins. ``classify`` returns the row's reaction *with its reason*, and the
numbers (backoff base, caps, horizons) live in ``RetryPolicy`` so scenarios can change them.
Braze documents neither the backoff base nor its cap ("retry periodically"); we take Amplitude's
own advice for a 429 (pause 30 s, AMPLITUDE_API.md §4.1) as the base for both 429 and 5xx.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import Enum
from typing import Any


class Reaction(Enum):
    DELIVERED = "delivered"
    CREDENTIALS = "credentials"  # halt, retry every 2–5 min, drop after the horizon
    SPLIT_SINGLE = "split_single"  # 400: one event per request; a lone 400 is dropped
    SPLIT_HALF = "split_half"  # 413: halves
    THROTTLED = "throttled"  # 429: backoff (braze) or hold back throttled_events (per-device)
    BACKOFF = "backoff"  # 5xx and the rest: exponential backoff with jitter


@dataclass(frozen=True, slots=True)
class Rule:
    """One row: statuses it covers (None = any), an ``error`` prefix to match, the reaction."""

    statuses: frozenset[int] | None
    reaction: Reaction
    reason: str
    error_prefix: str | None = None


def _codes(lo: int, hi: int) -> frozenset[int]:
    return frozenset(range(lo, hi))


INVALID_API_KEY = "Invalid API key"

RULES: tuple[Rule, ...] = (
    Rule(_codes(200, 300), Reaction.DELIVERED, "2xx: accepted [CCC-*]"),
    Rule(
        frozenset({400}),
        Reaction.CREDENTIALS,
        "400 Invalid API key: Amplitude's answer to a bad key (AMPLITUDE_API.md §3.2)",
        error_prefix=INVALID_API_KEY,
    ),
    Rule(frozenset({401, 403, 404}), Reaction.CREDENTIALS, "401/403/404: invalid credentials"),
    Rule(frozenset({400}), Reaction.SPLIT_SINGLE, "400: a malformed event; split into singles"),
    Rule(frozenset({413}), Reaction.SPLIT_HALF, "413: payload too large; split"),
    Rule(frozenset({429}), Reaction.THROTTLED, "429: rate limited; backoff with jitter"),
    Rule(_codes(500, 600), Reaction.BACKOFF, "5xx: backoff with jitter"),
    Rule(None, Reaction.BACKOFF, "status not listed: treated like 5xx [CCC-new]"),
)


def classify(status: int, body: dict[str, Any] | None) -> Rule:
    """The first row of ``RULES`` matching a response."""
    error = body.get("error") if isinstance(body, dict) else None
    for rule in RULES:
        if rule.statuses is not None and status not in rule.statuses:
            continue
        if rule.error_prefix is not None and not (
            isinstance(error, str) and error.startswith(rule.error_prefix)
        ):
            continue
        return rule
    raise AssertionError("RULES ends with a catch-all row")  # pragma: no cover


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """The numbers of the matrix. Defaults: BRAZE_CURRENTS.md §4.2–§4.4."""

    backoff_base_s: float = 30.0  # first wait after a 429/5xx (Amplitude: pause 30 s)
    backoff_factor: float = 2.0
    backoff_cap_s: float = 15 * 60.0  # Braze: "retry periodically"; the cap is ours
    backoff_jitter: float = 0.5  # wait x uniform(1, 1 + jitter)
    retry_horizon_s: float = 24 * 3600.0  # 5xx/429: dropped if not delivered within 24 h
    credentials_retry_min_s: float = 120.0  # "Connect Task Restarter": 2–5 minutes
    credentials_retry_max_s: float = 300.0
    credentials_horizon_s: float = 48 * 3600.0  # Amplitude page: 48 h (generic: 5 days)
    throttle_hold_s: float = 30.0  # per-device: hold throttled events 30 s (SDK, §10.1)

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Wait before retry number ``attempt`` (1 = the first retry) of a batch."""
        wait = min(self.backoff_cap_s, self.backoff_base_s * self.backoff_factor ** (attempt - 1))
        return wait * (1.0 + self.backoff_jitter * rng.random())

    def credentials_retry(self, rng: random.Random) -> float:
        return rng.uniform(self.credentials_retry_min_s, self.credentials_retry_max_s)
