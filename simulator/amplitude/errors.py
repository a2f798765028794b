"""Domain outcomes of an upload, each knowing Amplitude's exact response body.

The body *is* the protocol here: both official SDKs act on ``body["code"]``, not on the HTTP
status line (Amplitude-Python ``src/amplitude/http_client.py`` ``Response.parse``;
analytics-core ``lib/esm/transports/base.js`` ``responseJSON.code || 0``), so the core renders
the body and the HTTP shell only copies ``status`` to the status line. Shapes: AMPLITUDE_API.md
§3 (from [V2] and [BATCH]); every body carries an integer ``code`` equal to ``status``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

Body = dict[str, Any]

INVALID_JSON = "Invalid JSON request body"
MISSING_FIELD = "Request missing required field"
MISSING_BODY = "Missing request body"
INVALID_EVENT_JSON = "Invalid event JSON"
INVALID_FIELDS = "Invalid field values on some events"
INVALID_ID_LENGTH = "Invalid id length for user_id or device_id"
TOO_LARGE = "Payload too large"
THROTTLED = "Too many requests for some devices and users"
SILENCED = "Events silenced for device_id"
# AMPLITUDE_API.md §6.1: the Identify API answers 400 "missing_event" for a bad identification.
MISSING_EVENT = "missing_event"


@dataclass(frozen=True)
class UploadResult:
    """What an upload gets back: a status and the exact body the HTTP mock sends.

    ``body`` is None only for injected faults with a non-JSON body (then ``text`` holds it,
    possibly empty). ``latency_s`` and ``drop`` are injected faults the caller carries out
    (the HTTP shell sleeps or cuts the connection; an in-process caller adds simulated time).
    """

    status: int
    body: Body | None
    text: str | None = None
    latency_s: float = 0.0
    drop: bool = False

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def reason(status: int) -> str:
    """The standard reason phrase of a status (``"Bad Gateway"``), or ``"Error"``."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def success(ingested: int, size_bytes: int, now_ms: int) -> UploadResult:
    """[V2] §3.1: ``{"code":200,"events_ingested","payload_size_bytes","server_upload_time"}``."""
    return UploadResult(
        200,
        {
            "code": 200,
            "events_ingested": ingested,
            "payload_size_bytes": size_bytes,
            "server_upload_time": now_ms,
        },
    )


def bad_request(error: str, **fields: Any) -> UploadResult:
    """A 400 with ``error`` and any extra keys (``missing_field``, ``events_with_*``)."""
    return UploadResult(400, {"code": 400, "error": error, **fields})


def invalid_api_key(key: str) -> UploadResult:
    """Observed wording ``"Invalid API key: <key>"`` (Amplitude-Swift#260, Amplitude-Kotlin#215).

    Python 1.3.0 recognises exactly this prefix with its colon (``processor.py``).
    """
    return bad_request(f"Invalid API key: {key}")


def silenced(devices: list[str], indices: list[int], eps_threshold: int) -> UploadResult:
    """[V2] documented example (AMPLITUDE_API.md §3.2): the "silenced" 400 carries the throttle
    keys too. Both SDKs drop ``silenced_events`` and resend the rest (Python ``http_client.py``
    ``invalid_or_silenced_index``; analytics-core ``destination.js`` ``handleInvalidResponse``)."""
    return bad_request(
        SILENCED,
        eps_threshold=eps_threshold,
        exceeded_daily_quota_devices={},
        silenced_devices=devices,
        silenced_events=indices,
        throttled_devices={},
        throttled_events=[],
    )


def payload_too_large() -> UploadResult:
    """[V2], [BATCH]: ``{"code":413,"error":"Payload too large"}``."""
    return UploadResult(413, {"code": 413, "error": TOO_LARGE})


@dataclass(frozen=True)
class Throttled:
    """A 429 verdict: the per-id rates and quota counts that caused it, and the indices."""

    eps_threshold: int
    throttled_devices: dict[str, int] = field(default_factory=dict)
    throttled_users: dict[str, int] = field(default_factory=dict)
    exceeded_daily_quota_users: dict[str, int] = field(default_factory=dict)
    exceeded_daily_quota_devices: dict[str, int] = field(default_factory=dict)
    throttled_events: list[int] = field(default_factory=list)

    def result(self) -> UploadResult:
        """[BATCH] full variant (AMPLITUDE_API.md §3.5): every key present, quota keys as maps."""
        return UploadResult(
            429,
            {
                "code": 429,
                "error": THROTTLED,
                "eps_threshold": self.eps_threshold,
                "throttled_devices": self.throttled_devices,
                "throttled_users": self.throttled_users,
                "throttled_events": self.throttled_events,
                "exceeded_daily_quota_users": self.exceeded_daily_quota_users,
                "exceeded_daily_quota_devices": self.exceeded_daily_quota_devices,
            },
        )
