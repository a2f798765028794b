"""Injected faults: scripted next-N responses, seeded probabilistic ones, latency, dropped
connections, and Amplitude answers the SDKs mishandle (a 200 without ``code``).

An injected status answers the body Amplitude itself sends for it (``body="json"``, the default),
because the SDKs act on the body, not the status line: a 429 without ``throttled_events`` makes
the Python SDK retry at once (``processor.py``: only listed indices wait 30 s) and the Node SDK
skip its 30 s pause (analytics-core ``destination.js`` ``handleRateLimitResponse``:
``context.timeout = throttleTimeout`` only for ``throttledEvents``). The shapes (``SHAPES``):

- 429: the throttle body of [V2]/[BATCH] (AMPLITUDE_API.md §3.5) for *this request's* events:
  every event with an id is listed in ``throttled_events`` and its ids in ``throttled_devices``
  / ``throttled_users`` at just over ``eps_threshold``; the quota maps are empty objects;
- 413: ``{"code":413,"error":"Payload too large"}`` ([V2], [BATCH]);
- 400: ``invalid_fields`` (default; [V2] "Invalid field values on some events" with
  ``events_with_invalid_fields`` listing every index under ``event_type``), ``missing_field``
  ([V2] "Request missing required field", ``missing_field: "api_key"``) or ``invalid_key``
  (the observed ``"Invalid API key: <key>"``, Amplitude-Swift#260, Amplitude-Kotlin#215);
- any other status, or ``body="bare"``: the generic ``{"code": status, "error": reason}``.

Which faults matter and why (AMPLITUDE_API.md §10.3, §12.8): a JSON body without ``code``
loses events in Python 1.3.0 and duplicates them in Node; non-JSON 5xx bodies are retried by
both; a response slower than the SDK timeout (10 s) is retried as 408 and may duplicate.
A fault either replaces the model (``after=False``: nothing is processed) or is applied after the
model processed the request (``after=True``: e.g. a 500 for a request that was in fact ingested).
Randomness comes only from the seeded generator passed in.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from simulator.amplitude import errors
from simulator.amplitude.errors import Body, Throttled, UploadResult, reason

BodyKind = Literal[
    "json", "bare", "no_code", "text", "empty", "invalid_fields", "missing_field", "invalid_key",
    "throttled", "payload_too_large",
]  # fmt: skip
BODY_KINDS = (
    "json", "bare", "no_code", "text", "empty", "invalid_fields", "missing_field", "invalid_key",
    "throttled", "payload_too_large",
)  # fmt: skip


@dataclass(frozen=True)
class FaultRequest:
    """What a fault's body may name of the request it answers (its key, events, threshold)."""

    api_key: str | None = None
    events: list[Any] = field(default_factory=list)
    eps_threshold: int = 30


def _ids(events: list[Any], name: str) -> list[tuple[int, str]]:
    """``(index, id)`` of the events that carry a non-empty string ``name``."""
    return [
        (i, e[name])
        for i, e in enumerate(events)
        if isinstance(e, dict) and isinstance(e.get(name), str) and e[name]
    ]


def _throttled(request: FaultRequest) -> Body:
    """[BATCH] 429 body for every id of the request, each counted at ``eps_threshold + 1``."""
    devices, users = _ids(request.events, "device_id"), _ids(request.events, "user_id")
    over = request.eps_threshold + 1
    verdict = Throttled(
        eps_threshold=request.eps_threshold,
        throttled_devices=dict.fromkeys((d for _, d in devices), over),
        throttled_users=dict.fromkeys((u for _, u in users), over),
        throttled_events=sorted({i for i, _ in devices} | {i for i, _ in users}),
    )
    body = verdict.result().body
    assert body is not None
    return body


def _invalid_fields(request: FaultRequest) -> Body:
    indices = list(range(len(request.events)))
    return {"code": 400, "error": errors.INVALID_FIELDS,
            "events_with_invalid_fields": {"event_type": indices}}  # fmt: skip


def _missing_field(request: FaultRequest) -> Body:
    return {"code": 400, "error": errors.MISSING_FIELD, "missing_field": "api_key"}


def _invalid_key(request: FaultRequest) -> Body:
    return {"code": 400, "error": f"Invalid API key: {request.api_key or ''}"}


def _too_large(request: FaultRequest) -> Body:
    return {"code": 413, "error": errors.TOO_LARGE}


# Amplitude-shaped bodies: kind -> (the status it belongs to, the body for a request).
SHAPES: dict[str, tuple[int, Callable[[FaultRequest], Body]]] = {
    "throttled": (429, _throttled),
    "payload_too_large": (413, _too_large),
    "invalid_fields": (400, _invalid_fields),
    "missing_field": (400, _missing_field),
    "invalid_key": (400, _invalid_key),
}
# What ``body="json"`` means for a status: Amplitude's own answer where it has one.
DEFAULT_SHAPE = {429: "throttled", 413: "payload_too_large", 400: "invalid_fields"}


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
        if self.body in SHAPES and self.status != SHAPES[self.body][0]:
            raise ValueError(f"body {self.body} needs status {SHAPES[self.body][0]}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def applies(self, endpoint: str, api_key: str | None) -> bool:
        return (self.endpoint is None or self.endpoint == endpoint) and (
            self.api_key is None or self.api_key == api_key
        )

    def render(
        self, processed: UploadResult | None, request: FaultRequest | None = None
    ) -> UploadResult:
        """The response this fault gives (``processed`` is the model's answer when ``after``;
        ``request`` what a shaped body names: its key, events and throttle threshold)."""
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
        body = self._body(status, processed, request or FaultRequest())
        if self.body == "no_code":
            body.pop("code", None)
        else:
            body["code"] = status
        return UploadResult(status, body, None, latency, self.drop)

    def _body(self, status: int, processed: UploadResult | None, request: FaultRequest) -> Body:
        """The model's own body when it answered the same status, else the shape asked for."""
        if processed is not None and processed.body is not None and processed.status == status:
            return dict(processed.body)
        shape: str | None = self.body if self.body in SHAPES else None
        if self.body == "json":
            shape = DEFAULT_SHAPE.get(status)
        if shape is None:
            return {"code": status, "error": reason(status)}
        return SHAPES[shape][1](request)


class Faults:
    """Active fault rules, first match wins; scripted ones are used up."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.rules: list[Fault] = []

    def add(self, fault: Fault) -> None:
        self.rules.append(fault)

    def clear(self, api_key: str | None = None) -> None:
        """Every rule, or only those scoped to ``api_key`` (a shared mock's neighbours keep
        theirs)."""
        if api_key is None:
            self.rules.clear()
        else:
            self.rules[:] = [rule for rule in self.rules if rule.api_key != api_key]

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
