"""Braze's receiver contract for a Custom HTTP Currents endpoint (BRAZE_CURRENTS.md §3.1, §4.3).

What Braze expects of the endpoint it posts ``{"events": [envelope, ...]}`` to ([CCC-new]):

- With a token configured, ``Authorization: Bearer <token>`` is checked on *every* request, empty
  batches included, and a bad one answers 401, so Braze can tell whether the key is valid. We
  answer 401 with ``WWW-Authenticate: Bearer`` for a missing, malformed or wrong token
  (RFC 6750 §3.1: ``invalid_token`` is 401).
- An empty body or zero events is a 2xx no-op.
- A body that is not a JSON object whose ``events`` is a list of objects is malformed: 400 (Braze
  then splits the batch into single events and drops a lone one that gets 400 again).
- Unknown fields and unknown event types are tolerated (schema changes come with ~2 weeks'
  notice): they are accepted here and skipped, with a reason, by the transformer.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from typing import Any

import orjson

BEARER = "bearer "


@dataclass(frozen=True, slots=True)
class Answer:
    """What to answer, and the events to accept (empty unless the batch is accepted)."""

    status: int
    body: dict[str, Any]
    events: list[dict[str, Any]] = field(default_factory=list)
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def accepted(self) -> bool:
        return 200 <= self.status < 300 and bool(self.events)


def _refused(message: str) -> Answer:
    return Answer(
        401,
        {"code": 401, "error": message},
        headers=(("WWW-Authenticate", 'Bearer error="invalid_token"'),),
    )


def authorize(authorization: str | None, token: str | None) -> Answer | None:
    """A 401 answer when a token is configured and the request does not carry it, else None."""
    if token is None:
        return None
    if authorization is None:
        return _refused("missing bearer token")
    if authorization[: len(BEARER)].lower() != BEARER:
        return _refused("Authorization is not a bearer token")
    given = authorization[len(BEARER) :].strip().encode()
    if not hmac.compare_digest(given, token.encode()):
        return _refused("invalid bearer token")
    return None


def parse_events(body: bytes) -> list[dict[str, Any]] | str:
    """The events of a request body, or why it is malformed."""
    if not body.strip():
        return []
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        return f"body is not JSON: {exc}"
    if not isinstance(parsed, dict):
        return 'body must be a JSON object {"events": [...]}'
    events = parsed.get("events", [])
    if not isinstance(events, list):
        return '"events" must be a list'
    for i, event in enumerate(events):
        if not isinstance(event, dict):
            return f"events[{i}] is not an object"
    return events


def receive(body: bytes, authorization: str | None, token: str | None) -> Answer:
    """Apply the contract to one ``POST``: refuse, reject, no-op, or accept the events."""
    refused = authorize(authorization, token)
    if refused is not None:
        return refused
    events = parse_events(body)
    if isinstance(events, str):
        return Answer(400, {"code": 400, "error": events})
    return Answer(200, {"code": 200, "accepted": len(events)}, events)
