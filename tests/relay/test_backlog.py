"""The backlog's row ids: a FIFO like a deque, held as runs of consecutive ids."""

from collections import deque

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relay.backlog import RowRuns

# an operation: append this row id, or None: pop the oldest
operations = st.lists(st.one_of(st.none(), st.integers(1, 60)), max_size=200)


@given(operations)
def test_row_runs_give_back_the_rows_in_the_order_a_deque_would(ops: list[int | None]) -> None:
    runs, reference = RowRuns(), deque[int]()
    for op in ops:
        if op is None:
            if reference:
                assert runs.popleft() == reference.popleft()
        else:
            runs.append(op)
            reference.append(op)
        assert len(runs) == len(reference)
    assert [runs.popleft() for _ in range(len(runs))] == list(reference)


def test_a_million_consecutive_rows_are_one_run() -> None:
    runs = RowRuns()
    for row in range(1, 1_000_001):
        runs.append(row)
    assert (len(runs), runs.runs()) == (1_000_000, 1)
    assert runs.popleft() == 1
    assert runs.runs() == 1


def test_rows_submitted_out_of_order_start_a_new_run() -> None:
    runs = RowRuns()
    for row in (1, 2, 4, 3, 5):
        runs.append(row)
    assert runs.runs() == 4  # [1, 2], [4, 4], [3, 3], [5, 5]
    assert [runs.popleft() for _ in range(5)] == [1, 2, 4, 3, 5]


def test_an_empty_backlog_has_nothing_to_give() -> None:
    with pytest.raises(IndexError):
        RowRuns().popleft()
