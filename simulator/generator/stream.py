"""A time-ordered stream of Currents events from a population of users and devices.

``event_stream(provider, n, start=..., mix=...)`` yields exactly ``n`` flat events sorted by
time, lazily (constant memory: only the events of journeys still in progress are held). The
window starts at an injected instant and lasts ``duration`` seconds (the mix's default when
None); nothing reads a clock.

- **Journeys** (``JOURNEYS``) are chains of steps: each step happens with its probability
  (a skipped step ends the journey unless it is optional), after an exponential delay, so a
  session starts before it ends, an e-mail is delivered after it is sent, conversions follow
  messages, and a push Open follows its Send except for a small ``early`` share (Braze notes
  that opens can be recorded before their send, BRAZE_CURRENTS.md §4.1).
- **Mixes** (``MIXES``) are data: journey weights, the share of users on heavy devices, hot
  devices, and a default window. Background journeys arrive as a Poisson process whose rate
  adapts so that the background events fill the window.
- **Identity**: users are identified (``external_user_id`` + device), anonymous (device only)
  or have neither id (e-mail/SMS-only users, whose events the transformer skips), in the
  requested shares of the population (exact allocation) and of the background journeys.
- **Device classes** are recoverable from ``device_id`` with ``simulator.generator.device_class``:
  ``normal`` devices have bare UUIDs (well under 1 event/s); ``heavy-<UUID>`` devices are about
  ten times as active; ``misconfigured-<UUID>`` bursts above 30 events/s (Amplitude's 30-second
  average limit); ``quota-<UUID>`` sends steadily enough to pass 500,000 events in 24 hours.
  Hot devices belong to identified users; their events count towards ``n`` (``share`` of it).
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import accumulate, chain, islice, starmap
from math import log
from operator import itemgetter
from random import Random
from typing import Any

from simulator.generator.provider import Context, CurrentsProvider, Identity, Message

IDENTITIES: tuple[Identity, ...] = ("identified", "anonymous", "neither")
DEFAULT_IDENTITY: dict[Identity, float] = {"identified": 0.8, "anonymous": 0.15, "neither": 0.05}
CONVERSION = "conversion"  # resolved per message: campaign or Canvas conversion
ANY_TYPE = "*"  # any catalogue type (the "all" mix), its message on the type's channel
HOUR = 3600.0


@dataclass(frozen=True, slots=True)
class Step:
    """One event of a journey, ``delay`` seconds (mean, exponential) after the previous one."""

    event_type: str
    p: float = 1.0
    delay: float = 0.0
    optional: bool = False  # skipped without ending the journey
    repeat: tuple[int, int] = (1, 1)
    early: float = 0.0  # share stamped between the journey start and the previous event


@dataclass(frozen=True, slots=True)
class Journey:
    steps: tuple[Step, ...]
    channel: str | None = None  # the message channel, None for behaviour-only journeys
    kind: str | None = None  # "campaign" / "canvas" / None (either)
    device: bool = True  # needs an app device (so users with neither id never take it)
    session: bool = False  # steps share a session_id; the last one carries the duration

    def mean_events(self) -> float:
        reach, total = 1.0, 0.0
        for step in self.steps:
            taken = reach * step.p
            total += taken * (step.repeat[0] + step.repeat[1]) / 2
            if not step.optional:
                reach = taken
        return total


@dataclass(frozen=True, slots=True)
class HotDevice:
    """A device that gets ``share`` of all events: steady, or in bursts of ``rate`` ev/s."""

    device_class: str
    share: float  # of all n events
    burst_seconds: float | None = None  # None: evenly spread over the whole window
    rate: float = 0.0  # events per second within a burst
    event_names: tuple[str, ...] = ("app_foreground", "heartbeat", "screen_view")


@dataclass(frozen=True, slots=True)
class Mix:
    journeys: Mapping[str, float]
    heavy_share: float = 0.05  # share of device users on heavy devices
    heavy_weight: float = 10.0  # how much more often a heavy device starts a journey
    hot: tuple[HotDevice, ...] = ()
    duration: float = HOUR
    description: str = ""


_B = "users.behaviors."
_M = "users.messages."
JOURNEYS: dict[str, Journey] = {
    "session": Journey(
        (
            Step(_B + "app.SessionStart"),
            Step(_B + "CustomEvent", p=0.85, delay=25, optional=True, repeat=(1, 5)),
            Step(_B + "Purchase", p=0.08, delay=40, optional=True),
            Step(_B + "app.SessionEnd", delay=60),
        ),
        session=True,
    ),
    "first_session": Journey(
        (
            Step(_B + "InstallAttribution"),
            Step(_B + "app.FirstSession", delay=2),
            Step(_B + "app.SessionStart"),
            Step(_B + "CustomEvent", p=0.9, delay=20, optional=True, repeat=(1, 3)),
            Step(_B + "app.SessionEnd", delay=90),
        ),
        session=True,
    ),
    "location": Journey((Step(_B + "Location"),)),
    "subscription": Journey(
        (Step(_B + "subscriptiongroup.StateChange"),), channel="email", device=False
    ),
    "push": Journey(
        (
            Step(_M + "pushnotification.Send", delay=20),
            Step(_M + "pushnotification.Open", p=0.25, delay=600, early=0.04),
            Step(CONVERSION, p=0.3, delay=1200),
        ),
        channel="push",
    ),
    "push_bounce": Journey(
        (Step(_M + "pushnotification.Send"), Step(_M + "pushnotification.Bounce", delay=5)),
        channel="push",
    ),
    "email": Journey(
        (
            Step(_M + "email.Send"),
            Step(_M + "email.Delivery", p=0.97, delay=8),
            Step(_M + "email.Open", p=0.4, delay=1800),
            Step(_M + "email.Click", p=0.3, delay=60),
            Step(CONVERSION, p=0.25, delay=900),
        ),
        channel="email",
        device=False,
    ),
    "email_bounce": Journey(
        (Step(_M + "email.Send"), Step(_M + "email.Bounce", delay=10)),
        channel="email",
        device=False,
    ),
    "sms": Journey(
        (
            Step(_M + "sms.Send"),
            Step(_M + "sms.CarrierSend", delay=2),
            Step(_M + "sms.Delivery", p=0.96, delay=6),
            Step(_M + "sms.ShortLinkClick", p=0.1, delay=300),
        ),
        channel="sms",
        device=False,
    ),
    "inapp": Journey(
        (
            Step(_M + "inappmessage.Impression"),
            Step(_M + "inappmessage.Click", p=0.2, delay=8),
            Step(CONVERSION, p=0.2, delay=300),
        ),
        channel="inapp",
    ),
    "contentcard": Journey(
        (
            Step(_M + "contentcard.Send"),
            Step(_M + "contentcard.Impression", p=0.6, delay=1800),
            Step(_M + "contentcard.Click", p=0.2, delay=10),
        ),
        channel="contentcard",
    ),
    "canvas": Journey(
        (
            Step("users.canvas.Entry"),
            Step(_M + "pushnotification.Send", delay=60),
            Step(_M + "pushnotification.Open", p=0.3, delay=600),
            Step(CONVERSION, p=0.3, delay=900),
        ),
        channel="push",
        kind="canvas",
    ),
    "webhook": Journey((Step(_M + "webhook.Send"),), channel="webhook", device=False),
    "catalogue": Journey((Step(ANY_TYPE),), channel="push", device=False),  # any type, once
}

_DEFAULT_JOURNEYS = {
    "session": 0.34,
    "first_session": 0.02,
    "push": 0.2,
    "email": 0.14,
    "sms": 0.06,
    "inapp": 0.06,
    "contentcard": 0.04,
    "canvas": 0.06,
    "location": 0.03,
    "subscription": 0.02,
    "push_bounce": 0.01,
    "email_bounce": 0.01,
    "webhook": 0.01,
}

MIXES: dict[str, Mix] = {
    "default": Mix(_DEFAULT_JOURNEYS, description="a typical app: sessions, messages, journeys"),
    "messaging": Mix(
        {
            "push": 0.3,
            "email": 0.3,
            "sms": 0.12,
            "canvas": 0.12,
            "inapp": 0.06,
            "contentcard": 0.05,
            "push_bounce": 0.02,
            "email_bounce": 0.02,
            "webhook": 0.01,
        },
        description="message engagement only",
    ),
    "behaviors": Mix(
        {"session": 0.85, "first_session": 0.05, "location": 0.07, "email": 0.03},
        description="sessions, custom events and purchases",
    ),
    "all": Mix({"catalogue": 1.0}, description="every catalogue type, uniformly, one-off"),
    "misconfigured": Mix(
        _DEFAULT_JOURNEYS,
        hot=(HotDevice("misconfigured", share=0.25, burst_seconds=60.0, rate=45.0),),
        description="default + one device bursting at 45 ev/s (needs n >= 4000)",
    ),
    "quota": Mix(
        _DEFAULT_JOURNEYS,
        hot=(HotDevice("quota", share=0.96),),  # 504,000 of 525,000 events over 24 h
        duration=24 * HOUR,
        description="default + one device with >= 500,000 events/24 h (needs n >= 521000)",
    ),
}


def event_stream(
    provider: CurrentsProvider,
    n: int,
    *,
    start: float,
    duration: float | None = None,
    mix: str | Mix = "default",
    identity: Mapping[Identity, float] | None = None,
    rng: Random | None = None,
) -> Iterator[dict[str, Any]]:
    """Exactly ``n`` flat events in time order over ``[start, start + duration)``.

    Hot devices' events are merged in by their ``time`` (whole seconds): within a second, the
    background's events come first.
    """
    spec = MIXES[mix] if isinstance(mix, str) else mix
    window = spec.duration if duration is None else duration
    if n < 0 or window <= 0:
        raise ValueError("n must be >= 0 and the duration > 0")
    shares = _shares(identity or DEFAULT_IDENTITY)
    rng = rng or provider._r()
    hot_counts = [round(h.share * n) for h in spec.hot]
    background = n - sum(hot_counts)
    # Batches of events, flattened by ``chain`` (in C): no Python frame is resumed per event.
    events: Iterator[dict[str, Any]] = chain.from_iterable(
        _background(provider, rng, spec, shares, background, start, window)
    )
    if spec.hot:
        hot = [
            _hot(provider, rng, h, k, start, window)
            for h, k in zip(spec.hot, hot_counts, strict=True)
        ]
        events = heapq.merge(events, *hot, key=_TIME)
    return events


_TIME = itemgetter("time")


def _shares(identity: Mapping[Identity, float]) -> dict[Identity, float]:
    unknown = set(identity) - set(IDENTITIES)
    if unknown or any(v < 0 for v in identity.values()) or sum(identity.values()) <= 0:
        raise ValueError(f"identity shares must be >= 0 over {IDENTITIES}, got {dict(identity)}")
    total = sum(identity.values())
    return {k: identity.get(k, 0.0) / total for k in IDENTITIES}


# Per identity class: its users (base contexts), their cumulative activity weights, the total
# weight and the last index (the arguments of one weighted pick by bisect).
_Population = dict[Identity, tuple[list[Context], list[float], float, int]]


def _population(
    provider: CurrentsProvider, rng: Random, spec: Mix, shares: dict[Identity, float], n: int
) -> _Population:
    # One user per 25 background events, 40 to 5,000 users (bounded memory): at 1h and up to
    # ~10M events a normal device stays under 0.5 event/s; beyond that, lengthen the window.
    size = max(40, min(5000, n // 25))
    population: _Population = {}
    for identity in IDENTITIES:
        k = max(1, round(shares[identity] * size)) if shares[identity] > 0 else 0
        heavy = round(k * spec.heavy_share) if identity != "neither" else 0
        users, w = [], []
        for i in range(k):
            device_class = "heavy" if i < heavy else "normal"
            device = provider.currents_device(device_class) if identity != "neither" else {}
            users.append(
                provider.currents_context(provider.currents_user(identity), device, message={})
            )
            w.append(spec.heavy_weight if i < heavy else 1.0)
        cum = list(accumulate(w))
        population[identity] = users, cum, cum[-1] if cum else 0.0, len(cum) - 1
    return population


def _background(
    provider: CurrentsProvider,
    rng: Random,
    spec: Mix,
    shares: dict[Identity, float],
    n: int,
    start: float,
    window: float,
) -> Iterator[list[dict[str, Any]]]:
    """The background journeys' events, in batches: every event due when the clock moves on."""
    if n <= 0:
        return
    population = _population(provider, rng, spec, shares, n)
    picks, picks_cum = _journey_picks(spec, shares)
    # Each pick with its class's users and their cumulative weights, ready for one bisect.
    draws = [(route, *population[identity]) for identity, route in picks]
    last_pick, total = len(picks_cum) - 1, picks_cum[-1]
    mean = sum(JOURNEYS[j].mean_events() * w for j, w in spec.journeys.items()) / sum(
        spec.journeys.values()
    )
    end = start + window - 1e-3  # the window is half-open; times are whole seconds
    least = window * 1e-6
    pending = _Pending()
    t, scheduled = start, 0
    rand, make = rng.random, provider._flat_event
    while scheduled < n:
        remaining = end - t if end - t > least else least
        t -= log(1.0 - rand()) * remaining * mean / (n - scheduled)
        if t > end:
            t = end
        if t >= pending.next_due:  # fewer than n are pending here, so all of them are emitted
            yield list(starmap(make, pending.due(t)))
        route, users, cum, users_total, last_user = draws[
            bisect(picks_cum, rand() * total, 0, last_pick)
        ]
        user = users[bisect(cum, rand() * users_total, 0, last_user)]
        scheduled += pending.add(_schedule(provider, rng, route, user, t, end))
    left = n - pending.emitted  # the last journeys may have scheduled more than n
    yield list(starmap(make, pending.due(math.inf)[:left]))


