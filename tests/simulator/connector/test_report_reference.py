"""The columnar report (``report``) gives exactly the figures of the row-by-row reference
(``report_reference``): on random ledgers and on every scenario, both strategies."""

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.connector import Strategy, report, report_reference
from simulator.connector.ledger import Ledger
from simulator.connector.scenarios import SCENARIOS, START, simulate

CLASSES = ("normal", "hot", "no_device")
STATUSES = (200, 400, 429, 500, 502, 503, 0)
MOVES = st.sampled_from(("attempt", "deliver", "drop", "skip", "wait"))


@st.composite
def ledgers(draw: st.DrawFn) -> Ledger:
    """Rows produced at random instants, attempted in random groups with random answers, and
    settled (or not) with a few reasons; ids repeat now and then."""
    ledger = Ledger()
    now, held = 0.0, []
    for _ in range(draw(st.integers(0, 60))):
        now += draw(st.sampled_from((0.0, 0.5, 30.0)))
        move = draw(MOVES)
        if move == "wait" or not held:
            event_id = f"ev-{draw(st.integers(0, 40))}"
            device = draw(st.sampled_from((None, "d-1", "d-2")))
            held.append(ledger.produce(event_id, now, device, draw(st.sampled_from(CLASSES))))
        elif move == "attempt":
            group = held[: draw(st.integers(1, len(held)))]
            ledger.attempt(group, now, draw(st.sampled_from(STATUSES)), "whatever")
        else:
            entry = held.pop(draw(st.integers(0, len(held) - 1)))
            reason = draw(st.sampled_from(("retries_exhausted", "rejected: 400 alone", "a: b")))
            if move == "deliver":
                ledger.deliver(entry, now)
            elif move == "drop":
                ledger.drop(entry, now, reason)
            else:
                ledger.skip(entry, reason)
    return ledger


@settings(max_examples=150, deadline=None)
@given(ledgers(), st.sets(st.sampled_from(CLASSES)))
def test_summary_equals_the_row_by_row_reference(ledger: Ledger, excluded: set[str]) -> None:
    assert report.summarize(ledger, exclude_classes=excluded) == report_reference.summarize(
        ledger, exclude_classes=excluded
    )


@settings(max_examples=150, deadline=None)
@given(ledgers(), st.sampled_from((3, 20_000)))
def test_series_equals_the_row_by_row_reference(ledger: Ledger, max_points: int) -> None:
    fast = report.series(ledger, 1.0, max_points=max_points)
    assert fast == report_reference.series(ledger, 1.0, max_points=max_points)
    assert list(fast.delay) == list(report_reference.series(ledger, 1.0).delay)  # legend order


@pytest.mark.parametrize("strategy", list(Strategy))
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_every_scenario_reports_as_the_reference(name: str, strategy: Strategy) -> None:
    scenario = SCENARIOS[name]
    small = replace(scenario, events=min(scenario.events, 3_000))
    run = simulate(small, strategy, seed=0)
    hot = () if small.hot_class is None else (small.hot_class,)
    assert report.summarize(run.ledger, exclude_classes=hot) == report_reference.summarize(
        run.ledger, exclude_classes=hot
    )
    assert report.series(run.ledger, START) == report_reference.series(run.ledger, START)
