"""The column fast path of the event checks agrees with the per-event checks."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.amplitude.limits import BLOCKED_IDS, Limits
from simulator.amplitude.validation import (
    EventProblems,
    all_valid_ids,
    blocked_spellings,
    char_spellings,
    check_event,
    check_events,
)

LIMITS = Limits()


def test_char_spellings_are_every_character_that_lowers_to_an_ascii_one():
    # str.lower maps characters one by one (final sigma aside, which is not ASCII), so a string
    # lowers to an ASCII value only through characters that lower to one ASCII character each.
    for code in range(0x110000):
        lowered = chr(code).lower()
        if lowered.isascii():
            assert len(lowered) == 1
            assert chr(code) in char_spellings(lowered), hex(code)


def test_blocked_spellings_are_exactly_the_strings_that_lower_to_a_blocked_value():
    spellings = blocked_spellings(BLOCKED_IDS)
    assert spellings is not None
    assert {s.lower() for s in spellings} == BLOCKED_IDS
    assert {"NULL", "Null", "UNDEFINED", "un\u212anown", "-1"} <= spellings


def test_spellings_step_aside_for_values_they_cannot_cover():
    assert blocked_spellings(frozenset({"ünknown"})) is None
    assert blocked_spellings(frozenset({"a" * 20})) is None
    assert blocked_spellings(frozenset({"NULL"})) is None


def _per_event(events: list[Any], min_len: int, limits: Limits) -> tuple[dict[str, Any], Any]:
    """check_events' answer, built event by event."""
    problems = EventProblems()
    pairs = [check_event(problems, i, e, min_len, limits) for i, e in enumerate(events)]
    return problems.body_fields(), ([d for d, _ in pairs], [u for _, u in pairs])


_case_variants = st.sampled_from(sorted(BLOCKED_IDS)).flatmap(
    lambda v: st.lists(st.booleans(), min_size=len(v), max_size=len(v)).map(
        lambda ups: "".join(c.upper() if up else c for c, up in zip(v, ups, strict=True))
    )
)
_ids = st.one_of(
    st.none(),
    st.sampled_from(["device-0001", "user-000001", "abcd", "UNKNOWN", "unk\u212anown"]),
    _case_variants,
    st.text(max_size=8),
    st.integers(),
)
_events = st.fixed_dictionaries(
    {"event_type": st.sampled_from(["Played", "", "$groupidentify"])},
    optional={
        "user_id": _ids,
        "device_id": _ids,
        "time": st.one_of(st.integers(), st.booleans(), st.text(max_size=3)),
        "event_properties": st.one_of(
            st.none(),
            st.dictionaries(
                st.text(max_size=3),
                st.recursive(
                    st.integers() | st.none(),
                    lambda inner: (
                        st.lists(inner, max_size=2)
                        | st.dictionaries(st.text(max_size=2), inner, max_size=2)
                    ),
                    max_leaves=12,
                ),
            ),
        ),
    },
)


@settings(max_examples=300, deadline=None)  # no timing: the machine is shared
@given(st.lists(_events | st.integers(), min_size=1, max_size=8), st.integers(0, 8))
def test_fast_path_gives_the_per_event_answer(events, min_len):
    problems, ids = check_events(events, min_len, LIMITS)
    assert (problems.body_fields(), ids) == _per_event(events, min_len, LIMITS)
    if all_valid_ids(events, min_len, LIMITS) is not None:
        assert not problems


@settings(deadline=None)
@given(st.lists(_events, min_size=1, max_size=8))
def test_fast_path_without_spellings_gives_the_per_event_answer(events):
    limits = Limits(blocked_ids=frozenset({"x" * 20, "user-000001"}))
    problems, ids = check_events(events, 5, limits)
    assert (problems.body_fields(), ids) == _per_event(events, 5, limits)


@settings(deadline=None)
@given(st.lists(_events, min_size=1, max_size=8))
def test_fast_path_with_a_shallow_nesting_limit_gives_the_per_event_answer(events):
    limits = Limits(max_nesting_depth=3)
    problems, ids = check_events(events, 5, limits)
    assert (problems.body_fields(), ids) == _per_event(events, 5, limits)
