"""Reading a live mock for ``currents-sim conformance --mock URL --api-key K`` (HTTP lives here,
outside the pure core): the journal of one API key (every outcome, paged through
``GET /_mock/events``), its request log (``GET /_mock/requests``) and the mock clock."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import requests

from cli.errors import CliError

PAGE = 10_000
TIMEOUT_S = 60.0


class MockReader:
    def __init__(self, url: str, api_key: str, session: requests.Session | None = None) -> None:
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.session = session or requests.Session()

    def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        try:
            response = self.session.get(f"{self.url}{path}", params=params, timeout=TIMEOUT_S)
        except requests.RequestException as exc:
            raise CliError(f"{self.url}: cannot reach the mock ({type(exc).__name__})") from exc
        if response.status_code != 200:
            raise CliError(f"{self.url}{path}: HTTP {response.status_code} {response.text[:200]}")
        try:
            return response.json()
        except ValueError as exc:
            raise CliError(f"{self.url}{path}: the answer is not JSON") from exc

    def _paged(self, path: str, key: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        params = {**params, "api_key": self.api_key, "limit": PAGE}
        while True:
            page = self._get(path, params)
            items = page.get(key) if isinstance(page, dict) else None
            if not isinstance(items, list):
                raise CliError(f"{self.url}{path}: unexpected answer (no '{key}' list)")
            yield from items
            cursor = page.get("next_cursor")
            if cursor is None:
                return
            params["cursor"] = cursor

    def journal(self) -> Iterator[dict[str, Any]]:
        """Every journaled event of the key, whatever its outcome, in arrival order."""
        return self._paged("/_mock/events", "events", {"outcome": "all"})

    def requests(self) -> list[dict[str, Any]]:
        return list(self._paged("/_mock/requests", "requests", {}))

    def now_ms(self) -> int | None:
        clock = self._get("/_mock/clock")
        now = clock.get("now_ms") if isinstance(clock, dict) else None
        return int(now) if isinstance(now, int | float) else None
