"""HTTP clients of the served mocks, for this project's shells and for users' own code.

``MockAdmin`` drives the ``/_mock`` admin API (``mocks/openapi.json``) of a served mock; its
``braze`` attribute drives ``/_mock/braze``. ``HttpSink`` (``clients.http_sink``) is the
connector's sink over HTTP and ``clients.cohorts`` holds the cohort-sync adapters. None of them
imports Flask: a test suite can drive a mock served elsewhere with ``requests`` alone.
``clients.keepalive`` is the kept-alive ``POST`` of the relay's sink and of the senders.

The names below are imported when first used (PEP 562), so that importing ``clients.keepalive``
does not import ``requests`` into the relay and the senders.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clients.admin import ClockState, MockAdmin, WaitResult
    from clients.transport import MockAdminError

__all__ = ["ClockState", "MockAdmin", "MockAdminError", "WaitResult"]
_HOMES = {
    "ClockState": "clients.admin",
    "MockAdmin": "clients.admin",
    "WaitResult": "clients.admin",
    "MockAdminError": "clients.transport",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'clients' has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
