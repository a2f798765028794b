"""Received shapes mapped to HTTP API events: request bodies, journal pages, Export API lines."""

from __future__ import annotations

from simulator.conformance.received import export_time_ms, from_export, received_events

EVENT = {"event_type": "[Appboy] Email Open", "insert_id": "e1", "user_id": "u-1", "time": 1}


def test_plain_events_and_request_bodies() -> None:
    assert list(received_events(EVENT)) == [EVENT]
    assert list(received_events({"api_key": "k", "events": [EVENT, EVENT]})) == [EVENT, EVENT]
    assert list(received_events(7)) == [7]


def test_journal_entries_keep_only_what_amplitude_kept() -> None:
    page = {"total": 3, "next_cursor": None, "events": [
        {**EVENT, "outcome": "throttled", "received_at": 5, "request_id": 1, "api_key": "k"},
        {**EVENT, "outcome": "ingested", "received_at": 9, "request_id": 2, "api_key": "k"},
        {**EVENT, "outcome": "deduplicated", "received_at": 9, "request_id": 3, "api_key": "k"},
    ]}  # fmt: skip
    assert list(received_events(page)) == [EVENT, EVENT]


def test_export_times_are_utc_milliseconds() -> None:
    assert export_time_ms("2023-11-14 22:13:20.123000") == 1_700_000_000_123
    assert export_time_ms("2023-11-14T22:13:20Z") == 1_700_000_000_000
    assert export_time_ms("2023-11-14T23:13:20+01:00") == 1_700_000_000_000
    assert export_time_ms("yesterday") is None and export_time_ms(None) is None


def test_export_line_maps_back_to_what_braze_sent() -> None:
    line = {
        "$insert_id": "p1", "event_type": "[Appboy] Purchase", "user_id": "u-1",
        "device_id": None, "amplitude_id": 42, "uuid": "x", "library": "Braze",
        "event_time": "2023-11-14 22:13:21.000000",
        "client_event_time": "2023-11-14 22:13:20.000000",
        "event_properties": {"currency": "EUR", "$productId": "sku", "$price": 2.5,
                             "$quantity": 1, "$revenue": 2.5},
        "user_properties": {}, "city": "Berlin",
    }  # fmt: skip
    assert from_export(line) == {
        "event_type": "[Appboy] Purchase", "user_id": "u-1", "library": "Braze",
        "insert_id": "p1", "time": 1_700_000_000_000, "productId": "sku", "price": 2.5,
        "event_properties": {"currency": "EUR"},
    }  # fmt: skip
    assert list(received_events(line)) == [from_export(line)]
