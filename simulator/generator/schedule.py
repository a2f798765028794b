"""Background journeys, scheduled in blocks with numpy and released in time order.

Why numpy: a journey's draws (its arrival, which journey and user, whether each step happens,
its delay, how often it repeats) cost more in Python, one ``random()`` and one statement at a
time, than building the events they feed. Drawn for a block of journeys at once, they cost a
fraction of that. Python then runs once per event only to build its record.

Randomness: the numpy ``Generator`` is seeded from the stream's ``random.Random`` (64 bits drawn
from it), so the stream stays a function of the one seed passed in (STYLE.md §5). Campaign
picks, dispatch ids and session ids come from the provider, as for one-off events.

The arrival process is Poisson with a rate that adapts, block by block, so that the events
still to come fill the time still left. Every journey starts at its arrival and never schedules
an event before it, so once the block after it has been drawn, every pending event earlier than
the last arrival is final: those are released, sorted by time (ties keep the order in which
their journeys arrived and their steps happen), and the rest wait for the next block.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import call
from random import Random
from typing import Any

import numpy as np
import numpy.typing as npt

from simulator.generator.campaigns import SCHEDULED_DISPATCHES, Campaign
from simulator.generator.lines import LineBuilders, rendered_users
from simulator.generator.mixes import ANY_TYPE, CONVERSION, Journey
from simulator.generator.population import Context
from simulator.generator.provider import CurrentsProvider

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Objects = npt.NDArray[np.object_]
Flags = npt.NDArray[np.bool_]
# The builder of an event type (of a campaign's messages): the provider's record builders
# (``records``), or the line builders that write the same records as JSON text (``lines``).
MakeBuilder = Callable[[str, Campaign | None], Callable[..., Any]]

BLOCK = 16384  # journeys drawn at once: enough to spread numpy's per-call cost thin
_ORDINALS = 64  # tie-break slots per journey: events at one instant keep their step order
_CAMPAIGN_CONVERSION, _CANVAS_CONVERSION = "users.campaigns.Conversion", "users.canvas.Conversion"


@dataclass(frozen=True, slots=True)
class Users:
    """One identity class's users: their contexts (with ``lines``, as ``lines.Rendered``,
    for line builders) and cumulative activity weights."""

    contexts: Objects
    cumulative: Floats

    @classmethod
    def of(cls, contexts: Sequence[Context], weights: Sequence[float], *, lines: bool) -> Users:
        column = _objects(rendered_users(contexts) if lines else contexts)
        return cls(column, np.cumsum(np.asarray(weights, dtype=np.float64)))

    def pick(self, g: np.random.Generator, k: int) -> Objects:
        """``k`` users, each in proportion to its weight (heavy devices are more active)."""
        drawn = g.random(k) * self.cumulative[-1]
        index = np.searchsorted(self.cumulative, drawn, side="right")
        chosen: Objects = self.contexts[np.minimum(index, len(self.contexts) - 1)]
        return chosen


@dataclass(frozen=True, slots=True)
class Pick:
    """A journey and the class of users who take it: one of the background's draws."""

    journey: Journey
    users: Users


