"""Braze-shaped error answers of the shell, and the admin views' 400.

The partner endpoints' own errors (400/401/423) are rendered by the core
(``simulator.braze.cohort_import``); this module covers what the shell rejects before the core
sees a body (unreadable JSON) and bad ``/_mock/braze`` requests.
"""

from __future__ import annotations

from flask import Blueprint, Response

from mocks.braze.wire import respond
from simulator.braze import Reply

INVALID_JSON = Reply(400, {"message": "Request body must be valid JSON"})


class BrazeAdminError(Exception):
    """A bad ``/_mock/braze`` request: answered 400 ``{"code": 400, "error": ...}``."""


def register(bp: Blueprint) -> None:
    @bp.errorhandler(BrazeAdminError)
    def _admin_error(exc: BrazeAdminError) -> Response:
        return respond(Reply(400, {"code": 400, "error": str(exc)}))
