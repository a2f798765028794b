"""The relay's pipe, pure: accepted batches in, Amplitude requests out, on any clock.

``RelayEngine`` is the connector model (``simulator.connector.Connector``: the Batcher, Braze's
retry table, the throttle strategies, the horizons) with a counting ledger (``Tally``) that maps
each event back to the stored batch (outbox *row*) it came from. The shell feeds it accepted rows
(``accept``; ``accept_prepared`` when ``prepare`` ran elsewhere), calls ``step`` when ``due`` says
something is due (one request per step, so each request is stamped with the time it really went
out), and forgets rows ``finished_rows`` names.

Time: the shell passes wall-clock readings; the engine never lets its own time go backwards (a
wall clock can step back, and the connector's failure logs must stay in time order).
Restarted rows are produced again at their replay instant: horizons count from then.

A transformer that raises (a team's own, plugged in through ``ConnectorConfig.transformer``)
skips that event with reason ``transformer_error`` instead of stopping the relay: its row still
finishes, and the figures say how many.
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any, NamedTuple

from simulator.clock import ManualClock
from simulator.connector import Connector, ConnectorConfig, Sink, Transformer
from simulator.connector.model import identity
from simulator.currents.catalogue import Profile
from simulator.relay.tally import Tally
from simulator.transform import Result, Skipped

TRANSFORMER_ERROR = "transformer_error"


def guarded(transformer: Transformer) -> Transformer:
    """``transformer``, with an exception turned into a skip (``TRANSFORMER_ERROR``)."""

    def transform(record: dict[str, Any], profile: Profile) -> Result:
        try:
            return transformer(record, profile)
        except Exception as exc:
            event_type, event_id = record.get("event_type"), record.get("id")
            return Skipped(
                TRANSFORMER_ERROR,
                f"{type(exc).__name__}: {exc}",
                event_type if isinstance(event_type, str) else None,
                event_id if isinstance(event_id, str) else None,
            )

    return transform


class Prepared(NamedTuple):
    """One Currents event as the relay keeps it while it waits for the engine: its identity and
    the transformer's result, not the parsed event (which costs more than both together)."""

    event_id: str | None
    device: str | None
    device_class: str
    result: Result


class RelayEngine:
    """One relay's connector; not thread-safe (one delivery thread owns it)."""

    def __init__(
        self,
        sink: Sink,
        config: ConnectorConfig,
        *,
        start: float,
        rng: random.Random | None = None,
    ) -> None:
        self.clock = ManualClock(start)
        self.tally = Tally()
        config = replace(config, transformer=guarded(config.transformer))
        self.connector = Connector(sink, self.clock, config, rng=rng, ledger=self.tally)
        self.accepted = 0
        self.rows = 0

    def _now(self, wall: float) -> float:
        if wall > self.clock.now():
            self.clock.set(wall)
        return self.clock.now()

    def prepare(self, events: list[dict[str, Any]]) -> list[Prepared]:
        """``events`` transformed and reduced to what ``accept_prepared`` needs. Safe from any
        thread (it only reads the configuration; the transformer must be a pure function, as the
        reference is), so a relay transforms in other threads while its sending thread waits on
        Amplitude."""
        connector = self.connector
        transformer, profile = connector.config.transformer, connector.config.profile
        classify = connector.classify_device
        return [
            Prepared(*identity(event), classify(event), transformer(event, profile))
            for event in events
        ]

    def accept(
        self,
        row: int,
        events: list[dict[str, Any]],
        wall: float,
        *,
        accepted_at: float | None = None,
    ) -> None:
        """Produce the events of stored row ``row`` (transformed, batched or skipped);
        ``accepted_at``: when the relay accepted the row (default: now), the instant its events
        count as produced."""
        self.accept_prepared(row, self.prepare(events), wall, accepted_at=accepted_at)

    def accept_prepared(
        self,
        row: int,
        prepared: list[Prepared],
        wall: float,
        *,
        accepted_at: float | None = None,
    ) -> None:
        """``accept`` for events ``prepare`` has already transformed (in another thread)."""
        now = self._now(wall)
        produced = now if accepted_at is None else min(accepted_at, now)
        self.tally.open_row(row)
        offer = self.connector.offer_result
        for event_id, device, device_class, result in prepared:
            offer(event_id, device, device_class, result, now, produced_at=produced)
        self.tally.close_row()
        self.accepted += len(prepared)
        self.rows += 1

    def due(self) -> float:
        """When ``step`` next has something to do (infinity: only new rows can wake it)."""
        return self.connector.due()

    def step(self, wall: float) -> None:
        """Do what is due: release holds, close an aged batch, send at most one request."""
        self.connector.step(self._now(wall), max_requests=1)

    def finished_rows(self) -> list[int]:
        """Rows all of whose events are settled (delivered, dropped or skipped) since last asked:
        the shell may now forget them."""
        return self.tally.collect_finished()

    def stats(self) -> dict[str, Any]:
        """The figures of ``GET /stats``."""
        tally = self.tally
        return {
            "produced": self.accepted,
            "queued": tally.in_flight(),
            "delivered": tally.fates["delivered"],
            "dropped": sum(tally.dropped.values()),
            "dropped_by_reason": dict(tally.dropped),
            "skipped": sum(tally.skipped.values()),
            "skipped_by_reason": dict(tally.skipped),
            "requests": tally.sent,
            "requests_by_status": {str(k): v for k, v in sorted(tally.statuses.items())},
            "rows_in_flight": len(tally.pending),
        }