class _Events:
    """Scheduled events as columns: time, tie-break order, and what building each one needs."""

    __slots__ = ("builders", "contexts", "dispatch_ids", "extras", "order", "times")

    def __init__(
        self,
        times: Floats,
        order: Ints,
        builders: Objects,
        contexts: Objects,
        dispatch_ids: Objects,
        extras: Objects,
    ) -> None:
        self.times, self.order, self.builders = times, order, builders
        self.contexts, self.dispatch_ids, self.extras = contexts, dispatch_ids, extras

    @classmethod
    def join(cls, parts: Sequence[_Events]) -> _Events:
        if not parts:  # journeys whose first step may be skipped can leave a block empty
            nothing = np.empty(0, dtype=object)
            return cls(np.empty(0), np.empty(0, dtype=np.int64), nothing, nothing, nothing, nothing)
        return cls(*(np.concatenate([getattr(p, name) for p in parts]) for name in _COLUMNS))

    def __len__(self) -> int:
        return len(self.times)

    def sorted(self) -> _Events:
        """By time; events at the same instant in the order they were scheduled."""
        index = np.lexsort((self.order, self.times))
        return self.take(index)

    def take(self, index: Any) -> _Events:
        return _Events(*(getattr(self, name)[index] for name in _COLUMNS))

    def build(self, *, timed: bool) -> Iterator[Any]:
        """Each event's record (or line), built only when the consumer asks for it: ``map``
        calls each event's builder in C, with no Python frame between. ``timed``: as
        (whole second, record) pairs, for merging with other streams by time."""
        columns = (self.builders, self.times, self.contexts, self.dispatch_ids, self.extras)
        built = map(call, *(column.tolist() for column in columns))
        if not timed:
            return built
        return zip(self.times.astype(np.int64).tolist(), built, strict=True)


_COLUMNS = ("times", "order", "builders", "contexts", "dispatch_ids", "extras")


def _objects(values: Iterable[Any]) -> Objects:
    """An object array of ``values`` (``np.array`` would look inside tuples and dicts)."""
    listed = list(values)
    return np.fromiter(listed, dtype=object, count=len(listed))


def _constant(value: Any, k: int) -> Objects:
    """``k`` times ``value`` (``np.full`` costs more: it converts ``value`` for each slot)."""
    array = np.empty(k, dtype=object)  # object arrays start out as None
    if value is not None:
        array.fill(value)
    return array


