"""Server-side truth: what the mock's journal says happened to each event."""

from __future__ import annotations

from typing import Any

from load.truth import percentile, summarize


def entry(
    insert_id: str, outcome: str, received_at: int, time: int = 0, device_id: str = "d1"
) -> dict[str, Any]:
    return {
        "insert_id": insert_id,
        "outcome": outcome,
        "received_at": received_at,
        "time": time,
        "device_id": device_id,
    }


def test_delivered_lost_and_duplicated_by_insert_id() -> None:
    summary = summarize(
        [
            entry("a", "throttled", 1000),
            entry("a", "ingested", 31_000),
            entry("b", "unauthorized", 1000),
            entry("c", "ingested", 2000),
            entry("c", "deduplicated", 3000),
        ]
    )
    assert (summary["seen"], summary["delivered"], summary["lost_seen"]) == (3, 2, 1)
    assert summary["duplicated"] == 1 and summary["throttled"] == 1


def test_delay_is_received_minus_produced_per_device_class() -> None:
    summary = summarize(
        [
            entry("a", "ingested", 40_000, time=0, device_id="3f2a"),
            entry("h", "ingested", 5_000, time=0, device_id="misconfigured-9"),
        ]
    )
    assert summary["delay_max_s.normal"] == 40.0
    assert summary["delay_max_s.misconfigured"] == 5.0
    assert summary["delay_p95_s"] == 40.0
    assert summary["delivered.normal"] == 1 and summary["delivered.misconfigured"] == 1


def test_percentile_nearest_rank() -> None:
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.0
    assert percentile(list(map(float, range(1, 101))), 95) == 95.0


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
