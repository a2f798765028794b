"""The sandbox dashboard: ``GET /`` and ``GET /_mock/ui`` serve ``mocks/static/index.html``,
``GET /ui/<file>`` its script and style sheet (outside ``/_mock``: they hold no data, so they
load without the admin token; the page sends the token, when given as ``/#token=...``, on its
calls). Plain HTML, CSS and JavaScript committed
as they are served (no build step, no CDN: it works offline); the page reads ``/_mock/stream``
for live updates and the ``/_mock`` admin API for its views and controls."""

from __future__ import annotations

from importlib import resources

from flask import Blueprint, Flask, Response, abort

bp = Blueprint("dashboard", __name__)
ASSETS = {  # the only files served, with their types
    "index.html": "text/html; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


def _asset(name: str) -> Response:
    if name not in ASSETS:
        abort(404)
    text = resources.files("mocks").joinpath("static", name).read_bytes()
    return Response(text, content_type=ASSETS[name], headers={"Cache-Control": "no-cache"})


@bp.get("/")
def home() -> Response:
    return _asset("index.html")


@bp.get("/_mock/ui")
def ui() -> Response:
    return _asset("index.html")


@bp.get("/ui/<name>")
def asset(name: str) -> Response:
    return _asset(name)
