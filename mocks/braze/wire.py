"""Bytes <-> core for the Braze mock: JSON bodies in, ``Reply`` out.

The body is parsed as JSON whatever ``Content-Type`` says (partners' HTTP clients differ).
"""

from __future__ import annotations

from typing import Any

import orjson
from flask import Request, Response

from simulator.braze import Reply

MAX_BODY = 4 * 1024 * 1024  # far above 1,000 ids; a guard, not a Braze limit


class Unreadable(Exception):
    """The body is not JSON."""


def parse_body(request: Request) -> Any:
    raw = request.get_data(cache=False)[: MAX_BODY + 1]
    if len(raw) > MAX_BODY:
        raise Unreadable("body too large")
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise Unreadable("invalid JSON") from None


def respond(reply: Reply) -> Response:
    return Response(orjson.dumps(reply.body), status=reply.status, mimetype="application/json")
