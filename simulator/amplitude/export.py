"""The Export API of the Amplitude model: ingested events as Amplitude exports them.

``GET /api/2/export?start=YYYYMMDDTHH&end=YYYYMMDDTHH`` (https://amplitude.com/docs/apis/
analytics/export, AMPLITUDE_API.md §9 [EXP]): HTTP Basic ``api_key:secret_key``; the range is
of *server upload time*, in whole UTC hours, both ends included ("to export a whole day, use
T00 to T23"); at most 365 days at once; the answer is a zip archive of gzipped JSON files, one
event per line; 404 when the range holds no data; 400 for a bad request (the doc names the
over-4 GB case). The mock's hours are those of the mock clock (``received_at`` of each event).

Rows carry the export schema's fields (the doc's response schema): ``$insert_id``,
``event_type``, ``user_id``, ``device_id``, ``event_time`` / ``client_event_time`` (the event's
``time``; Amplitude may adjust ``event_time`` for clock skew, the mock does not),
``client_upload_time`` / ``server_upload_time`` / ``server_received_time`` / ``processed_time``
(when the mock received it), ``amplitude_id``, ``uuid``, ``app``, ``event_id``, ``session_id``,
``event_properties`` / ``user_properties`` / ``groups`` / ``group_properties``, ``library``,
``idfa``, ``adid`` and the device fields, times as ``"2021-12-09 00:45:29.430000"`` (UTC).
Revenue fields of the HTTP API (``productId``, ``price``, ``quantity``, ``revenue``,
``revenueType``) become ``$``-prefixed event properties, with ``$quantity`` defaulting to 1 and
``$revenue`` = price x quantity [inference: Amplitude's revenue properties are ``$price``,
``$quantity``, ``$revenue``, ``$productId``, ``$revenueType``]; ``simulator.conformance.received``
maps them back.

Archive layout: one member per hour, ``<app>/<app>_<YYYY-MM-DD>_<H>#0.json.gz`` [the mock's
choice: the doc says only "JSON files", several per hour possibly].

``export_delay_s`` (``Limits``): [EXP] says data can be exported "within 2 hours" of arrival;
the mock's default is 0 (a test reads right after sending), ``serve --export-delay 2h``
follows the doc.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

HOUR_S = 3600
# [EXP] "The maximum time range you can query at once is 365 days."
MAX_RANGE_HOURS = 365 * 24
HOUR_FORMAT = "%Y%m%dT%H"
TIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"

# HTTP API event field -> export field, copied as they are (the export schema of [EXP]).
COPIED = {
    "event_type": "event_type",
    "user_id": "user_id",
    "device_id": "device_id",
    "library": "library",
    "idfa": "idfa",
    "adid": "adid",
    "platform": "platform",
    "os_name": "os_name",
    "os_version": "os_version",
    "device_brand": "device_brand",
    "device_manufacturer": "device_manufacturer",
    "device_model": "device_model",
    "carrier": "device_carrier",
    "country": "country",
    "region": "region",
    "city": "city",
    "dma": "dma",
    "language": "language",
    "ip": "ip_address",
    "location_lat": "location_lat",
    "location_lng": "location_lng",
    "app_version": "version_name",
    "start_version": "start_version",
    "paying": "paying",
    "groups": "groups",
    "group_properties": "group_properties",
}
REVENUE = {"productId": "$productId", "price": "$price", "quantity": "$quantity",
           "revenue": "$revenue", "revenueType": "$revenueType"}  # fmt: skip


class ExportError(Exception):
    """A request the Export API refuses: ``status`` and a one-line message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Ingested:
    """One ingested event of a project: when the mock received it, its journal number, itself."""

    received_at_ms: int
    seq: int
    event: dict[str, Any]


