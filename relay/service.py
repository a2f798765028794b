"""A relay assembled: receiver contract + outbox + delivery thread + Amplitude sink.

``Service`` is what the HTTP app calls; ``open_service`` builds one from plain options, and is
the public seam for variants: pass a ``ConnectorConfig`` whose ``transformer`` or ``strategy``
differs (``simulator.connector.ThrottleStrategy``) and the rest of the relay stays the reference.
"""

from __future__ import annotations

import random
import threading
from typing import Any

from relay.amplitude import AmplitudeSink
from relay.delivery import Delivery
from relay.outbox import Outbox
from simulator.clock import Clock, SystemClock
from simulator.connector import ConnectorConfig, Sink
from simulator.relay import Answer, RelayEngine, receive

REQUEST_TIMEOUT_S = 30.0


def amplitude_sink(url: str, clock: Clock) -> AmplitudeSink:
    """The sink delivering to ``url`` (``ValueError`` when it is not an http(s) URL)."""
    return AmplitudeSink(url, clock, timeout_s=REQUEST_TIMEOUT_S)


class Service:
    """Receive, store, deliver. Thread-safe ``receive``; one delivery thread."""

    def __init__(
        self,
        sink: Sink,
        outbox: Outbox,
        config: ConnectorConfig,
        *,
        token: str | None = None,
        clock: Clock | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.outbox, self.token = outbox, token
        self.clock = clock or SystemClock()
        engine = RelayEngine(sink, config, start=self.clock.now(), rng=rng)
        self.delivery = Delivery(engine, outbox, self.clock)
        self._lock = threading.Lock()
        self.accepted = 0  # events accepted over HTTP by this process
        self.refused = 0  # requests answered 401
        self.rejected = 0  # requests answered 400
        self.replayed = self._replay()

    def _replay(self) -> int:
        """Hand the rows a previous run left undelivered to the delivery thread (by id: their
        bodies are read back from the outbox as the engine has room)."""
        events = 0
        for row, count in self.outbox.pending():
            self.delivery.submit(row, count)
            events += count
        return events

    def start(self) -> Service:
        self.delivery.start()
        return self

    def receive(self, body: bytes, authorization: str | None) -> Answer:
        """Braze's contract; an accepted body is committed to the outbox before we answer."""
        answer = receive(body, authorization, self.token)
        if answer.accepted:
            accepted_at = self.clock.now()
            try:
                row = self.outbox.append(body, len(answer.events), accepted_at)
            except Exception as exc:  # disk full, I/O error: Braze must retry, not lose it
                return Answer(503, {"code": 503, "error": f"outbox unavailable: {exc}"})
            self.delivery.submit(row, len(answer.events), answer.events, accepted_at)
        with self._lock:
            self.accepted += len(answer.events) if answer.accepted else 0
            self.refused += answer.status == 401
            self.rejected += answer.status == 400
        return answer

    def health(self) -> dict[str, Any]:
        return {"code": 200, "status": "ok"}

    def stats(self) -> dict[str, Any]:
        with self._lock:
            mine = {
                "accepted": self.accepted,
                "replayed": self.replayed,
                "refused_requests": self.refused,
                "rejected_requests": self.rejected,
            }
        return {**mine, **self.delivery.stats()}

    def close(self) -> None:
        """Stop delivering (after the request in flight) and close the outbox."""
        self.delivery.stop()
        self.outbox.close()
