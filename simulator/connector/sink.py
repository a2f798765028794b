"""Where batches go: the ``Sink`` protocol the connector model sends through.

A sink takes the API key and the Amplitude events of one request and returns the status and the
JSON body Amplitude answered (``body`` None when there was none). A connection that failed before
any answer is status 0 (the retry matrix treats it like a 5xx: "any code not listed").
The in-process sink over the Amplitude model lives here; the HTTP sink needs ``requests`` and so
lives in ``clients/http_sink.py`` (the core imports no HTTP client).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import orjson

from simulator.amplitude import AmplitudeModel, Fault

NO_RESPONSE = 0


@dataclass(frozen=True, slots=True)
class SinkResponse:
    status: int
    body: dict[str, Any] | None
    # When the answer arrived, on the connector's clock; None: when the request went out (in a
    # simulation requests take no time). Pauses and backoffs count from the answer: Amplitude's
    # "pause 30 s" starts when the 429 is read, not when the request was sent.
    answered_at: float | None = None


class Sink(Protocol):
    """Anything that takes one request of the connector and answers it."""

    def send(self, api_key: str, events: list[dict[str, Any]]) -> SinkResponse: ...


class ControlledSink(Sink, Protocol):
    """A sink whose Amplitude side a scenario can set up and inspect (model or served mock)."""

    def add_key(self, key: str, expires_at: float | None = None) -> None: ...

    def add_fault(self, fault: dict[str, Any]) -> None: ...

    def clear_faults(self) -> None: ...

    def deduplicated(self) -> int:
        """Events Amplitude received again and dropped by ``insert_id``."""
        ...

    def ingested(self) -> int:
        """Events Amplitude stored (each ``insert_id`` once)."""
        ...


class InProcessSink:
    """The Amplitude model called directly, on the connector's own clock (days pass in seconds).

    The payload is serialised once to measure its size, as the HTTP mock would receive it, so
    the model's byte cap (413) applies exactly as over HTTP. An injected "dropped connection"
    fault is answered as no response at all.
    """

    def __init__(self, model: AmplitudeModel, endpoint: str = "httpapi") -> None:
        self.model = model
        self.endpoint = endpoint

    def send(self, api_key: str, events: list[dict[str, Any]]) -> SinkResponse:
        payload = {"api_key": api_key, "events": events}
        result = self.model.upload(self.endpoint, payload, size_bytes=len(orjson.dumps(payload)))
        if result.drop:
            return SinkResponse(NO_RESPONSE, None)
        return SinkResponse(result.status, result.body)

    def add_key(self, key: str, expires_at: float | None = None) -> None:
        self.model.add_key(key, expires_at)

    def add_fault(self, fault: dict[str, Any]) -> None:
        self.model.add_fault(Fault(**fault))

    def clear_faults(self) -> None:
        self.model.clear_faults()

    def deduplicated(self) -> int:
        return int(self.model.stats()["outcomes"]["deduplicated"])

    def ingested(self) -> int:
        return int(self.model.stats()["outcomes"]["ingested"])
