import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.connector.ledger import DELIVERED, DROPPED, QUEUED, SKIPPED, Ledger


def test_a_row_records_attempts_and_one_fate():
    ledger = Ledger()
    a = ledger.produce("ev-1", 10.0, "device-1", "normal")
    b = ledger.produce("ev-2", 11.0, None, "no_device")
    assert a.state == QUEUED and a.delay_s is None
    ledger.attempt([a], 20.0, 503, "backoff")
    ledger.attempt([a], 50.0, 200, "delivered")
    ledger.deliver(a, 50.0)
    ledger.skip(b, "no_ids: no external_user_id and no device_id")
    assert [(r.at, r.status) for r in ledger.attempts_of(a)] == [(20.0, 503), (50.0, 200)]
    assert (a.state, a.fate_at, a.delay_s) == (DELIVERED, 50.0, 40.0)
    assert (b.state, b.attempts) == (SKIPPED, [])
    assert ledger.find("ev-2") == b and ledger.find("nope") is None
    with pytest.raises(ValueError, match="already delivered"):
        ledger.drop(a, 60.0, "late")


def test_a_dropped_row_keeps_its_reason_and_instant():
    ledger = Ledger()
    e = ledger.produce("ev-1", 0.0, "d", "normal")
    ledger.drop(e, 86_400.0, "retries_exhausted")
    assert (e.state, e.fate_at, e.reason, e.delay_s) == (
        DROPPED,
        86_400.0,
        "retries_exhausted",
        None,
    )


@given(st.uuids().map(str) | st.uuids().map(lambda u: str(u).upper()) | st.text())
def test_an_event_id_reads_back_exactly_as_it_was_given(event_id):
    ledger = Ledger()
    ledger.produce("before", 0.0, None, "normal")
    ledger.produce(event_id, 1.0, None, "normal")
    assert ledger.entry(1).event_id == event_id and ledger.entry(0).event_id == "before"
    assert ledger.find(event_id) == ledger.entry(1) or event_id == "before"


@pytest.mark.parametrize(
    "event_id",
    ["a7e26c6d-5deb-4a25-a3c1-8acf0ac60b12", "A7E26C6D-5DEB-4A25-A3C1-8ACF0AC60B12",
     "a7e26c6d-5deb-4a25-a3c1-8acf0ac60b1 ", "a7e26c6d-5deb-4a25-a3c1-8acf0ac6 b12",
     "g7e26c6d-5deb-4a25-a3c1-8acf0ac60b12", "é", ""],
)  # fmt: skip
def test_uuid_like_ids_read_back_exactly(event_id):
    ledger = Ledger()
    ledger.produce(event_id, 0.0, None, "normal")
    assert ledger.entry(0).event_id == event_id