# The arguments of ``CurrentsProvider._flat_event``: event type, at, user context, message,
# journey extras (session_id, duration).
_Item = tuple[str, float, Context, Message | None, Context | None]


class _Pending:
    """Scheduled events, emitted in time order: cheaper than a heap of every event.

    Each event goes in the bucket of its whole second; a bucket is sorted only when it is due,
    by time, stably (events at the same instant keep the order they were scheduled in). A small
    heap holds the seconds that have a bucket. A second is complete, hence due, once the
    scheduler's clock has passed it: journeys never schedule an event before their start.
    """

    __slots__ = ("buckets", "emitted", "next_due", "seconds")

    def __init__(self) -> None:
        self.buckets: dict[int, list[_Item]] = {}
        self.seconds: list[int] = []  # heap of the keys of ``buckets``
        self.next_due = math.inf  # the clock time at which the earliest bucket is complete
        self.emitted = 0

    def add(self, items: list[_Item]) -> int:
        """Schedule ``items`` (one journey's events); return how many."""
        buckets, seconds = self.buckets, self.seconds
        for item in items:
            second = int(item[1])
            bucket = buckets.get(second)
            if bucket is None:
                bucket = buckets[second] = []
                heapq.heappush(seconds, second)
                self.next_due = seconds[0] + 1
            bucket.append(item)
        return len(items)

    def due(self, t: float) -> list[_Item]:
        """The events of every second that ends by ``t``, in time order."""
        seconds, buckets = self.seconds, self.buckets
        events: list[_Item] = []
        while seconds and seconds[0] + 1 <= t:
            bucket = buckets.pop(heapq.heappop(seconds))
            bucket.sort(key=_AT)
            events += bucket
        self.emitted += len(events)
        self.next_due = seconds[0] + 1 if seconds else math.inf
        return events


