"""Injected faults: scripted next-N responses, seeded probabilistic ones, latency, dropped
connections, and Amplitude answers the SDKs mishandle (a 200 without ``code``).

Which faults matter and why (AMPLITUDE_API.md §10.3, §12.8): a JSON body without ``code``
loses events in Python 1.3.0 and duplicates them in Node; non-JSON 5xx bodies are retried by
both; a response slower than the SDK timeout (10 s) is retried as 408 and may duplicate.
A fault either replaces the model (``after=False``: nothing is processed) or is applied after the
model processed the request (``after=True``: e.g. a 500 for a request that was in fact ingested).
Randomness comes only from the seeded generator passed in.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass
from typing import Any, Literal

from simulator.amplitude.errors import UploadResult, reason

BodyKind = Literal["json", "no_code", "text", "empty"]
BODY_KINDS = ("json", "no_code", "text", "empty")


@dataclass
class Fault:
    """One rule. ``count`` None = until cleared; ``probability`` None = always (when matched)."""

    status: int | None = None
    body: BodyKind = "json"
    text: str | None = None
    latency_ms: int = 0
    drop: bool = False
    after: bool = False
    count: int | None = None
    probability: float | None = None
    endpoint: str | None = None
    api_key: str | None = None

    def __post_init__(self) -> None:
        if self.body not in BODY_KINDS:
            raise ValueError(f"body must be one of {', '.join(BODY_KINDS)}")
        if self.status is not None and not 100 <= self.status <= 599:
            raise ValueError("status must be an HTTP status (100-599)")
        if self.count is not None and self.count < 1:
            raise ValueError("count must be >= 1")
        if self.probability is not None and not 0.0 <= self.probability <= 1.0:
            raise ValueError("probability must be within [0, 1]")
        if self.latency_ms < 0:
            raise ValueError("latency_ms must be >= 0")
        if self.status is None and not self.drop and not self.latency_ms:
            raise ValueError("a fault needs a status, drop or latency_ms")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def applies(self, endpoint: str, api_key: str | None) -> bool:
        return (self.endpoint is None or self.endpoint == endpoint) and (
            self.api_key is None or self.api_key == api_key
        )

    def render(self, processed: UploadResult | None) -> UploadResult:
        """The response this fault gives (``processed`` is the model's answer when ``after``)."""
        latency = self.latency_ms / 1000.0
        if self.status is None:
            base = processed or UploadResult(200, {"code": 200})
            return UploadResult(base.status, base.body, base.text, latency, self.drop)
        status = self.status
        if self.body == "text":
            text = self.text if self.text is not None else f"<html>{status} {reason(status)}</html>"
            return UploadResult(status, None, text, latency, self.drop)
        if self.body == "empty":
            return UploadResult(status, None, "", latency, self.drop)
        body: dict[str, Any]
        if processed is not None and processed.body is not None and processed.status == status:
            body = dict(processed.body)
        else:
            body = {"code": status, "error": reason(status)}
        if self.body == "no_code":
            body.pop("code", None)
        else:
            body["code"] = status
        return UploadResult(status, body, None, latency, self.drop)


class Faults:
    """Active fault rules, first match wins; scripted ones are used up."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.rules: list[Fault] = []

    def add(self, fault: Fault) -> None:
        self.rules.append(fault)

    def clear(self) -> None:
        self.rules.clear()

    def pick(self, endpoint: str, api_key: str | None) -> Fault | None:
        for rule in self.rules:
            if not rule.applies(endpoint, api_key):
                continue
            if rule.probability is not None and self.rng.random() >= rule.probability:
                continue
            if rule.count is not None:
                rule.count -= 1
                if rule.count == 0:
                    self.rules.remove(rule)
            return rule
        return None
