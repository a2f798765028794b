"""The journal (``simulator/amplitude/journal.py``): bounded, paged with cursors and filters, a
request log beside it, and rows whose field positions follow ``Entry``."""

from __future__ import annotations

import pytest

from simulator.amplitude import AmplitudeModel, Limits, journal
from simulator.amplitude.journal import Entry
from tests.simulator.amplitude.conftest import make_event, upload


def test_journal_is_bounded_and_counters_are_kept(clock):
    model = AmplitudeModel(clock, Limits(max_journal=10))
    for i in range(5):
        upload(model, [make_event(i * 10 + j, device_id=f"device-{i}{j:03d}") for j in range(4)])
    assert len(model.journal.entries) == 10
    stats = model.stats()
    assert stats["outcomes"]["ingested"] == 20
    assert stats["journal"] == {"size": 10, "max": 10, "dropped": 10}
    assert model.events(limit=100).items[0]["insert_id"] == "insert-000022"


def test_events_page_with_cursor_and_filters(model):
    upload(model, [make_event(i, user_id=f"user-{i % 2:04d}") for i in range(5)])
    first = model.events(limit=2, user_id="user-0000")
    assert first.total == 3
    assert [e["insert_id"] for e in first.items] == ["insert-000000", "insert-000002"]
    second = model.events(limit=2, user_id="user-0000", cursor=first.next_cursor)
    assert [e["insert_id"] for e in second.items] == ["insert-000004"]
    assert second.next_cursor is None
    entry = first.items[0]
    assert entry["outcome"] == "ingested"
    assert entry["request_id"] == 1
    with pytest.raises(ValueError):
        model.events(colour="red")


def test_request_log_records_each_request(model):
    upload(model, [make_event(0)])
    upload(model, [make_event(1, time="x")], key="key-0002")
    page = model.requests()
    assert [(r["status"], r["event_count"], r["api_key"]) for r in page.items] == [
        (200, 1, "key-0001"),
        (400, 1, "key-0002"),
    ]
    assert model.requests(api_key="key-0002").total == 1


def test_row_field_positions_follow_the_entry_fields():
    positions = {name: getattr(journal, name.upper()) for name in Entry._fields}
    assert positions == {name: i for i, name in enumerate(Entry._fields)}
