"""Reading a live mock for ``currents-sim conformance --mock URL --api-key K`` (HTTP lives here,
outside the pure core, in ``clients.MockAdmin``): the journal of one API key (every outcome, every
page), its request log and the mock clock; a failed call becomes a ``CliError``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeVar

import requests

from cli.errors import CliError
from clients.admin import MockAdmin
from clients.transport import MockAdminError

T = TypeVar("T")


class MockReader:
    def __init__(self, url: str, api_key: str, session: requests.Session | None = None) -> None:
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.admin = MockAdmin(self.url, api_key=api_key, session=session)

    def journal(self) -> Iterator[dict[str, Any]]:
        """Every journaled event of the key, whatever its outcome, in arrival order."""
        return _as_cli_errors(self.admin.iter_events(outcome="all"))

    def requests(self) -> list[dict[str, Any]]:
        try:
            return self.admin.requests()
        except MockAdminError as exc:
            raise CliError(str(exc)) from None

    def now_ms(self) -> int | None:
        """The mock clock's time; None when the answer has none."""
        try:
            return self.admin.clock().now_ms
        except MockAdminError as exc:
            raise CliError(str(exc)) from None
        except (KeyError, TypeError, ValueError):
            return None


def _as_cli_errors(items: Iterator[T]) -> Iterator[T]:
    try:
        yield from items
    except MockAdminError as exc:
        raise CliError(str(exc)) from None