_AT = itemgetter(1)


def _journey_picks(
    spec: Mix, shares: dict[Identity, float]
) -> tuple[list[tuple[Identity, _Route]], list[float]]:
    """(identity class, journey) pairs with cumulative weights, so one draw picks both: the
    class in its share, then a journey it may take (no app journeys without a device)."""
    pairs: list[tuple[Identity, _Route]] = []
    weights: list[float] = []
    for identity in IDENTITIES:
        allowed = {
            j: w
            for j, w in spec.journeys.items()
            if identity != "neither" or not JOURNEYS[j].device
        } or {"email": 1.0}  # users with neither id only ever get e-mails/SMS
        total = sum(allowed.values())
        for name, weight in allowed.items():
            if shares[identity] * weight > 0:
                pairs.append((identity, _route(JOURNEYS[name])))
                weights.append(shares[identity] * weight / total)
    return pairs, list(accumulate(weights))


# A journey's steps as plain tuples, read by unpacking (cheaper than attributes per event):
# event type, p, delay, optional, fewest repeats, how many more are possible (0: fixed),
# early share, and whether it closes a session (its event carries the duration).
_Stage = tuple[str, float, float, bool, int, int, float, bool]
_Route = tuple[Journey, tuple[_Stage, ...]]


def _route(journey: Journey) -> _Route:
    last = journey.steps[-1]
    return journey, tuple(
        (
            s.event_type,
            s.p,
            s.delay,
            s.optional,
            s.repeat[0],
            s.repeat[1] - s.repeat[0] + 1 if s.repeat[1] > s.repeat[0] else 0,
            s.early,
            journey.session and s is last,
        )
        for s in journey.steps
    )


