"""Amplitude's ingestion limits as data, each with the source of the number.

Sources are the tags of ``AMPLITUDE_API.md`` (the team's fact sheet): [V2] the HTTP V2 API page,
[BATCH] the Batch Event Upload page, [DEBUG] the SDK debugging page. Every limit is a field of
``Limits`` so tests, ``serve`` options and the connector model can change it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MIB = 1024 * 1024

# [V2] "Invalid IDs" collapse: values refused as user_id/device_id (AMPLITUDE_API.md §2.5.2).
BLOCKED_IDS: frozenset[str] = frozenset(
    {
        "anonymous",
        "nil",
        "none",
        "null",
        "n/a",
        "na",
        "undefined",
        "unknown",
        "",
        '""',
        "00000000-0000-0000-0000-000000000000",
        "{}",
        "lmy47d",
        "0",
        "-1",
    }
)


@dataclass(frozen=True)
class Limits:
    """Every number the model enforces. Defaults are Amplitude's documented values."""

    # [V2], [FAQ]: 30 events/s per device_id and per user_id on /2/httpapi.
    eps_httpapi: int = 30
    # [BATCH]: 1000 events per device-second / user-second on /batch.
    eps_batch: int = 1000
    # [BATCH] "EPDS ... averaged over 30 seconds": the sliding throttle window.
    window_s: int = 30
    # [BATCH] "Daily limit": 500,000 events per id over a rolling 24 h in one-hour steps.
    # None disables the quota.
    daily_quota: int | None = 500_000
    quota_window_s: int = 24 * 3600
    quota_bucket_s: int = 3600
    # [V2], [BATCH]: at most 2000 events per request (413 above; "up to 2,000" [V2-new]).
    max_events: int = 2000
    # [V2]: keep requests under 1 MB (read as MiB); [BATCH]: 20 MB. Measured after gunzip.
    max_bytes_httpapi: int = 1 * MIB
    max_bytes_batch: int = 20 * MIB
    # [V2]: same insert_id (+ device_id) within the past 7 days is ignored.
    dedupe_s: int = 7 * 24 * 3600
    # [V2] "Options": default minimum length of user_id/device_id.
    min_id_length: int = 5
    # [V2] event table: "Nesting depth <= 40" for property objects.
    max_nesting_depth: int = 40
    blocked_ids: frozenset[str] = field(default=BLOCKED_IDS)
    # AMPLITUDE_API.md §12.4: $groupidentify without ids is undocumented; Python sends it.
    groupidentify_needs_id: bool = False
    # §12.6: whether a deduplicated event counts in events_ingested is unknown; configurable.
    count_duplicates_as_ingested: bool = True
    # Export API [EXP]: data can be exported "within 2 hours" of arrival; the mock's default is
    # at once (``serve --export-delay 2h`` follows the doc). Seconds on the model clock.
    export_delay_s: float = 0.0
    # Bounds on what the model keeps (a long soak never runs out of memory).
    max_journal: int = 1_000_000
    max_request_log: int = 100_000

    def eps_for(self, endpoint: str) -> int:
        """The per-id events-per-second threshold of an endpoint (``batch`` or anything else)."""
        return self.eps_batch if endpoint == "batch" else self.eps_httpapi

    def max_bytes_for(self, endpoint: str) -> int:
        return self.max_bytes_batch if endpoint == "batch" else self.max_bytes_httpapi
