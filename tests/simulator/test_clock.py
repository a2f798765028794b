import pytest

from simulator.clock import ControllableClock, ManualClock, SettableClock, now_ms


def test_manual_clock_moves_only_when_told() -> None:
    clock = ManualClock(100.0)
    assert clock.now() == 100.0
    clock.advance(2.5)
    assert clock.now() == 102.5
    assert now_ms(clock) == 102_500


def test_manual_clock_refuses_to_go_back() -> None:
    clock = ManualClock(100.0)
    with pytest.raises(ValueError):
        clock.set(99.0)


def test_controllable_clock_scales_base_time() -> None:
    base = ManualClock(0.0)
    clock = ControllableClock(base, start=1000.0, scale=3600.0)
    base.advance(2.0)
    assert clock.now() == 1000.0 + 7200.0


def test_controllable_clock_rescale_does_not_jump() -> None:
    base = ManualClock(0.0)
    clock = ControllableClock(base, start=0.0, scale=10.0)
    base.advance(1.0)
    clock.set_scale(0.0)
    assert clock.now() == 10.0
    base.advance(5.0)
    assert clock.now() == 10.0
    clock.advance(60)
    assert clock.now() == 70.0


def test_a_controllable_clock_is_settable_and_a_manual_one_is_not():
    assert isinstance(ControllableClock(ManualClock(0.0)), SettableClock)
    assert not isinstance(ManualClock(0.0), SettableClock)