def _schedule(
    provider: CurrentsProvider, rng: Random, route: _Route, user: Context, t0: float, end: float
) -> list[_Item]:
    """One journey's events, in the order its steps happen."""
    journey, stages = route
    rand, channel, any_type = rng.random, journey.channel, None
    if stages[0][0] == ANY_TYPE:  # pick the type first: its channel follows
        any_type = provider.currents_event_type()
        channel = _channel_of(any_type) or channel
    message: Message | None = None
    conversion = "users.canvas.Conversion"  # what a CONVERSION step is: campaign or Canvas
    if channel is not None:
        message = provider._message(channel, journey.kind)
        if message[0].kind == "campaign":
            conversion = "users.campaigns.Conversion"
    session_id = provider._uuid() if journey.session else None
    extra: Context | None = None if session_id is None else {"session_id": session_id}
    cur, first = t0, None
    items: list[_Item] = []
    for event_type, p, delay, optional, low, more, early, closes in stages:
        if p < 1.0 and rand() >= p:
            if optional:
                continue
            break
        if any_type is not None:
            event_type = any_type
        elif event_type == CONVERSION:
            event_type = conversion
        count = low + int(rand() * more) if more else low
        while count:
            count -= 1
            if early and rand() < early:
                at = rng.uniform(t0, cur)  # recorded before the previous event
            else:
                if delay:  # exponential delay with mean ``delay``
                    cur -= log(1.0 - rand()) * delay
                    if cur > end:
                        cur = end
                at = cur
            if first is None:
                first = at
            if closes:
                extra = {"session_id": session_id, "duration": round(at - first, 3)}
            items.append((event_type, at, user, message, extra))
    return items


