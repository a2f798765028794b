"""``currents-sim conformance --received http://HOST:PORT --api-key K --secret-key S``: what a
served mock (or Amplitude itself) received, read through the Export API (HTTP lives here).

``GET /api/2/export`` with Basic ``K:S`` over the longest range the API takes (365 days, the
last hour being the mock clock's now, read through ``MockAdmin``; the wall clock for a server
without one). The zip goes to a temporary file that ``cli.conformance`` reads as any export
archive; a 404 (no data in the range) is an export with no events.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import requests

from cli.errors import CliError
from clients.admin import MockAdmin
from clients.transport import MockAdminError

TIMEOUT_S = 300.0
CLOCK_TIMEOUT_S = 30.0
RANGE_HOURS = 365 * 24  # [EXP]: at most 365 days at once
HOUR_MS = 3600 * 1000


def is_url(item: str) -> bool:
    return item.startswith(("http://", "https://"))


def _now_ms(session: requests.Session, url: str) -> int:
    """The mock clock's now (ms), or the wall clock's for a server without a mock clock (no
    answer, an error status, or an answer that is not the mock's)."""
    try:
        return MockAdmin(url, session=session, timeout_s=CLOCK_TIMEOUT_S).now_ms()
    except (MockAdminError, KeyError, TypeError, ValueError, AttributeError):
        return int(time.time() * 1000)


def _hour(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y%m%dT%H")


def download(url: str, api_key: str, secret_key: str, folder: Path) -> Path | None:
    """The export archive of the whole range as a file in ``folder``; None when empty (404)."""
    base = url.rstrip("/")
    with requests.Session() as session:
        now = _now_ms(session, base)
        params = {"start": _hour(now - (RANGE_HOURS - 1) * HOUR_MS), "end": _hour(now)}
        try:
            answer = session.get(
                f"{base}/api/2/export", params=params, auth=(api_key, secret_key), timeout=TIMEOUT_S
            )
        except requests.RequestException as exc:
            raise CliError(f"{base}: cannot reach the Export API ({type(exc).__name__})") from exc
    if answer.status_code == 404:
        return None
    if answer.status_code != 200:
        raise CliError(f"{base}/api/2/export: HTTP {answer.status_code} {answer.text[:200]}")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "export.zip"
    path.write_bytes(answer.content)
    return path
