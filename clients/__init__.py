"""HTTP clients of the served mocks, for this project's shells and for users' own code.

``MockAdmin`` drives the ``/_mock`` admin API (``mocks/openapi.json``) of a served mock; its
``braze`` attribute drives ``/_mock/braze``. ``HttpSink`` (``clients.http_sink``) is the
connector's sink over HTTP and ``clients.cohorts`` holds the cohort-sync adapters. None of them
imports Flask: a test suite can drive a mock served elsewhere with ``requests`` alone.
"""

from clients.admin import ClockState, MockAdmin, WaitResult
from clients.transport import MockAdminError

__all__ = ["ClockState", "MockAdmin", "MockAdminError", "WaitResult"]
