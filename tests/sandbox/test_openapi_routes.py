"""Every route the sandbox adds outside ``/_mock`` is documented in ``mocks/openapi.json``."""

from __future__ import annotations

from mocks.app import create_app

SANDBOX_ROUTES = {"/", "/metrics", "/livez", "/readyz", "/_mock/stream"}


def test_sandbox_routes_are_served_and_documented():
    app = create_app(seed=0)
    doc = app.test_client().get("/_mock/openapi.json").json
    served = {str(rule) for rule in app.url_map.iter_rules()}
    assert served >= SANDBOX_ROUTES
    assert set(doc["paths"]) >= SANDBOX_ROUTES