class Scheduler:
    """Draws the background's journeys block by block and releases their events in order.

    ``lines``: events as flat JSON text (``lines.LineBuilders``, for users made ``Users.of``
    with ``lines``) instead of record dicts; the draws are the same, so the text is
    ``orjson.dumps`` of the records."""

    def __init__(
        self,
        provider: CurrentsProvider,
        rng: Random,
        picks: Sequence[tuple[Pick, float]],
        n: int,
        start: float,
        window: float,
        *,
        lines: bool = False,
    ) -> None:
        self.provider = provider
        records = provider.records
        self.make: MakeBuilder = LineBuilders(records).builder if lines else records.builder
        self.g = np.random.default_rng(rng.getrandbits(64))
        self.picks = [pick for pick, _ in picks]
        weights = [weight for _, weight in picks]
        self.cumulative = np.cumsum(weights)
        self.mean = sum(p.journey.mean_events() * w for p, w in picks) / sum(weights)
        self.n, self.start = n, start
        self.end = start + window - 1e-3  # the window is half-open; times are whole seconds
        self.least = window * 1e-6
        self._send_tables: dict[tuple[str, str | None], _Sends] = {}
        for pick in self.picks:
            if sum(s.repeat[1] for s in pick.journey.steps) >= _ORDINALS:
                raise ValueError("a journey has more possible events than tie-break slots")

    def batches(self, *, timed: bool = False) -> Iterator[Iterator[Any]]:
        """Exactly ``n`` events, a batch per block, in time order (see ``_Events.build``)."""
        g, n = self.g, self.n
        t, scheduled, emitted, arrived = self.start, 0, 0, 0
        pending: _Events | None = None
        while scheduled < n:
            k = min(BLOCK, max(1, math.ceil((n - scheduled) / self.mean)))
            gap = max(self.end - t, self.least) * self.mean / (n - scheduled)
            arrivals = np.minimum(t + np.cumsum(g.exponential(gap, k)), self.end)
            t = float(arrivals[-1])
            block = self._journeys(arrivals, arrived)
            arrived += k
            scheduled += sum(map(len, block))
            pending = _Events.join(block if pending is None else [pending, *block]).sorted()
            if scheduled < n:  # fewer than n are pending, so every final one is released
                final = int(np.searchsorted(pending.times, t, side="left"))
                emitted += final
                yield pending.take(slice(None, final)).build(timed=timed)
                pending = pending.take(slice(final, None))
        if pending is not None:
            yield pending.take(slice(None, n - emitted)).build(timed=timed)

    def _journeys(self, arrivals: Floats, first: int) -> list[_Events]:
        """The events of the journeys arriving at ``arrivals`` (numbered from ``first``), in
        parts (a step of a kind of journey each), joined once with what is pending."""
        g, k = self.g, len(arrivals)
        drawn = np.searchsorted(self.cumulative, g.random(k) * self.cumulative[-1], side="right")
        drawn = np.minimum(drawn, len(self.picks) - 1)
        parts: list[_Events] = []
        for index in np.unique(drawn).tolist():
            chosen = np.flatnonzero(drawn == index)
            pick = self.picks[index]
            users = pick.users.pick(g, len(chosen))
            parts += self._route(pick.journey, arrivals[chosen], chosen + first, users)
        return parts

    def _route(self, journey: Journey, t0: Floats, numbers: Ints, users: Objects) -> list[_Events]:
        """Every step of ``len(t0)`` journeys of one kind, a step at a time for all of them."""
        g, m, end, new_uuid = self.g, len(t0), self.end, self.provider.ids.uuid
        sent = self._messages(journey, m)
        sessions = [new_uuid() for _ in range(m)] if journey.session else None
        extras = (
            _constant(None, m)
            if sessions is None
            else _objects([{"session_id": s} for s in sessions])
        )
        cur, alive, began = t0.copy(), np.ones(m, dtype=bool), np.full(m, np.nan)
        parts: list[_Events] = []
        ordinal = 0
        last = journey.steps[-1]
        for step in journey.steps:
            taken = alive if step.p >= 1.0 else alive & (g.random(m) < step.p)
            if not step.optional:
                alive = taken
            low, high = step.repeat
            counts = g.integers(low, high + 1, m) if high > low else None
            for repeat in range(high):
                happens = taken if counts is None or repeat < low else taken & (counts > repeat)
                moved = np.minimum(cur + g.exponential(step.delay, m), end) if step.delay else cur
                if step.early:
                    early = g.random(m) < step.early
                    at = np.where(early, t0 + g.random(m) * (cur - t0), moved)
                    cur = np.where(happens & ~early, moved, cur)
                else:
                    at = moved
                    cur = np.where(happens, moved, cur)
                began = np.where(np.isnan(began) & happens, at, began)
                index = np.flatnonzero(happens)
                ordinal += 1
                if not len(index):
                    continue
                step_extras = extras[index]
                if sessions is not None and step is last:
                    step_extras = _closing_extras(sessions, index, at[index] - began[index])
                parts.append(
                    _Events(
                        at[index],
                        numbers[index] * _ORDINALS + ordinal,
                        sent.builders(step.event_type, index),
                        users[index],
                        sent.dispatch_ids[index],
                        step_extras,
                    )
                )
        return parts

    def _messages(self, journey: Journey, m: int) -> _Sent:
        """The message each of ``m`` journeys is about (none for behaviour journeys)."""
        if journey.steps[0].event_type == ANY_TYPE:
            return self._any_type_messages(journey, m)
        if journey.channel is None:
            return _Sent(self.make, _constant(None, m))
        sends = self._sends(journey.channel, journey.kind)
        chosen = self.g.integers(0, len(sends.campaigns), m)
        dispatch_ids = sends.dispatch_ids[chosen, self.g.integers(0, SCHEDULED_DISPATCHES, m)]
        triggered = np.flatnonzero(sends.triggered[chosen])
        dispatch_ids[triggered] = _objects(self.provider.braze_user_ids(len(triggered)))
        return _Sent(self.make, dispatch_ids, sends=sends, chosen=chosen)

    def _sends(self, channel: str, kind: str | None) -> _Sends:
        """The campaigns (and Canvas steps) on ``channel``, as columns (built once)."""
        key = (channel, kind)
        if key not in self._send_tables:
            campaigns = self.provider.campaigns.of_kind(channel, kind)
            self._send_tables[key] = _Sends.of(self.make, campaigns)
        return self._send_tables[key]

    def _any_type_messages(self, journey: Journey, m: int) -> _Sent:
        """The ``all`` mix: any catalogue type, its message on the type's own channel."""
        provider = self.provider
        types = [provider.currents_event_type() for _ in range(m)]
        messages = [
            provider.campaigns.message(_channel_of(t) or journey.channel or "push", journey.kind)
            for t in types
        ]
        builders = [self.make(t, c) for t, (c, _) in zip(types, messages, strict=True)]
        return _Sent(self.make, _objects(d for _, d in messages), own=_objects(builders))


