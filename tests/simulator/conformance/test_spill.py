"""Sorted runs: whatever the budget, reading sorters back gives each key once, in ascending key
ranges shared by all the sorters, with its first row's values (counts summed); files go on
close."""

from __future__ import annotations

import os
import tempfile

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.conformance.spill import Budget, Sorter, Spool, first_per_key, key_ranges

# Few distinct keys (so keys repeat, within and across runs), spanning the whole int64 range.
KEYS = st.sampled_from([-(2**63), -7, 0, 1, 2, 3, 99, 2**40, 2**63 - 1])
ROWS = st.lists(st.tuples(KEYS, st.integers(-(2**63), 2**63 - 1)), max_size=200)


def model(rows: list[tuple[int, int]]) -> dict[int, tuple[int, int]]:
    """key -> (value of the key's first row, number of rows)."""
    out: dict[int, tuple[int, int]] = {}
    for key, value in rows:
        first, count = out.get(key, (value, 0))
        out[key] = (first, count + 1)
    return out


def fill(sorter: Sorter, budget: Budget, rows: list[tuple[int, int]]) -> None:
    keys, values = sorter.buffers
    for key, value in rows:
        keys.append(key)
        values.append(value)
        budget.check()
    budget.finish()


@settings(max_examples=150, deadline=None)
@given(a=ROWS, b=ROWS, limit=st.integers(1, 600), memory=st.integers(1, 2000))
def test_any_budget_reads_back_the_first_row_of_each_key(
    a: list[tuple[int, int]], b: list[tuple[int, int]], limit: int, memory: int
) -> None:
    with tempfile.TemporaryDirectory() as workdir:
        spool = Spool(workdir)
        left = Sorter(("key", "value"), spool, count="count")
        right = Sorter(("key", "value"), spool, count="count")
        budget = Budget(limit, (left, right))
        fill(left, budget, a)
        fill(right, budget, b)
        seen: list[dict[int, tuple[int, int]]] = [{}, {}]
        previous_high = None
        for ranges in key_ranges((left, right), memory):
            keys = np.concatenate([r["key"] for r in ranges])
            if not len(keys):
                continue
            if previous_high is not None:
                assert keys.min() > previous_high  # ranges ascend and never share a key
            previous_high = keys.max()
            for side, columns in zip(seen, ranges, strict=True):
                assert list(columns["key"]) == sorted(set(columns["key"].tolist()))
                rows = (columns[name].tolist() for name in ("key", "value", "count"))
                for key, value, count in zip(*rows, strict=True):
                    side[key] = (value, count)
        assert seen == [model(a), model(b)]
        spool.close()
        assert os.listdir(workdir) == []


def test_a_tight_budget_spills_and_a_loose_one_does_not() -> None:
    rows = [(i % 7, i) for i in range(100)]
    with tempfile.TemporaryDirectory() as workdir:
        for limit, spills in ((64, True), (10**6, False)):
            spool = Spool(workdir)
            sorter = Sorter(("key", "value"), spool)
            fill(sorter, Budget(limit, (sorter,)), rows)
            assert sorter.spilled is spills
            assert (spool.path is not None) is spills
            spool.close()
        assert os.listdir(workdir) == []


def test_first_per_key_sums_the_count_column() -> None:
    columns = {
        "key": np.array([5, 3, 5, 3, 9], np.int64),
        "value": np.array([1, 2, 3, 4, 5], np.int64),
        "n": np.array([1, 1, 2, 1, 1], np.int64),
    }
    out = first_per_key(columns, "key", "n")
    assert {k: v.tolist() for k, v in out.items()} == {
        "key": [3, 5, 9],
        "value": [2, 1, 5],
        "n": [2, 3, 1],
    }
