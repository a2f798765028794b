"""Bearer-token guard of the admin API: with config ``ADMIN_TOKEN`` set, every ``/_mock/...``
request must carry ``Authorization: Bearer <token>`` (401 otherwise).

Why: the admin API can reset every key's data, rewrite the clock and inject faults; a mock bound
to a non-loopback address is reachable by anyone on the network, so ``currents-sim serve``
refuses to expose it without a token (or an explicit ``--insecure-admin``). Ingestion and the
partner APIs keep their own (Amplitude- and Braze-shaped) authentication.
"""

from __future__ import annotations

import hmac

from flask import Flask, Response, request

from mocks.app import json_response

ADMIN_PREFIX = "/_mock/"


def init_app(app: Flask) -> None:
    token = app.config.get("ADMIN_TOKEN")
    if token:
        app.before_request(lambda: _refuse_without(str(token)))


def _refuse_without(token: str) -> Response | None:
    """None (go on) unless an admin path lacks the right bearer token."""
    if not request.path.startswith(ADMIN_PREFIX):
        return None
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
        return None
    body = {"code": 401, "error": "the admin API needs Authorization: Bearer <admin token>"}
    response = json_response(body, 401)
    response.headers["WWW-Authenticate"] = 'Bearer realm="currents-sim admin"'
    return response
