"""Per-id sliding counts: the 30-second throttle window and the rolling 24-hour quota.

Rules (AMPLITUDE_API.md §4.1–§4.3, [BATCH] "EPDS ... averaged over 30 seconds", "Daily limit":
rolling 24 h in one-hour steps): for each ``device_id`` and ``user_id`` of a request, the events
already accepted in the window plus the request's own events for that id are counted; the id is
throttled when ``count / window_s > eps`` and over quota when the 24 h count exceeds the quota.
Any throttled or over-quota id rejects the whole request (429, nothing ingested); only events of
accepted requests are counted, so a client that waits one window always gets through.

Time is cut into buckets (1 s for the throttle window, 1 h for the quota) so that memory per id
is bounded and the window slides by whole buckets, exactly as a reference count over the same
buckets would (the stateful tests in ``tests/simulator/amplitude`` rely on that).

One table per id kind holds *both* windows of an id, and a request is decided and recorded in
two passes: ``decide`` reads each id once and computes its state with the request counted;
``record`` stores those states with one ``dict.update``. Tables hold ~100k ids under load, so
each access is a likely cache miss: this is 2 accesses per id instead of 8 with a table per
window (``bench_mock`` measures the ingest rate this serves).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter
from typing import Final, Literal

from simulator.amplitude.errors import Throttled
from simulator.amplitude.limits import Limits
from simulator.amplitude.validation import IdColumns, present_ids

# An id's state, a tuple of ints (compact, and untracked by the cyclic garbage collector, so a
# million ids do not slow every collection down):
#   (events in the throttle window, events in the quota window,
#    throttle history: a flat tuple (bucket, n, bucket, n, ...) of non-empty 1 s buckets, oldest
#    first; older quota history: the same for the hours before the current one,
#    current hour, its events, fast_until)
# ``fast_until`` is the first second at which the state needs more than an append (a throttle
# bucket leaves the window, or a new hour starts): before it, counting an event is one
# comparison and a new tuple (``_tally``'s inlined path); 0 means "look first".
State = tuple[int, int, tuple[int, ...], tuple[int, ...], int, int, int]
# Its field positions: plain indexes keep states plain tuples (a NamedTuple subclass would stay
# tracked by the garbage collector and cost a Python-level ``__new__`` per counted id).
RATE: Final = 0
QUOTA: Final = 1
HISTORY: Final = 2
OLDER: Final = 3
HOUR: Final = 4
HOUR_N: Final = 5
FAST_UNTIL: Final = 6


def _pruned(history: tuple[int, ...], total: int, oldest: int) -> tuple[tuple[int, ...], int]:
    """``history`` without its buckets ``<= oldest``, and ``total`` without their events."""
    i, size = 0, len(history)
    while i < size and history[i] <= oldest:
        total -= history[i + 1]
        i += 2
    return history[i:], total


def _added(history: tuple[int, ...], bucket: int, n: int) -> tuple[int, ...]:
    """``history`` with ``n`` more events in ``bucket`` (the newest bucket or a later one)."""
    if history and history[-2] == bucket:
        return (*history[:-1], history[-1] + n)
    return (*history, bucket, n)


class IdWindows:
    """Both windows of every id of one kind (``device`` or ``user``) of one API key."""

    def __init__(self, limits: Limits) -> None:
        self.rate_span = limits.window_s  # one-second buckets
        self.quota_bucket_s = limits.quota_bucket_s
        self.quota_span = max(1, limits.quota_window_s // limits.quota_bucket_s)
        self.ids: dict[str, State] = {}
        self._swept = 0

    def buckets(self, now: float) -> tuple[int, int]:
        """The current throttle and quota buckets."""
        return int(now // 1), int(now // self.quota_bucket_s)

    def fresh(self, n: int, rate_bucket: int, quota_bucket: int) -> State:
        """The state of an id first seen now with ``n`` events."""
        return self._state(n, n, (rate_bucket, n), (), quota_bucket, n)

    def _state(
        self, rate: int, quota: int, history: tuple[int, ...], older: tuple[int, ...],
        hour: int, hour_n: int,
    ) -> State:  # fmt: skip
        """A state with its ``fast_until`` (see ``State``)."""
        # An older hour leaves the quota window in a later hour, so the next hour bounds it.
        until = min(history[0] + self.rate_span, (hour + 1) * self.quota_bucket_s) if history else 0
        return rate, quota, history, older, hour, hour_n, until

    def current(self, state: State, rate_bucket: int, quota_bucket: int) -> State:
        """``state`` without the buckets that have left either window, its current hour now."""
        rate, quota, history, older, hour, hour_n, _ = state
        history, rate = _pruned(history, rate, rate_bucket - self.rate_span)
        if hour != quota_bucket:  # a new hour: the last one joins the older history
            older, hour, hour_n = (*older, hour, hour_n), quota_bucket, 0
        older, quota = _pruned(older, quota, quota_bucket - self.quota_span)
        return self._state(rate, quota, history, older, hour, hour_n)

    def counted(self, state: State | None, n: int, rate_bucket: int, quota_bucket: int) -> State:
        """``state`` with ``n`` more events now (nothing is stored). ``_tally`` inlines the two
        common cases (an unknown id; a state before its ``fast_until``); this is the general one."""
        if state is None:
            return self.fresh(n, rate_bucket, quota_bucket)
        rate, quota, history, older, hour, hour_n, _ = self.current(
            state, rate_bucket, quota_bucket
        )
        history = _added(history, rate_bucket, n)
        return self._state(rate + n, quota + n, history, older, hour, hour_n + n)

    def count(self, key: str, now: float) -> tuple[int, int]:
        """Events of ``key`` in the throttle window and in the quota window now."""
        state = self.ids.get(key)
        if state is None:
            return 0, 0
        current = self.current(state, *self.buckets(now))
        return current[RATE], current[QUOTA]

    def sweep(self, rate_bucket: int, quota_bucket: int) -> None:
        """Once per quota bucket (an hour): forget ids with both windows empty (bounded memory
        on long runs). An id's quota window empties only when a quota bucket leaves it, so
        sweeping more often forgets nothing sooner; it only cost time: in simulated time
        (``currents-sim simulate``) nearly every request starts a new throttle window, and a
        sweep per request over a day of ids was 60 % of a 72 h run. An id with events in an hour
        still inside the quota window cannot be empty: it is skipped, not pruned (rewriting a
        day of ids every hour was the next 20 %). Counts never depend on the sweep: every read
        prunes its own id first (``current``)."""
        if rate_bucket - self._swept < max(self.rate_span, self.quota_bucket_s):
            return
        self._swept = rate_bucket
        ids = self.ids
        in_window = quota_bucket - self.quota_span  # hours after this one are in the window
        for key, state in list(ids.items()):
            if state[HOUR_N] and state[HOUR] > in_window:
                continue  # events in an hour still in the quota window: kept as it is
            current = self.current(state, rate_bucket, quota_bucket)
            if not current[RATE] and not current[QUOTA]:
                del ids[key]
            elif current != state:
                ids[key] = current

    def clear(self) -> None:
        self.ids.clear()

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class Windows:
    """The throttle and quota counts of one API key: one table per id kind."""

    devices: IdWindows
    users: IdWindows

    @classmethod
    def create(cls, limits: Limits) -> Windows:
        return cls(IdWindows(limits), IdWindows(limits))

    def clear(self) -> None:
        self.devices.clear()
        self.users.clear()


Pending = tuple[dict[str, State], dict[str, State]]  # new states of the devices, of the users


def per_id(column: Iterable[str | None]) -> dict[str, int]:
    """How many events of a request each id of one kind has (ids absent from an event are
    None). Built in C: most requests have each id once, so ``dict.fromkeys`` answers."""
    present = present_ids(column)
    counts = dict.fromkeys(present, 1)
    if len(counts) < len(present):  # some id has several events
        return Counter(present)
    return counts


def _tally(
    table: IdWindows, per_key: dict[str, int], rate_bucket: int, quota_bucket: int
) -> dict[str, State]:
    """The state of each id of a request with the request's events counted (nothing stored)."""
    get, new, fresh = table.ids.get, {}, table.fresh(1, rate_bucket, quota_bucket)
    quiet_before = rate_bucket - table.rate_span  # buckets up to this one left the window
    until_quiet = min(rate_bucket + table.rate_span, (quota_bucket + 1) * table.quota_bucket_s)
    for key, n in per_key.items():
        state = get(key)
        if state is None:  # the common cases, inlined: an unknown id ...
            new[key] = fresh if n == 1 else table.fresh(n, rate_bucket, quota_bucket)
        elif rate_bucket < state[FAST_UNTIL]:  # ... and one before its fast_until (see State)
            rate, quota, history, older, hour, hour_n, until = state
            # Concatenation, not ``(*history, ...)``: it builds no intermediate list.
            if history[-2] == rate_bucket:
                history = history[:-1] + (history[-1] + n,)  # noqa: RUF005
            else:
                history = history + (rate_bucket, n)  # noqa: RUF005
            new[key] = (rate + n, quota + n, history, older, hour, hour_n + n, until)
        elif state[HOUR] == quota_bucket and (
            not state[HISTORY] or state[HISTORY][-2] <= quiet_before
        ):
            # ... and an id quiet for a whole throttle window within the same hour (in simulated
            # time the usual one): its window holds only these events; the quota part (pruned
            # when the hour began) is unchanged. ``counted`` gives the same state, slower.
            _, quota, _, older, hour, hour_n, _ = state
            new[key] = (n, quota + n, (rate_bucket, n), older, hour, hour_n + n, until_quiet)
        else:
            new[key] = table.counted(state, n, rate_bucket, quota_bucket)
    return new