def parse_hour(text: str | None, name: str) -> int:
    """``YYYYMMDDTHH`` (UTC) -> hours since the epoch; ExportError 400 otherwise."""
    if not text:
        raise ExportError(400, f"{name} is required (YYYYMMDDTHH)")
    try:
        parsed = datetime.strptime(text, HOUR_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise ExportError(400, f"{name} must be YYYYMMDDTHH, got {text!r}") from None
    if len(text) != len("20240101T00"):
        raise ExportError(400, f"{name} must be YYYYMMDDTHH, got {text!r}")
    return int(parsed.timestamp()) // HOUR_S


def parse_range(start: str | None, end: str | None) -> tuple[int, int]:
    """The inclusive hour range of a request; ExportError 400 when malformed or too long."""
    first, last = parse_hour(start, "start"), parse_hour(end, "end")
    if last < first:
        raise ExportError(400, "end must not be before start")
    if last - first + 1 > MAX_RANGE_HOURS:
        raise ExportError(400, "the range is longer than 365 days")
    return first, last


def app_number(api_key: str) -> int:
    """A stable project number for a key (the export's ``app``)."""
    return 100_000 + sum(api_key.encode()) % 900_000


def amplitude_id(api_key: str, event: dict[str, Any]) -> int:
    """A stable id per user of a project (by ``user_id``, else ``device_id``)."""
    who = event.get("user_id") or event.get("device_id") or ""
    digest = hashlib.blake2b(f"{api_key}\0{who}".encode(), digest_size=6).digest()
    return int.from_bytes(digest, "big")


def _time(ms: int | float) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime(TIME_FORMAT)


def _event_properties(event: dict[str, Any]) -> dict[str, Any]:
    props = (
        dict(event["event_properties"]) if isinstance(event.get("event_properties"), dict) else {}
    )
    for field, name in REVENUE.items():
        if field in event:
            props[name] = event[field]
    price = event.get("price")
    if isinstance(price, int | float) and not isinstance(price, bool):
        quantity = event.get("quantity", 1)
        props.setdefault("$quantity", quantity)
        if isinstance(quantity, int | float):
            props.setdefault("$revenue", price * quantity)
    return props


def _user_properties(event: dict[str, Any]) -> dict[str, Any]:
    """The properties an event's ``user_properties`` leave set: plain keys, ``$set`` and
    ``$setOnce`` values (operations that need earlier state are not replayed here)."""
    raw = event.get("user_properties")
    if not isinstance(raw, dict):
        return {}
    out = {k: v for k, v in raw.items() if not k.startswith("$")}
    for operation in ("$setOnce", "$set"):
        if isinstance(raw.get(operation), dict):
            out.update(raw[operation])
    return out


def export_row(api_key: str, item: Ingested) -> dict[str, Any]:
    """One event as an Export API line."""
    event, received = item.event, _time(item.received_at_ms)
    sent_ms = event.get("time")
    client_time = _time(sent_ms) if isinstance(sent_ms, int | float) else received
    app = app_number(api_key)
    row: dict[str, Any] = {
        "app": app,
        "$insert_id": event.get("insert_id"),
        "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"currents-sim:{api_key}:{item.seq}")),
        "amplitude_id": amplitude_id(api_key, event),
        "event_id": event.get("event_id", item.seq),
        "session_id": event.get("session_id", -1),
        "event_time": client_time,
        "client_event_time": client_time,
        "client_upload_time": received,
        "server_upload_time": received,
        "server_received_time": received,
        "processed_time": received,
        "event_properties": _event_properties(event),
        "user_properties": _user_properties(event),
        "data": {},
    }
    for field, name in COPIED.items():
        row[name] = event.get(field)
    if row["groups"] is None:
        row["groups"] = {}
    if row["group_properties"] is None:
        row["group_properties"] = {}
    return row


def archive(
    api_key: str, items: Iterable[Ingested], first_hour: int, last_hour: int
) -> bytes | None:
    """The zip of the events received in hours ``first_hour..last_hour`` (None: no data)."""
    by_hour: dict[int, list[bytes]] = {}
    for item in items:
        hour = item.received_at_ms // 1000 // HOUR_S
        if first_hour <= hour <= last_hour:
            by_hour.setdefault(hour, []).append(orjson.dumps(export_row(api_key, item)))
    if not by_hour:
        return None
    app = app_number(api_key)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zipped:
        for hour in sorted(by_hour):
            at = datetime.fromtimestamp(hour * HOUR_S, UTC)
            name = f"{app}/{app}_{at:%Y-%m-%d}_{at.hour}#0.json.gz"
            lines = b"\n".join(by_hour[hour]) + b"\n"
            zipped.writestr(name, gzip.compress(lines, mtime=0))
    return out.getvalue()
