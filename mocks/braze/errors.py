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
    """A bad ``/_mock/braze`` request: answered ``status`` ``{"code": status, "error": ...}``."""

    status = 400


class NotFound(BrazeAdminError):
    """The workspace, user or cohort named does not exist (a well-formed request): 404."""

    status = 404


class Ambiguous(BrazeAdminError):
    """No ``client_secret`` while several workspaces exist: which one depends on the mock's
    state, not on the request's form, so 409 (the request conflicts with the current state)."""

    status = 409


def register(bp: Blueprint) -> None:
    @bp.errorhandler(BrazeAdminError)
    def _admin_error(exc: BrazeAdminError) -> Response:
        return respond(Reply(exc.status, {"code": exc.status, "error": str(exc)}))