def _channel_of(event_type: str) -> str | None:
    """``users.messages.sms.Send`` -> ``sms``; None for behaviours and storage types."""
    parts = event_type.split(".")
    return parts[2] if parts[:2] == ["users", "messages"] else None


def _hot(
    provider: CurrentsProvider, rng: Random, hot: HotDevice, k: int, start: float, window: float
) -> Iterator[dict[str, Any]]:
    """``k`` custom events of one hot device, generated lazily in time order."""
    if k <= 0:
        return
    device = provider.currents_device(hot.device_class, platform="android")
    ctx = provider.currents_context(provider.currents_user("identified"), device, message={})
    for at in islice(_hot_times(hot, k, start, window), k):
        extra = {"name": hot.event_names[int(rng.random() * len(hot.event_names))]}
        yield provider.currents_event(
            "users.behaviors.CustomEvent", at=at, context=ctx, extra=extra
        )


def _hot_times(hot: HotDevice, k: int, start: float, window: float) -> Iterator[float]:
    """Evenly spaced times: over the whole window, or in evenly spread bursts at ``rate``."""
    if hot.burst_seconds is None:
        step = window / k
        return (start + (i + 0.5) * step for i in range(k))
    per_burst = max(1, int(hot.rate * hot.burst_seconds))
    bursts = math.ceil(k / per_burst)
    gap = window / bursts
    return (
        start + b * gap + (gap - min(per_burst, k - b * per_burst) / hot.rate) / 2 + i / hot.rate
        for b in range(bursts)
        for i in range(min(per_burst, k - b * per_burst))
    )
