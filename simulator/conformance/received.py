"""What Amplitude received, in any of the shapes a user can capture, as HTTP API events.

``received_events(doc)`` takes one parsed JSON value and yields the Amplitude events in it:

- an Amplitude HTTP API event (``{"event_type": ..., "insert_id": ...}``) as is;
- a ``/2/httpapi`` or ``/batch`` request body (``{"api_key": ..., "events": [...]}``), or a saved
  page of ``GET /_mock/events`` (``{"events": [...], "next_cursor": ...}``): its events;
- an entry of the mock's journal (``GET /_mock/events``: the event as received plus
  ``outcome``, ``received_at``, ``request_id``...): the event, only when Amplitude kept it
  (``ingested``) or accepted it as a repeat (``deduplicated``), journal keys removed;
- an Amplitude Export API line (``$insert_id``, ``event_time``...): mapped back with
  ``from_export``.

Export API format (https://amplitude.com/docs/apis/analytics/export): a zip archive of
gzipped JSON files, one event per line, with the fields of the export schema
(``server_received_time``, ``$insert_id``, ``event_time``, ``client_event_time``, ``user_id``,
``device_id``, ``event_type``, ``event_properties``, ``library``, ``idfa``, ``adid``, ...; times as
UTC timestamps such as ``"2021-12-09 00:45:29.430000"``). The mapping keeps the fields Braze
sends and drops what Amplitude adds (``amplitude_id``, ``uuid``, ``city``...):
``$insert_id`` -> ``insert_id``; ``client_event_time`` (the ``time`` the sender gave; ``event_time``
is adjusted by Amplitude for clock skew, so it is only the fallback) -> ``time`` in ms; null
``user_id`` / ``device_id`` dropped; ``$productId`` / ``$price`` in ``event_properties`` ->
top-level ``productId`` / ``price``, and ``$quantity`` / ``$revenue`` / ``$revenueType`` that
Amplitude derives from them removed [inference: Amplitude stores revenue fields as ``$``-
prefixed event properties].
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

# Keys the mock's journal adds to each event (amp-mock: ``Entry.to_dict``).
JOURNAL_KEYS = ("outcome", "received_at", "request_id", "api_key", "reason", "seq")
KEPT_OUTCOMES = frozenset({"ingested", "deduplicated"})

_EXPORT_MARKERS = ("$insert_id", "amplitude_id", "event_time", "server_upload_time")
_EXPORT_KEPT = ("event_type", "user_id", "device_id", "library", "idfa", "adid")
_REVENUE_BACK = {"$productId": "productId", "$price": "price"}
_REVENUE_DERIVED = ("$quantity", "$revenue", "$revenueType")


def received_events(doc: Any) -> Iterator[Any]:
    if isinstance(doc, dict):
        events = doc.get("events")
        if isinstance(events, list) and "event_type" not in doc:  # a request body or a page
            for event in events:  # of /_mock/events
                yield from received_events(event)
            return
        if "outcome" in doc:
            if doc["outcome"] in KEPT_OUTCOMES:
                yield {k: v for k, v in doc.items() if k not in JOURNAL_KEYS}
            return
        if "insert_id" not in doc and any(key in doc for key in _EXPORT_MARKERS):
            yield from_export(doc)
            return
    yield doc


def export_time_ms(value: Any) -> int | None:
    """``"2021-12-09 00:45:29.430000"`` (UTC; ``T`` and a zone suffix also accepted) -> ms."""
    if not isinstance(value, str) or not value:
        return None
    text = value.strip().replace(" ", "T", 1)
    if text.endswith("Z"):
        text = text[:-1]
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return round(parsed.timestamp() * 1000)


def from_export(line: dict[str, Any]) -> dict[str, Any]:
    """One Export API event mapped back to the HTTP API fields Braze sends."""
    out: dict[str, Any] = {}
    for key in _EXPORT_KEPT:
        value = line.get(key)
        if value is not None:
            out[key] = value
    if line.get("$insert_id") is not None:
        out["insert_id"] = line["$insert_id"]
    time = export_time_ms(line.get("client_event_time")) or export_time_ms(line.get("event_time"))
    if time is not None:
        out["time"] = time
    props = line.get("event_properties")
    if isinstance(props, dict):
        props = dict(props)
        for source, target in _REVENUE_BACK.items():
            if source in props:
                out[target] = props.pop(source)
        for key in _REVENUE_DERIVED:
            props.pop(key, None)
        out["event_properties"] = props
    elif props is not None:
        out["event_properties"] = props
    return out
