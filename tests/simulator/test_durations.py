"""The one duration grammar every command uses."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.durations import format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90s", 90),
        ("5m", 300),
        ("12h", 43_200),
        ("3d", 259_200),
        ("1h30m", 5_400),
        ("1d12h", 129_600),
        ("2.5h", 9_000),
        ("40", 40),
        ("0", 0),
        (" 7m ", 420),
    ],
)
def test_accepts_each_documented_form(text, seconds):
    assert parse_duration(text) == seconds


def test_a_bare_number_is_seconds_not_hours():
    assert parse_duration("60") == 60


@pytest.mark.parametrize("text", ["", "h", "5x", "-5s", "30m1h", "1h 30m", "5mm", "inf", "nan"])
def test_refuses_what_is_not_a_duration(text):
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)


@given(st.integers(min_value=0, max_value=10**8))
def test_format_then_parse_gives_the_same_seconds(seconds):
    assert parse_duration(format_duration(seconds)) == seconds
