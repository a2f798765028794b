"""``Dedupe.new_flags``: its one-call-per-request path agrees with ``first_seen`` pair by pair."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.amplitude.dedupe import Dedupe

HORIZON = 100


def test_a_pair_seen_at_the_same_instant_is_a_duplicate():
    dedupe = Dedupe(HORIZON)
    assert dedupe.new_flags(["d1", "d1"], ["i1", "i2"], 5.0) == [True, True]
    assert dedupe.new_flags(["d1", "d2"], ["i1", "i1"], 5.0) == [False, True]


def test_a_pair_twice_in_one_request_is_new_once():
    assert Dedupe(HORIZON).new_flags(["d1", "d1"], ["i1", "i1"], 5.0) == [True, False]


def test_events_without_insert_id_are_always_new_and_not_kept():
    dedupe = Dedupe(HORIZON)
    assert dedupe.new_flags(["d1", "d1"], [None, None], 5.0) == [True, True]
    assert len(dedupe) == 0


def test_an_expired_pair_is_new_again_even_before_the_purge():
    dedupe = Dedupe(HORIZON)
    assert dedupe.new_flags(["d1"], ["i1"], 0.0) == [True]
    assert dedupe.new_flags(["d1", "d2"], ["i1", "i2"], 99.0) == [False, True]
    assert dedupe.new_flags(["d1", "d2"], ["i1", "i2"], 100.0) == [True, False]
    assert dedupe.new_flags(["d1"], ["i1"], 150.0) == [False]


def test_integer_times_work_too():
    dedupe = Dedupe(3)
    assert dedupe.new_flags(["d1"], ["i1"], 0) == [True]
    assert dedupe.new_flags(["d1"], ["i1"], 0) == [False]


PAIRS = st.lists(
    st.tuples(st.sampled_from(["d1", "d2", None]), st.sampled_from(["i1", "i2", "i3", None])),
    max_size=5,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([0, 0, 1, 50, 99, 100, 3600, 4000]), PAIRS)))
def test_new_flags_match_first_seen_pair_by_pair(steps):
    fast, slow, now = Dedupe(HORIZON), Dedupe(HORIZON), 1_700_000_000.0
    for advance, pairs in steps:
        now += advance
        expected = [
            True if insert_id is None else slow.first_seen(device_id, insert_id, now)
            for device_id, insert_id in pairs
        ]
        devices, inserts = [d for d, _ in pairs], [i for _, i in pairs]
        assert fast.new_flags(devices, inserts, now) == expected
