"""``GET /_mock/stream``: Server-Sent Events over a real socket."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from clients.sse import sse_messages
from mocks.app import create_app
from mocks.server import Server
from simulator.clock import ControllableClock, ManualClock
from tests.conftest import T0
from tests.sandbox.conftest import played, upload


def _open(http, url: str, **params: Any):
    return http.get(f"{url}/_mock/stream", params=params, stream=True, timeout=(5, 5))


def _until(messages: Iterator[tuple[str, Any]], wanted: str) -> Any:
    for event, data in messages:
        if event == wanted:
            return data
    raise AssertionError(f"the stream ended before an {wanted!r} message")


def test_stream_replays_the_journal_filtered_by_key_and_outcome(served, http):
    upload(http, served.url, "key-aaaa", played(60))
    upload(http, served.url, "key-aaaa", played(5, start=100))  # 429: 65 > 60 in the window
    upload(http, served.url, "key-bbbb", played(70))  # 429 on another key
    params = {"api_key": "key-aaaa", "outcome": "throttled", "since": 0, "topics": "entries"}
    with _open(http, served.url, **params) as response:
        assert response.headers["Content-Type"].startswith("text/event-stream")
        entries = _until(sse_messages(response.iter_lines(decode_unicode=True)), "entries")
    assert [e["insert_id"] for e in entries] == [f"ins-{100 + i}" for i in range(5)]
    assert {(e["api_key"], e["outcome"]) for e in entries} == {("key-aaaa", "throttled")}


def test_stream_pushes_new_entries_and_requests_as_they_arrive(served, http):
    with _open(http, served.url, api_key="key-aaaa,key-bbbb") as response:
        messages = sse_messages(response.iter_lines(decode_unicode=True))
        upload(http, served.url, "key-cccc", played(2, "device-0009"))  # not followed
        upload(http, served.url, "key-bbbb", played(3))
        entries = _until(messages, "entries")
        requests = _until(messages, "requests")
    assert [(e["api_key"], e["insert_id"]) for e in entries] == [
        ("key-bbbb", f"ins-{i}") for i in range(3)
    ]
    assert [(r["api_key"], r["status"], r["event_count"]) for r in requests] == [
        ("key-bbbb", 200, 3)
    ]


def test_stream_sends_stats_of_the_followed_keys_every_second(served, http):
    upload(http, served.url, "key-aaaa", played(4))
    upload(http, served.url, "key-bbbb", played(7))
    with _open(http, served.url, api_key="key-aaaa", topics="stats") as response:
        stats = _until(sse_messages(response.iter_lines(decode_unicode=True)), "stats")
    assert stats["outcomes"]["ingested"] == 4
    assert set(stats["keys"]) == {"key-aaaa"}
    assert stats["now_ms"] == int(T0 * 1000)
    timeline = stats["timeline"]
    assert timeline["end_s"] == int(T0) and sum(timeline["outcomes"]["ingested"]) == 4


def test_stream_ends_by_itself_after_its_lifetime(served, http):
    with _open(http, served.url, max_s=0.5, topics="stats") as response:
        events = [event for event, _ in sse_messages(response.iter_lines(decode_unicode=True))]
    assert events[-1] == "end"  # and iter_lines returned: the server closed the response


def test_a_bad_filter_is_a_json_400(served, http):
    response = http.get(f"{served.url}/_mock/stream?outcome=lost", timeout=5)
    assert response.status_code == 400
    assert (
        response.json()
        == {
            "code": 400,
            "error": response.json()["error"],
        }
        and "outcome must be among" in response.json()["error"]
    )


@pytest.fixture
def one_slot() -> Iterator[Server]:
    app = create_app({"MAX_STREAMS": 1}, clock=ControllableClock(ManualClock(T0)))
    with Server(app, threads=4).start() as server:
        yield server


def test_streams_beyond_the_cap_get_503_and_a_closed_stream_frees_its_slot(one_slot, http):
    with _open(http, one_slot.url) as first:
        assert first.status_code == 200
        second = http.get(f"{one_slot.url}/_mock/stream", timeout=5)
        assert second.status_code == 503 and second.json()["code"] == 503
    # The client hung up: the server notices at its next write (within a second).
    deadline = time.monotonic() + 10
    while True:
        with _open(http, one_slot.url, max_s=0.2) as again:
            if again.status_code == 200:
                break
        assert time.monotonic() < deadline, "the closed stream never gave its slot back"
        time.sleep(0.2)


def test_a_stream_asked_for_as_another_ends_waits_for_its_slot_instead_of_503(one_slot, http):
    with _open(http, one_slot.url, max_s=0.5) as ending:  # a page being reloaded
        assert ending.status_code == 200
        with _open(http, one_slot.url, max_s=0.2) as next_page:
            assert next_page.status_code == 200


def test_head_requests_never_use_up_the_stream_slots(one_slot, http):
    for _ in range(3):  # a body never iterated still gives its slot back
        assert http.head(f"{one_slot.url}/_mock/stream", timeout=5).status_code == 200
    with _open(http, one_slot.url, max_s=0.2) as response:
        assert response.status_code == 200


def test_pytest_helper_waits_on_the_stream(amplitude_mock, http):
    upload(http, amplitude_mock.url, amplitude_mock.api_key, played(2))
    upload(http, amplitude_mock.url, amplitude_mock.api_key, played(2))  # duplicates
    found = amplitude_mock.wait_stream(2, outcome="deduplicated", timeout_s=5)
    assert [e["outcome"] for e in found] == ["deduplicated"] * 2
    with pytest.raises(AssertionError, match="saw 2"):
        amplitude_mock.wait_stream(3, outcome="deduplicated", timeout_s=1.5)
