"""Behaviour rules over hand-written request logs: one rule per reaction of the retry matrix."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.conformance.behaviour import Sent, check_behaviour, requests_from_log
from simulator.conformance.report import Tally

T = 1_700_000_000_000


def sent(rid: int, at_s: float, status: int, ids: list[str], body: dict[str, Any] | None = None,
         *, fault: bool = False, count: int | None = None) -> Sent:  # fmt: skip
    from simulator.conformance.behaviour import EventRef

    return Sent(rid, T + int(at_s * 1000), status, len(ids) if count is None else count,
                body if body is not None else {"code": status}, fault,
                events=[EventRef(i, 100) for i in ids])  # fmt: skip


def throttled(*indices: int) -> dict[str, Any]:
    return {"code": 429, "throttled_events": list(indices), "throttled_devices": {"hot": 31}}


def counts(log: list[Sent], **kw: Any) -> dict[str, int]:
    tally = Tally()
    assert check_behaviour(log, tally, **kw) == len(log)
    return dict(+tally.counts)


def test_per_device_reaction_to_429_is_clean() -> None:
    log = [sent(1, 0, 429, ["h1", "h2", "n1", "n2"], throttled(0, 1)),
           sent(2, 0, 200, ["n1", "n2"]),
           sent(3, 30, 200, ["h1", "h2"])]  # fmt: skip
    assert counts(log) == {}


def test_whole_batch_resent_after_the_pause_is_head_of_line_blocking() -> None:
    log = [sent(1, 0, 429, ["h1", "h2", "n1", "n2"], throttled(0, 1)),
           sent(2, 31, 200, ["h1", "h2", "n1", "n2"])]  # fmt: skip
    assert counts(log) == {"head_of_line_blocking": 1}


def test_others_held_for_the_pause_even_without_throttled_ones_is_blocking() -> None:
    log = [sent(1, 0, 429, ["h1", "n1"], throttled(0)),
           sent(2, 30, 200, ["n1"]), sent(3, 30, 200, ["h1"])]  # fmt: skip
    assert counts(log) == {"head_of_line_blocking": 1}


def test_throttled_events_resent_too_early() -> None:
    log = [sent(1, 0, 429, ["h1", "h2", "n1"], throttled(0, 1)),
           sent(2, 0, 200, ["n1"]), sent(3, 5, 200, ["h1", "h2"])]  # fmt: skip
    tally = Tally()
    check_behaviour(log, tally)
    assert dict(+tally.counts) == {"throttle_pause": 2}
    assert tally.examples["throttle_pause"][0].event_id == "h1"
    assert "5.0 s" in tally.examples["throttle_pause"][0].explanation


INVALID = {"code": 400, "error": "Invalid API key: k"}


@pytest.mark.parametrize(
    ("gap_s", "until_s", "expected"),
    [(150, None, {}), (10, None, {"invalid_key_backoff": 1}),
     (400, None, {"invalid_key_backoff": 1}), (None, 200, {}),
     (None, 600, {"invalid_key_backoff": 1})],
)  # fmt: skip
def test_invalid_key_pauses_two_to_five_minutes(
    gap_s: float | None, until_s: float | None, expected: dict[str, int]
) -> None:
    log = [sent(1, 0, 400, ["a", "b"], INVALID)]
    if gap_s is not None:
        log.append(sent(2, gap_s, 200, ["a", "b"]))
    until = None if until_s is None else T + int(until_s * 1000)
    assert counts(log, observed_until=until) == expected


@pytest.mark.parametrize(
    ("status", "resends", "expected"),
    [(400, [["a"], ["b"], ["c"]], {}),
     (400, [["a", "b"], ["c"]], {"split_on_400": 1}),
     (413, [["a", "b"], ["c"]], {}),
     (413, [["a", "b", "c"]], {"split_on_413": 1})],
)  # fmt: skip
def test_failed_batches_are_split(
    status: int, resends: list[list[str]], expected: dict[str, int]
) -> None:
    log = [sent(1, 0, status, ["a", "b", "c"], fault=True)]
    log += [sent(2 + i, 1 + i, 200, ids) for i, ids in enumerate(resends)]
    assert counts(log) == expected


def test_split_judged_by_the_next_request_when_a_fault_hid_the_events() -> None:
    log = [sent(1, 0, 413, [], fault=True, count=50), sent(2, 1, 200, ["x"] * 50)]
    assert counts(log) == {"split_on_413": 1}
    log = [sent(1, 0, 413, [], fault=True, count=50), sent(2, 1, 200, ["x"] * 25)]
    assert counts(log) == {}


def test_batch_limits() -> None:
    big = sent(1, 0, 413, [f"e{i}" for i in range(2001)])
    heavy = sent(2, 1, 200, ["a"], {"code": 200, "payload_size_bytes": 2_000_000})
    too_large = sent(3, 2, 413, ["a", "b"])  # the mock said so on its own
    scripted = sent(4, 3, 413, ["a"], fault=True)
    assert counts([big]) == {"batch_limits": 1}
    assert counts([heavy]) == {"batch_limits": 1}
    assert counts([too_large, sent(4, 3, 200, ["a"]), sent(5, 3, 200, ["b"])]) == {
        "batch_limits": 1
    }
    assert counts([scripted]) == {}


def test_log_and_journal_are_joined_in_request_order() -> None:
    log = [{"id": 2, "time": T + 5, "endpoint": "httpapi", "status": 200, "event_count": 1,
            "body": {"code": 200}, "fault": False},
           {"id": 1, "time": T, "endpoint": "httpapi", "status": 429, "event_count": 2,
            "body": throttled(1), "fault": False}]  # fmt: skip
    journal = [
        {"insert_id": "a", "outcome": "throttled", "request_id": 1, "received_at": T},
        {"insert_id": "b", "outcome": "throttled", "request_id": 1, "received_at": T},
        {"insert_id": "a", "outcome": "ingested", "request_id": 2, "received_at": T + 5},
    ]
    requests = requests_from_log(log, journal)
    assert [r.id for r in requests] == [1, 2]
    assert [e.insert_id for e in requests[0].events] == ["a", "b"]
    assert counts(requests) == {}
