"""One way to call a served mock's admin API: a base URL, an optional admin token, JSON in and
out, every failure as one exception type (``MockAdminError``) carrying the status and the parsed
body, and paging that reads every page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
import requests

NO_ANSWER = 0  # the status of a request that got no HTTP answer (refused, reset, timed out)
OK = (200, 201)


class MockAdminError(Exception):
    """An admin call that failed: ``status`` is the HTTP status (``NO_ANSWER``, 0, when the mock
    could not be reached) and ``body`` the parsed JSON answer (its text when not JSON)."""

    def __init__(self, message: str, *, status: int, body: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = body


class Transport:
    """Calls ``base_url + path`` with ``Authorization: Bearer <admin_token>`` when a token is
    given; the session may be shared with other traffic (the header is set per call)."""

    def __init__(
        self,
        base_url: str,
        *,
        admin_token: str | None,
        session: requests.Session | None,
        timeout_s: float,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self.session = session or requests.Session()
        self.owns_session = session is None
        self.headers = {"Authorization": f"Bearer {admin_token}"} if admin_token else {}

    def call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: Any = None,
        ok: tuple[int, ...] = OK,
        extra_timeout_s: float = 0.0,
    ) -> Any:
        """The parsed JSON answer; ``MockAdminError`` unless the status is one of ``ok``."""
        url = self.base_url + path
        try:
            response = self.session.request(
                method,
                url,
                params=_present(params),
                data=None if body is None else orjson.dumps(body),
                headers={**self.headers, "Content-Type": "application/json"},
                timeout=self.timeout_s + extra_timeout_s,
            )
        except requests.RequestException as exc:
            raise _unreachable(method, url, exc) from exc
        parsed = _parsed(response)
        if response.status_code not in ok:
            raise MockAdminError(
                f"{method} {url}: HTTP {response.status_code} {response.text[:300]}",
                status=response.status_code,
                body=parsed,
            )
        if isinstance(parsed, str):
            raise MockAdminError(
                f"{method} {url}: the answer is not JSON", status=response.status_code, body=parsed
            )
        return parsed

    def pages(
        self, path: str, items: str, params: dict[str, Any], page_size: int
    ) -> Iterator[dict[str, Any]]:
        """Every item of a cursor-paged listing (``{items: [...], next_cursor}``), page by page."""
        query = {**params, "limit": page_size}
        while True:
            page = self.call("GET", path, params=query)
            found = page.get(items) if isinstance(page, dict) else None
            if not isinstance(found, list):
                raise MockAdminError(
                    f"GET {self.base_url}{path}: unexpected answer (no {items!r} list)",
                    status=200,
                    body=page,
                )
            yield from found
            cursor = page.get("next_cursor")
            if cursor is None:
                return
            query["cursor"] = cursor

    def lines(self, path: str, params: dict[str, Any], *, read_timeout_s: float) -> Iterator[str]:
        """The lines of a streamed answer (``GET``), as they arrive; the connection closes when
        the iterator ends or is closed."""
        url = self.base_url + path
        try:
            response = self.session.get(
                url,
                params=_present(params),
                headers=self.headers,
                stream=True,
                timeout=(self.timeout_s, read_timeout_s),
            )
        except requests.RequestException as exc:
            raise _unreachable("GET", url, exc) from exc
        with response:
            if response.status_code != 200:
                raise MockAdminError(
                    f"GET {url}: HTTP {response.status_code} {response.text[:300]}",
                    status=response.status_code,
                    body=_parsed(response),
                )
            try:
                yield from (str(line) for line in response.iter_lines(decode_unicode=True))
            except requests.RequestException as exc:
                raise _unreachable("GET", url, exc) from exc

    def close(self) -> None:
        if self.owns_session:
            self.session.close()


def _unreachable(method: str, url: str, exc: Exception) -> MockAdminError:
    return MockAdminError(
        f"{method} {url}: cannot reach the mock ({type(exc).__name__})", status=NO_ANSWER
    )


def _present(params: dict[str, Any] | None) -> dict[str, Any] | None:
    """Query parameters without the ones left out (None)."""
    if params is None:
        return None
    return {name: value for name, value in params.items() if value is not None}


def _parsed(response: requests.Response) -> Any:
    try:
        return orjson.loads(response.content)
    except orjson.JSONDecodeError:
        return response.text
