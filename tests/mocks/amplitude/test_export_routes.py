"""The Export API on the served mock (``simulator.amplitude.export``): a zip of per-hour gzipped
JSON Lines in Amplitude's export format, hours by the mock clock, 404 / 400 / 403."""

from __future__ import annotations

import gzip
import io
import zipfile
from datetime import UTC, datetime

import orjson
import pytest
import requests

EXPORT_FIELDS = {"$insert_id", "event_type", "user_id", "device_id", "event_time",
                 "client_event_time", "client_upload_time", "server_upload_time",
                 "server_received_time", "processed_time", "amplitude_id", "uuid", "app",
                 "event_id", "session_id", "event_properties", "user_properties", "groups",
                 "group_properties", "library", "idfa", "adid"}  # fmt: skip


def _hour(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y%m%dT%H")


def _ingest(mock, events) -> None:
    body = {"api_key": mock.api_key, "events": events}
    assert requests.post(mock.server_url, json=body, timeout=10).status_code == 200


def _export(mock, start: str, end: str, secret: str = "any-secret") -> requests.Response:
    return requests.get(f"{mock.url}/api/2/export", params={"start": start, "end": end},
                        auth=(mock.api_key, secret), timeout=10)  # fmt: skip


def _lines(archive: bytes) -> dict[str, list[dict]]:
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        return {
            name: [orjson.loads(line) for line in gzip.decompress(zipped.read(name)).splitlines()]
            for name in zipped.namelist()
        }


def test_ingested_events_come_back_as_export_lines(amplitude_mock):
    purchase = {"event_type": "[Appboy] Purchase", "user_id": "user-0001",
                "device_id": "dev-0001", "insert_id": "ins-1", "time": 1_700_000_000_000,
                "library": "Braze", "productId": "sku-1", "price": 2.5,
                "event_properties": {"currency": "EUR"}}  # fmt: skip
    _ingest(amplitude_mock, [purchase])
    now = amplitude_mock.now_ms()
    answer = _export(amplitude_mock, _hour(now), _hour(now))
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/zip"
    [(name, [line])] = _lines(answer.content).items()
    assert name.endswith(".json.gz")
    assert set(line) >= EXPORT_FIELDS
    assert line["$insert_id"] == "ins-1" and line["user_id"] == "user-0001"
    assert line["client_event_time"] == "2023-11-14 22:13:20.000000"
    assert line["event_properties"] == {"currency": "EUR", "$productId": "sku-1", "$price": 2.5,
                                        "$quantity": 1, "$revenue": 2.5}  # fmt: skip


def test_hours_follow_the_mock_clock(amplitude_mock):
    _ingest(amplitude_mock, [{"event_type": "a", "device_id": "dev-0001", "insert_id": "first"}])
    first = amplitude_mock.now_ms()
    amplitude_mock.advance(3600)
    _ingest(amplitude_mock, [{"event_type": "b", "device_id": "dev-0001", "insert_id": "second"}])
    second = amplitude_mock.now_ms()
    only_first = _lines(_export(amplitude_mock, _hour(first), _hour(first)).content)
    both = _lines(_export(amplitude_mock, _hour(first), _hour(second)).content)
    assert [line["$insert_id"] for lines in only_first.values() for line in lines] == ["first"]
    assert len(both) == 2  # one file per hour


def test_a_range_without_data_is_404(amplitude_mock):
    assert _export(amplitude_mock, "20200101T00", "20200101T23").status_code == 404


MALFORMED = [("2020010100", "20200101T01"), ("20200101T24", "20200102T00"),
             ("", "20200101T00"), ("20200102T00", "20200101T00")]  # fmt: skip


@pytest.mark.parametrize(("start", "end"), MALFORMED)
def test_a_malformed_range_is_400(amplitude_mock, start, end):
    assert _export(amplitude_mock, start, end).status_code == 400


def test_a_range_over_365_days_is_400_and_365_days_is_not(amplitude_mock):
    assert _export(amplitude_mock, "20200101T00", "20201231T00").status_code == 400  # 366 days
    assert _export(amplitude_mock, "20210101T00", "20211231T23").status_code == 404  # 365 days


def test_without_a_secret_it_is_forbidden(amplitude_mock):
    assert _export(amplitude_mock, "20200101T00", "20200101T01", secret="").status_code in (
        401,
        403,
    )
