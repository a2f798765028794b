"""Throttling (30 s sliding window per device and per user) and the rolling 24 h quota."""

from __future__ import annotations

from collections import deque

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from simulator.amplitude import AmplitudeModel, Limits, throttle
from simulator.clock import ManualClock
from tests.simulator.amplitude.conftest import make_event, upload


def test_device_over_30_eps_averaged_over_30_s_gets_the_full_429_body(model):
    assert upload(model, [make_event(i) for i in range(900)]).status == 200
    others = [make_event(1000 + i, device_id="device-9999", user_id="user-0001") for i in range(2)]
    result = upload(model, [*others, make_event(900)])
    assert result.status == 429
    assert result.body == {
        "code": 429,
        "error": "Too many requests for some devices and users",
        "eps_threshold": 30,
        "throttled_devices": {"device-0001": 31},
        "throttled_users": {},
        "throttled_events": [2],
        "exceeded_daily_quota_users": {},
        "exceeded_daily_quota_devices": {},
    }
    assert model.count(outcome="ingested") == 900
    assert model.count(outcome="throttled") == 3


def test_users_are_throttled_too(model):
    events = [make_event(i, device_id=f"device-{i:04d}", user_id="user-0001") for i in range(901)]
    result = upload(model, events)
    assert result.body["throttled_users"] == {"user-0001": 31}
    assert result.body["throttled_devices"] == {}
    assert result.body["throttled_events"] == list(range(901))


def test_window_slides_by_seconds(model, clock):
    upload(model, [make_event(i) for i in range(450)])
    clock.advance(15)
    upload(model, [make_event(450 + i) for i in range(450)])
    assert upload(model, [make_event(2000)]).status == 429
    clock.advance(15)
    assert upload(model, [make_event(2001)]).status == 200
    assert upload(model, [make_event(3000 + i) for i in range(450)]).status == 429


def test_after_a_429_waiting_30_s_lets_the_same_events_in_exactly_once(model, clock):
    upload(model, [make_event(i) for i in range(900)])
    retry = [make_event(900 + i) for i in range(100)]
    assert upload(model, retry).status == 429
    clock.advance(30)
    assert upload(model, retry).status == 200
    assert model.count(outcome="ingested") == 1000


def test_batch_endpoint_allows_1000_eps(model):
    payload = {"api_key": "key-0001", "events": [make_event(i) for i in range(2000)]}
    assert model.upload("batch", payload, size_bytes=10).status == 200
    again = {"api_key": "key-0001", "events": [make_event(5000 + i) for i in range(2000)]}
    assert model.upload("httpapi", again, size_bytes=10).status == 429