def _over(states: dict[str, State], field: Literal[0, 1], cap: float) -> dict[str, int]:
    """The ids whose count ``field`` (``RATE`` or ``QUOTA``) is over ``cap``, with that count.
    The common answer (none) comes from one ``max`` in C."""
    if max(map(itemgetter(field), states.values()), default=0) <= cap:
        return {}
    return {key: state[field] for key, state in states.items() if state[field] > cap}


def decide(
    windows: Windows, ids: IdColumns, now: float, endpoint: str, limits: Limits
) -> tuple[Throttled | None, Pending]:
    """The 429 verdict for a request whose events have ``ids`` (None when it may pass), and the
    states to ``record`` if it is accepted."""
    eps = limits.eps_for(endpoint)
    quota_cap = math.inf if limits.daily_quota is None else limits.daily_quota
    buckets = windows.devices.buckets(now)
    pending = (
        _tally(windows.devices, per_id(ids[0]), *buckets),
        _tally(windows.users, per_id(ids[1]), *buckets),
    )
    rate = [_over(states, RATE, eps * limits.window_s) for states in pending]
    quota = [_over(states, QUOTA, quota_cap) for states in pending]
    if not any(rate) and not any(quota):
        return None, pending
    per_second = [{k: math.ceil(n / limits.window_s) for k, n in over.items()} for over in rate]
    verdict = Throttled(
        eps_threshold=eps,
        throttled_devices=per_second[0],
        throttled_users=per_second[1],
        exceeded_daily_quota_devices=quota[0],
        exceeded_daily_quota_users=quota[1],
    )
    hit_devices, hit_users = rate[0].keys() | quota[0].keys(), rate[1].keys() | quota[1].keys()
    verdict.throttled_events.extend(
        i for i, (d, u) in enumerate(zip(*ids, strict=True)) if d in hit_devices or u in hit_users
    )
    return verdict, pending


def record(windows: Windows, pending: Pending, now: float) -> None:
    """Store the states ``decide`` computed for an accepted request."""
    buckets = windows.devices.buckets(now)
    for table, states in ((windows.devices, pending[0]), (windows.users, pending[1])):
        table.ids.update(states)
        table.sweep(*buckets)
