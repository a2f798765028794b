"""Braze's storage delivery in the core: the §4.1 key layout and the file-rolling rules (a file
per event type every 5 minutes or 15,000 events, never empty), on an injected clock."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from simulator.clock import ManualClock
from simulator.delivery.storage import StorageLayout
from tests.conftest import T0
from tests.simulator.delivery.bucket import OPEN, event, storage

CLICK = "users.messages.email.Click"
KEY = re.compile(
    r"(?P<prefix>[^/]+)/dataexport\.(?P<cluster>prod-\d\d)\.(?P<conn>S3|AzureBlob|GCS)\.integration"
    r"\.(?P<id>[0-9a-f]{24})/event_type=(?P<type>[\w.]+)/date=(?P<date>\d{4}-\d\d-\d\d-\d\d)/"
    r"(?P<schema>version=\d+)/(?P<zone>[\w-]+)/dataexport\.(?P=cluster)\.(?P=conn)\.integration\."
    r"(?P=id)\+(?P<partition>\d+)\+(?P<offset>\d+)\.avro"
)


def test_the_key_layout_reproduces_brazes_published_example() -> None:
    layout = StorageLayout("69cadaaed2d51b7c75b1a3e5", prefix="currents-export", schema="version=6")
    hour = int(datetime(2025, 4, 1, 17, tzinfo=UTC).timestamp()) // 3600
    assert layout.key("users.messages.pushnotification.Send", hour, 123456) == (
        "currents-export/dataexport.prod-01.S3.integration.69cadaaed2d51b7c75b1a3e5/"
        "event_type=users.messages.pushnotification.Send/date=2025-04-01-17/version=6/us-01/"
        "dataexport.prod-01.S3.integration.69cadaaed2d51b7c75b1a3e5+0+123456.avro"
    )


def test_keys_follow_the_layout_with_the_queue_hour_in_utc(clock: ManualClock) -> None:
    delivery, bucket = storage(clock)
    delivery.offer(event(0))
    delivery.finish()
    match = KEY.fullmatch(bucket.files[0].key)
    assert match is not None
    assert match["type"] == OPEN and match["date"] == "2023-11-14-22"  # T0's hour, UTC
    assert (match["prefix"], match["conn"], match["offset"]) == ("currents", "S3", "0")


def test_a_file_is_written_when_it_reaches_15000_events(clock: ManualClock) -> None:
    delivery, bucket = storage(clock)
    for i in range(15_001):
        delivery.offer(event(i))
    assert [len(f.records) for f in bucket.files] == [15_000]
    assert delivery.held() == 1
    delivery.finish()
    assert [len(f.records) for f in bucket.files] == [15_000, 1]
    offsets = [KEY.fullmatch(f.key)["offset"] for f in bucket.files]  # type: ignore[index]
    assert offsets == ["0", "15000"]  # files of one hour differ by their offset


def test_a_file_is_written_5_minutes_after_its_first_event(clock: ManualClock) -> None:
    delivery, bucket = storage(clock)
    delivery.offer(event(0))
    clock.set(T0 + 100)
    delivery.offer(event(1))
    assert delivery.next_due() == T0 + 300
    clock.set(T0 + 299)
    delivery.pump()
    assert bucket.files == []
    clock.set(T0 + 300)
    delivery.pump()
    assert [(len(f.records), f.opened_at, f.closed_at) for f in bucket.files] == [(2, T0, T0 + 300)]


def test_each_event_type_has_its_own_file(clock: ManualClock) -> None:
    delivery, bucket = storage(clock)
    for i in range(6):
        delivery.offer(event(i, OPEN if i % 2 else CLICK))
    delivery.finish()
    assert sorted((f.event_type, len(f.records)) for f in bucket.files) == [(CLICK, 3), (OPEN, 3)]


def test_a_new_hour_closes_the_open_file(clock: ManualClock) -> None:
    start = (T0 // 3600 + 1) * 3600 - 60  # a minute before the hour
    clock.set(start)
    delivery, bucket = storage(clock)
    delivery.offer(event(0))
    clock.set(start + 61)
    delivery.offer(event(1))
    delivery.finish()
    dates = [KEY.fullmatch(f.key)["date"] for f in bucket.files]  # type: ignore[index]
    assert len(dates) == 2 and dates[0] != dates[1]


def test_empty_files_are_never_written(clock: ManualClock) -> None:
    delivery, bucket = storage(clock)
    delivery.offer(event(0))
    clock.set(T0 + 300)
    delivery.pump()
    clock.set(T0 + 900)
    delivery.pump()
    delivery.finish()
    assert [len(f.records) for f in bucket.files] == [1]


def test_records_are_flat_storage_records_even_from_envelopes(clock: ManualClock) -> None:
    delivery, bucket = storage(clock)
    envelope = {"event_type": OPEN, "id": "e", "time": int(T0), "user": {"user_id": "u"},
                "properties": {"email_address": "a@b.c"}}  # fmt: skip
    delivery.offer(envelope)
    delivery.finish()
    record = bucket.files[0].records[0]
    assert (record["id"], record["user_id"], record["email_address"]) == ("e", "u", "a@b.c")
    assert "event_type" not in record and record["campaign_id"] is None


def test_an_event_type_without_a_storage_schema_is_skipped(clock: ManualClock) -> None:
    delivery, bucket = storage(clock)
    delivery.offer(event(0, "users.made.Up"))
    delivery.finish()
    assert bucket.files == [] and delivery.summary()["skipped"] == {"no_schema: users.made.Up": 1}


def test_a_file_the_store_cannot_take_is_lost_and_counted(clock: ManualClock) -> None:
    delivery, _ = storage(clock, error="bucket gone")
    delivery.offer(event(0))
    delivery.finish()
    assert delivery.summary()["dropped"] == {"store_failed: bucket gone": 1}


def test_the_connection_type_is_one_of_brazes() -> None:
    with pytest.raises(ValueError, match="S3, AzureBlob, GCS"):
        StorageLayout("x", connection="FTP")