def test_daily_quota_rolls_over_24_hours_in_one_hour_buckets(clock):
    model = AmplitudeModel(clock, Limits(daily_quota=100, eps_httpapi=1000))
    clock.set((clock.now() // 3600 + 1) * 3600)  # the start of an hour
    assert upload(model, [make_event(i) for i in range(60)]).status == 200
    clock.advance(3600 * 12)
    assert upload(model, [make_event(100 + i) for i in range(40)]).status == 200
    result = upload(model, [make_event(200)], key="key-0001")
    assert result.status == 429
    assert result.body["exceeded_daily_quota_devices"] == {"device-0001": 101}
    assert result.body["throttled_events"] == [0]
    assert model.count(outcome="quota_exceeded") == 1
    clock.advance(3600 * 12 - 1)  # 23:59:59 after the first bucket: still counted
    assert upload(model, [make_event(201)]).status == 429
    clock.advance(1)  # the first hour has left the window
    assert upload(model, [make_event(202)]).status == 200


def test_quota_can_be_disabled(clock):
    model = AmplitudeModel(clock, Limits(daily_quota=None, eps_httpapi=10_000))
    for hour in range(3):
        clock.advance(3600)
        assert upload(model, [make_event(hour * 2000 + i) for i in range(2000)]).status == 200


def test_stats_list_currently_throttled_ids(model, clock):
    upload(model, [make_event(i, user_id="user-0001") for i in range(901)])
    assert model.stats()["throttled"] == {
        "key-0001": {"devices": ["device-0001"], "users": ["user-0001"]}
    }
    clock.advance(30)
    assert model.stats()["throttled"] == {}


class ThrottleAgainstReference(RuleBasedStateMachine):
    """Random sends and clock moves; the model must agree with a plain per-second count."""

    EPS, WINDOW, QUOTA = 2, 5, 25

    def __init__(self) -> None:
        super().__init__()
        self.clock = ManualClock(1_700_000_000.0)
        limits = Limits(eps_httpapi=self.EPS, window_s=self.WINDOW, daily_quota=self.QUOTA,
                        quota_bucket_s=60, quota_window_s=600)  # fmt: skip
        self.model = AmplitudeModel(self.clock, limits)
        self.accepted: dict[str, deque[float]] = {}  # device -> times of accepted events
        self.n = 0

    def _in(self, device: str, span: int, bucket: int) -> int:
        now_bucket = int(self.clock.now() // bucket)
        return sum(1 for t in self.accepted.get(device, ()) if now_bucket - int(t // bucket) < span)

    @rule(devices=st.lists(st.sampled_from(["dev-a1", "dev-b2", "dev-c3"]), min_size=1,
                           max_size=8))  # fmt: skip
    def send(self, devices: list[str]) -> None:
        events = [make_event(self.n + i, device_id=d) for i, d in enumerate(devices)]
        self.n += len(devices)
        wants = {d: devices.count(d) for d in set(devices)}
        over_rate = {
            d for d, k in wants.items() if self._in(d, self.WINDOW, 1) + k > self.EPS * self.WINDOW
        }
        over_quota = {d for d, k in wants.items() if self._in(d, 10, 60) + k > self.QUOTA}
        result = upload(self.model, events)
        if over_rate or over_quota:
            assert result.status == 429
            assert set(result.body["throttled_devices"]) == over_rate
            assert set(result.body["exceeded_daily_quota_devices"]) == over_quota
            hit = over_rate | over_quota
            assert result.body["throttled_events"] == [i for i, d in enumerate(devices) if d in hit]
        else:
            assert result.status == 200
            for d in devices:
                self.accepted.setdefault(d, deque()).append(self.clock.now())

    @rule(seconds=st.sampled_from([0.3, 1, 2, 5, 30, 120]))
    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)

    @precondition(lambda self: self.n > 0)
    @invariant()
    def ingested_matches_reference(self) -> None:
        assert self.model.count(outcome="ingested") == sum(len(q) for q in self.accepted.values())

    @invariant()
    def never_more_than_the_limit_in_any_window(self) -> None:
        for device in self.accepted:
            assert self._in(device, self.WINDOW, 1) <= self.EPS * self.WINDOW
            assert self._in(device, 10, 60) <= self.QUOTA


ThrottleAgainstReference.TestCase.settings = settings(
    max_examples=80, stateful_step_count=40, deadline=None
)
TestThrottleAgainstReference = ThrottleAgainstReference.TestCase


# -- the per-kind table (simulator.amplitude.throttle.IdWindows) ------------------------------
SMALL = Limits(eps_httpapi=2, window_s=5, daily_quota=40, quota_bucket_s=60, quota_window_s=600)


def _accept(
    windows: throttle.Windows, ids: list[tuple[str | None, str | None]], now: float
) -> bool:
    columns = ([d for d, _ in ids], [u for _, u in ids])
    verdict, pending = throttle.decide(windows, columns, now, "httpapi", SMALL)
    if verdict is None:
        throttle.record(windows, pending, now)
    return verdict is None


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([0, 0.4, 1, 3, 5, 59, 60, 61, 300, 599, 600, 1200]),
            st.lists(
                st.tuples(
                    st.sampled_from(["d-1", "d-2", None]), st.sampled_from(["u-1", "u-2", None])
                ),
                max_size=6,
            ),
        ),
        max_size=40,
    )
)
def test_both_windows_of_both_kinds_match_a_reference_count(steps):
    """Devices and users, throttle and quota, across seconds, hours and window edges: what the
    table counts is exactly the accepted events in the same buckets (and the verdict agrees)."""
    windows, now = throttle.Windows.create(SMALL), 1_700_000_000.0
    seen: list[tuple[float, str]] = []  # (time, id) of each accepted event, kinds prefixed

    def in_window(key: str, bucket_s: int, span: int) -> int:
        return sum(1 for t, k in seen if k == key and now // bucket_s - t // bucket_s < span)

    for advance, ids in steps:
        now += advance
        wanted = [
            f"{kind}{key}" for pair in ids for kind, key in zip("du", pair, strict=True) if key
        ]
        over = any(
            in_window(k, 1, 5) + wanted.count(k) > 10 or in_window(k, 60, 10) + wanted.count(k) > 40
            for k in set(wanted)
        )
        assert _accept(windows, ids, now) is not over
        if not over:
            seen += [(now, k) for k in wanted]
        for key in {k for _, k in seen}:
            table = windows.devices if key[0] == "d" else windows.users
            assert table.count(key[1:], now) == (in_window(key, 1, 5), in_window(key, 60, 10))


def test_ids_with_both_windows_empty_are_forgotten():
    windows, now = throttle.Windows.create(SMALL), 1_700_000_000.0
    assert _accept(windows, [("d-1", "u-1"), ("d-2", None)], now)
    assert (len(windows.devices), len(windows.users)) == (2, 1)
    now += 601  # past both windows; the next accepted request sweeps
    assert _accept(windows, [("d-3", None)], now)
    assert (len(windows.devices), len(windows.users)) == (1, 0)


def test_a_rejected_request_counts_nothing():
    windows, now = throttle.Windows.create(SMALL), 1_700_000_000.0
    assert _accept(windows, [("d-1", "u-1")] * 10, now)
    assert not _accept(windows, [("d-1", None), ("d-2", "u-2")], now)
    assert windows.devices.count("d-2", now) == (0, 0)
    assert windows.users.count("u-2", now) == (0, 0)
    assert windows.devices.count("d-1", now) == (10, 10)


def test_state_field_positions_name_what_a_fresh_state_holds():
    windows = throttle.IdWindows(Limits())
    state = windows.fresh(3, 1_000, 10)
    assert state[throttle.RATE] == state[throttle.QUOTA] == state[throttle.HOUR_N] == 3
    assert state[throttle.HISTORY] == (1_000, 3) and state[throttle.OLDER] == ()
    assert state[throttle.HOUR] == 10
    assert state[throttle.FAST_UNTIL] == 1_000 + Limits().window_s


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([0, 0.4, 1, 4, 5, 6, 30, 59, 60, 61, 300, 600, 1200]),
            st.lists(st.sampled_from(["d-1", "d-2", "d-3"]), max_size=4),
        ),
        max_size=40,
    )
)
def test_the_inlined_counts_give_the_states_of_the_general_one(steps):
    """``decide``'s inlined cases (unknown id, before fast_until, quiet within the hour) build
    exactly the state ``IdWindows.counted`` builds, fast_until included."""
    windows, now = throttle.Windows.create(SMALL), 1_700_000_000.0
    for advance, devices in steps:
        now += advance
        table, buckets = windows.devices, windows.devices.buckets(now)
        _, pending = throttle.decide(
            windows, (devices, [None] * len(devices)), now, "httpapi", SMALL
        )
        general = {
            key: table.counted(table.ids.get(key), devices.count(key), *buckets)
            for key in set(devices)
        }
        assert pending[0] == general
        _accept(windows, [(d, None) for d in devices], now)
