"""CORS, so a browser page on any origin can use the mock as it uses api2.amplitude.com.

Amplitude answers ``Access-Control-Allow-Origin: *`` on its ingestion host (a maintainer in
amplitude/Amplitude-Kotlin#149: "Amplitude APIs are expected to be called from multiple
domains ... Which is why the access control header is set to ``*``") and answers the browser's
preflight permissively (amplitude/Amplitude-JavaScript#543). The browser SDK
(``@amplitude/analytics-browser``, ``transports/fetch.js``) posts JSON with
``Content-Type: application/json``, which a browser only sends after a preflight ``OPTIONS``;
without the headers it cannot read any answer and retries the batch until it gives up.

So: every response of the mock carries ``Access-Control-Allow-Origin: *`` (errors included),
and ``OPTIONS`` on any path is answered 204 with the allowed methods and the headers the
browser asked for. A WSGI middleware, outermost, so it also covers the fast upload path.
"""

from __future__ import annotations

from typing import Any

ALLOW_ORIGIN = ("Access-Control-Allow-Origin", "*")
ALLOWED_METHODS = "GET, POST, OPTIONS"
DEFAULT_ALLOWED_HEADERS = "Content-Type, Content-Encoding, Authorization"
MAX_AGE_S = "86400"


class Cors:
    """Adds the CORS headers to every response and answers preflights."""

    def __init__(self, wsgi_app: Any) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("REQUEST_METHOD") == "OPTIONS":
            return self._preflight(environ, start_response)

        def with_origin(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
            if not any(name.lower() == "access-control-allow-origin" for name, _ in headers):
                headers = [*headers, ALLOW_ORIGIN]
            return start_response(status, headers, *exc)

        return self.wsgi_app(environ, with_origin)

    @staticmethod
    def _preflight(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        """204 with what the browser asked to send (its requested headers echoed back)."""
        requested = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS") or DEFAULT_ALLOWED_HEADERS
        start_response(
            "204 No Content",
            [
                ALLOW_ORIGIN,
                ("Access-Control-Allow-Methods", ALLOWED_METHODS),
                ("Access-Control-Allow-Headers", requested),
                ("Access-Control-Max-Age", MAX_AGE_S),
                ("Content-Length", "0"),
            ],
        )
        return []
