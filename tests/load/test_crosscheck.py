"""The client-side cross-check of a run: which events the connectors' ledgers and the mock's
journal disagree on, sparing the edges of a window where loss is expected."""

from __future__ import annotations


def test_crosscheck_mismatch_ignores_only_the_edges_of_the_lost_window() -> None:
    from load.crosscheck import mismatch

    expected = {"a": 1000.0, "b": 5000.0, "c": 9000.0}
    assert mismatch(expected, dict(expected), tolerance_s=100) == (0, 0)
    assert mismatch(expected, {"a": 1000.0, "b": 5000.0}, tolerance_s=100) == (0, 1)  # c: edge
    assert mismatch(expected, {"a": 1000.0, "c": 9000.0}, tolerance_s=100) == (1, 0)  # b: middle
    assert mismatch(expected, {**expected, "z": 20000.0}, tolerance_s=100) == (1, 0)


def test_edge_tolerance_grows_with_requests_that_arrived_late_just_before_a_deadline() -> None:
    from load.crosscheck import edge_tolerance

    deadlines = [1000.0, 5000.0]
    assert edge_tolerance([], deadlines, floor_s=100, near_s=500) == 100
    # meant 200 s before the restore, reached the mock 900 s later: past it
    assert edge_tolerance([(4800.0, 900.0)], deadlines, floor_s=100, near_s=500) == 900
    # late far from any deadline, or after one (the backlog sent on a restore): no matter
    late_elsewhere = [(3000.0, 5000.0), (5100.0, 4000.0), (400.0, 700.0)]
    assert edge_tolerance(late_elsewhere, deadlines, floor_s=100, near_s=500) == 100