def _closing_extras(sessions: list[str], index: Ints, durations: Floats) -> Objects:
    """A session's last event carries its duration (seconds, to the millisecond)."""
    return _objects(
        {"session_id": sessions[i], "duration": round(d, 3)}
        for i, d in zip(index.tolist(), durations.tolist(), strict=True)
    )


@dataclass(frozen=True, slots=True)
class _Sends:
    """Campaigns as columns, so a block's messages are picked with a few array lookups."""

    make: MakeBuilder
    campaigns: tuple[Campaign, ...]
    triggered: Flags  # a new dispatch id per message, instead of one of the send's
    dispatch_ids: Objects  # campaigns x scheduled sends (None for triggered campaigns)
    tables: dict[str, Objects]  # per event type, each campaign's builder for its messages

    @classmethod
    def of(cls, make: MakeBuilder, campaigns: Sequence[Campaign]) -> _Sends:
        dispatch_ids = np.full((len(campaigns), SCHEDULED_DISPATCHES), None, dtype=object)
        for row, campaign in enumerate(campaigns):
            if not campaign.triggered:
                dispatch_ids[row] = campaign.dispatch_ids
        triggered = np.array([c.triggered for c in campaigns], dtype=bool)
        return cls(make, tuple(campaigns), triggered, dispatch_ids, {})

    def builders(self, event_type: str) -> Objects:
        """Each campaign's builder of ``event_type`` (``CONVERSION``: its own conversion)."""
        table = self.tables.get(event_type)
        if table is None:
            build = self.make
            table = self.tables[event_type] = _objects(
                build(_conversion(c) if event_type == CONVERSION else event_type, c)
                for c in self.campaigns
            )
        return table


class _Sent:
    """The messages of one block's journeys of one kind: each one's campaign, dispatch id."""

    __slots__ = ("chosen", "dispatch_ids", "make", "own", "sends")

    def __init__(
        self,
        make: MakeBuilder,
        dispatch_ids: Objects,
        *,
        sends: _Sends | None = None,
        chosen: Ints | None = None,
        own: Objects | None = None,
    ) -> None:
        self.make, self.dispatch_ids = make, dispatch_ids
        self.sends, self.chosen, self.own = sends, chosen, own

    def builders(self, event_type: str, index: Ints) -> Objects:
        """The builder of each event of step ``event_type`` for the journeys at ``index``."""
        if self.own is not None:  # ANY_TYPE journeys: a type and campaign each
            return self.own[index]
        if self.sends is not None and self.chosen is not None:
            return self.sends.builders(event_type)[self.chosen[index]]
        kind = _CANVAS_CONVERSION if event_type == CONVERSION else event_type
        return _constant(self.make(kind, None), len(index))


def _conversion(campaign: Campaign) -> str:
    return _CAMPAIGN_CONVERSION if campaign.kind == "campaign" else _CANVAS_CONVERSION


def _channel_of(event_type: str) -> str | None:
    """``users.messages.sms.Send`` -> ``sms``; None for behaviours and storage types."""
    parts = event_type.split(".")
    return parts[2] if parts[:2] == ["users", "messages"] else None
