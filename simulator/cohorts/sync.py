"""The cohort-sync model: Amplitude cohort -> Braze partner cohort import, deltas only.

Facts (BRAZE_CURRENTS.md §5): scheduled syncs send only the users who entered or left since the
last sync ([AFC-a..b], [COH]); at most 1,000 ids per request ([COH]); every id sent costs a data
point ([AMP-CI]); the cohort is named with ``POST .../cohorts`` on first export and whenever its
name changes ([COH]); identifiers map primary ``user_id`` -> Braze ``user_ids`` (external id),
secondary ``device_id`` -> ``device_ids`` ([AMP-CI] primary/secondary mappings).

The model is pure: it talks to Amplitude through a ``CohortSource`` and to Braze through a
``CohortTarget`` (``simulator.cohorts.inprocess`` over the models, ``clients.cohorts`` over
HTTP) and reads time from an injected clock.

Delta bookkeeping: ``acknowledged`` is the set of identities Braze has accepted as members (per
the last successful request of each). A run computes ``adds = current - acknowledged`` and
``removes = acknowledged - current`` and sends them in chunks of at most 1,000 ids, removals
first; each accepted chunk updates ``acknowledged`` at once, so a run that fails part-way loses
nothing and the next run re-sends exactly the unacknowledged rest. A run with no change sends
nothing (not even a name call: the name is sent on the first run and again only when it
changed).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from simulator.braze.validation import MAX_IDS
from simulator.clock import Clock
from simulator.cohorts.schedule import Schedule

USER_IDS = "user_ids"
DEVICE_IDS = "device_ids"
Identity = tuple[str, str]  # (USER_IDS | DEVICE_IDS, id)


def identity(user_id: str | None, device_id: str | None) -> Identity | None:
    """How a cohort member is named to Braze: by user id, else by device id, else not at all."""
    if user_id:
        return (USER_IDS, user_id)
    if device_id:
        return (DEVICE_IDS, device_id)
    return None


@dataclass(frozen=True)
class Snapshot:
    """A cohort as Amplitude has it now."""

    cohort_id: str
    name: str
    created_at: float  # seconds since the epoch
    members: frozenset[Identity]


class SourceError(Exception):
    """Amplitude could not deliver the cohort (auth, unknown cohort, download failed)."""


@dataclass(frozen=True)
class Outcome:
    """Braze's verdict on one request, with its reason."""

    ok: bool
    status: int
    reason: str = ""


class CohortSource(Protocol):
    def snapshot(self, cohort_id: str) -> Snapshot: ...


class CohortTarget(Protocol):
    def name_cohort(self, cohort_id: str, name: str, created_at: str) -> Outcome: ...

    def change_users(self, cohort_id: str, changes: list[dict[str, Any]]) -> Outcome: ...


@dataclass
class Run:
    """One sync run: when, whether it succeeded (with the reason if not), what it sent."""

    at: float
    ok: bool = True
    reason: str = ""
    added: int = 0
    removed: int = 0
    requests: int = 0
    data_points: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": _iso(self.at),
            "ok": self.ok,
            "reason": self.reason,
            "added": self.added,
            "removed": self.removed,
            "requests": self.requests,
            "data_points": self.data_points,
        }


@dataclass
class CohortSync:
    """One cohort synced to one Braze workspace on a schedule."""

    source: CohortSource
    target: CohortTarget
    clock: Clock
    cohort_id: str
    schedule: Schedule
    start: float | None = None
    acknowledged: set[Identity] = field(default_factory=set)
    named_as: str | None = None
    runs: list[Run] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.start is None:
            self.start = self.clock.now()

    def next_due(self) -> float | None:
        last = self.runs[-1] if self.runs else None
        assert self.start is not None
        return self.schedule.next_run(
            self.start, last.at if last else None, last.ok if last else None
        )

    def step(self) -> list[Run]:
        """Carry out every run due by the clock's now (at most one per due time)."""
        done = []
        now = self.clock.now()
        due = self.next_due()
        while due is not None and due <= now:
            done.append(self._run(due))
            due = self.next_due()
        return done

    def run_now(self) -> Run:
        """An on-demand run at the clock's now, whatever the schedule says."""
        return self._run(self.clock.now())

    def _run(self, at: float) -> Run:
        run = Run(at)
        self.runs.append(run)
        try:
            snap = self.source.snapshot(self.cohort_id)
        except SourceError as exc:
            return _fail(run, f"amplitude: {exc}")
        removes = sorted(self.acknowledged - snap.members)
        adds = sorted(snap.members - self.acknowledged)
        if self.named_as != snap.name:
            outcome = self.target.name_cohort(self.cohort_id, snap.name, _iso(snap.created_at))
            run.requests += 1
            if not outcome.ok:
                return _fail(run, f"braze {outcome.status}: {outcome.reason}")
            self.named_as = snap.name
        for remove, chunk in _chunks(removes, adds):
            outcome = self.target.change_users(self.cohort_id, changes(chunk, remove=remove))
            run.requests += 1
            if not outcome.ok:
                return _fail(run, f"braze {outcome.status}: {outcome.reason}")
            run.data_points += len(chunk)
            if remove:
                self.acknowledged.difference_update(chunk)
                run.removed += len(chunk)
            else:
                self.acknowledged.update(chunk)
                run.added += len(chunk)
        return run

    def report(self) -> dict[str, Any]:
        """Totals over every run."""
        return {
            "cohort_id": self.cohort_id,
            "schedule": self.schedule.name,
            "runs": len(self.runs),
            "runs_failed": sum(not r.ok for r in self.runs),
            "ids_added": sum(r.added for r in self.runs),
            "ids_removed": sum(r.removed for r in self.runs),
            "data_points": sum(r.data_points for r in self.runs),
            "requests": sum(r.requests for r in self.runs),
            "acknowledged": len(self.acknowledged),
        }


def _fail(run: Run, reason: str) -> Run:
    run.ok, run.reason = False, reason
    return run


def _chunks(removes: list[Identity], adds: list[Identity]) -> Iterator[tuple[bool, list[Identity]]]:
    for remove, ids in ((True, removes), (False, adds)):
        for i in range(0, len(ids), MAX_IDS):
            yield remove, ids[i : i + MAX_IDS]


def changes(ids: Iterable[Identity], *, remove: bool) -> list[dict[str, Any]]:
    """One ``cohort_changes`` entry holding ``ids`` (user ids and device ids)."""
    change: dict[str, Any] = {}
    for kind, value in ids:
        change.setdefault(kind, []).append(value)
    if remove:
        change["should_remove"] = True
    return [change]


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")
