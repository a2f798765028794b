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
