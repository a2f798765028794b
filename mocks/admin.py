"""The control plane under ``/_mock`` (documented in ``mocks/openapi.json``).

``health``, ``events`` (journal, filtered and paged), ``requests`` (request log), ``reset``,
``properties`` (what identify operations set, per user or group),
``clock`` (read / set / advance / scale: every window, quota, dedupe horizon and key expiry
follows it), ``keys``, ``faults``, ``stats`` and ``wait`` (block until N matching events).
Times are integer milliseconds on the mock clock. Errors are ``{"code": 400, "error": ...}``.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from flask import Blueprint, Flask, Response, current_app, request

from mocks.app import json_response, model_of
from simulator.amplitude import OUTCOMES, AmplitudeModel, Fault
from simulator.amplitude.journal import FILTERS
from simulator.clock import SettableClock

bp = Blueprint("mock_admin", __name__, url_prefix="/_mock")
MAX_LIMIT = 10_000
MAX_WAIT_S = 300.0


class AdminError(Exception):
    """A bad admin request: answered 400 with the message."""


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


@bp.errorhandler(AdminError)
def _admin_error(exc: AdminError) -> Response:
    return json_response({"code": 400, "error": str(exc)}, 400)


def _model() -> AmplitudeModel:
    return model_of(current_app)


def _json_body() -> dict[str, Any]:
    if not request.get_data():
        return {}
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise AdminError("the body must be a JSON object")
    return body


def _int(value: Any, name: str, *, low: int = 0, high: int | None = None) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise AdminError(f"{name} must be an integer") from None
    if number < low or (high is not None and number > high):
        raise AdminError(f"{name} must be within [{low}, {high if high is not None else 'inf'}]")
    return number


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise AdminError(f"{name} must be a number")
    return float(value)


def _filters(source: Any) -> dict[str, str | None]:
    """Journal filters; ``outcome`` defaults to ``ingested`` and ``all`` lifts it."""
    filters = {name: source.get(name) for name in FILTERS}
    outcome = filters.get("outcome") or "ingested"
    if outcome == "all":
        filters["outcome"] = None
    elif outcome not in OUTCOMES:
        raise AdminError(f"outcome must be one of {', '.join(OUTCOMES)} or all")
    else:
        filters["outcome"] = outcome
    for name, value in filters.items():
        if value is not None and not isinstance(value, str):
            raise AdminError(f"{name} must be a string")
    return filters


@bp.get("/health")
def health() -> Response:
    model = _model()
    return json_response(
        {"status": "ok", "sandbox": model.sandbox, "now_ms": int(model.clock.now() * 1000)}
    )


@bp.get("/openapi.json")
def openapi() -> Response:
    text = resources.files("mocks").joinpath("openapi.json").read_bytes()
    return Response(text, mimetype="application/json")


@bp.get("/events")
def events() -> Response:
    args = request.args
    limit = _int(args.get("limit", 100), "limit", low=1, high=MAX_LIMIT)
    page = _model().events(limit=limit, cursor=_cursor(args.get("cursor")), **_filters(args))
    return json_response(
        {"total": page.total, "events": page.items, "next_cursor": page.next_cursor}
    )


@bp.get("/requests")
def requests_log() -> Response:
    args = request.args
    limit = _int(args.get("limit", 100), "limit", low=1, high=MAX_LIMIT)
    page = _model().requests(
        api_key=args.get("api_key"), limit=limit, cursor=_cursor(args.get("cursor"))
    )
    return json_response(
        {"total": page.total, "requests": page.items, "next_cursor": page.next_cursor}
    )


def _cursor(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    return str(_int(value, "cursor"))


@bp.post("/reset")
def reset() -> Response:
    api_key = _json_body().get("api_key")
    if api_key is not None and not isinstance(api_key, str):
        raise AdminError("api_key must be a string")
    _model().reset(api_key)
    return json_response({"reset": api_key or "all"})


def _clock_state(model: AmplitudeModel) -> dict[str, Any]:
    clock = model.clock
    scale = clock.scale if isinstance(clock, SettableClock) else None
    return {"now_ms": int(clock.now() * 1000), "scale": scale}


@bp.route("/clock", methods=["GET", "POST"])
def clock() -> Response:
    model = _model()
    if request.method == "POST":
        body, clk = _json_body(), model.clock
        if not isinstance(clk, SettableClock):
            raise AdminError("this mock's clock cannot be changed")
        try:
            if "set" in body:
                clk.set(_number(body["set"], "set") / 1000.0)
            if "advance_s" in body:
                clk.advance(_number(body["advance_s"], "advance_s"))
            if "scale" in body:
                clk.set_scale(_number(body["scale"], "scale"))
        except ValueError as exc:
            raise AdminError(str(exc)) from None
        if not {"set", "advance_s", "scale"} & set(body):
            raise AdminError("give one of set (ms), advance_s or scale")
    return json_response(_clock_state(model))


@bp.get("/keys")
def keys() -> Response:
    return json_response(_model().keys())


@bp.post("/keys")
def add_key() -> Response:
    body = _json_body()
    key = body.get("key")
    if not isinstance(key, str) or not key:
        raise AdminError("key must be a non-empty string")
    expires = body.get("expires_at")
    expires_s = None if expires is None else _number(expires, "expires_at") / 1000.0
    model = _model()
    model.add_key(key, expires_s)
    return json_response(model.keys(), 201)


@bp.delete("/keys/<key>")
def revoke_key(key: str) -> Response:
    model = _model()
    model.revoke_key(key)
    return json_response(model.keys())


@bp.get("/faults")
def faults() -> Response:
    return json_response({"faults": _model().fault_rules()})


@bp.post("/faults")
def add_faults() -> Response:
    body = _json_body()
    specs = body["faults"] if isinstance(body.get("faults"), list) else [body]
    parsed = []
    for spec in specs:
        if not isinstance(spec, dict):
            raise AdminError("each fault must be an object")
        try:
            parsed.append(Fault(**spec))
        except (TypeError, ValueError) as exc:
            raise AdminError(f"bad fault: {exc}") from None
    model = _model()
    for fault in parsed:
        model.add_fault(fault)
    return json_response({"faults": model.fault_rules()}, 201)


@bp.delete("/faults")
def clear_faults() -> Response:
    _model().clear_faults()
    return json_response({"faults": []})


@bp.get("/properties")
def properties() -> Response:
    """Properties set by identify operations: a user's (``user_id`` or ``device_id``) or a
    group's (``group_type`` + ``group_value``); 404 when none were ever set."""
    args, model = request.args, _model()
    api_key = args.get("api_key")
    if not api_key:
        raise AdminError("api_key is required")
    if args.get("group_type") is not None:
        found = model.group_properties(api_key, args["group_type"], args.get("group_value", ""))
    elif args.get("user_id") is not None or args.get("device_id") is not None:
        found = model.user_properties(
            api_key, user_id=args.get("user_id"), device_id=args.get("device_id")
        )
    else:
        raise AdminError("give user_id, device_id, or group_type and group_value")
    if found is None:
        return json_response({"code": 404, "error": "no properties set"}, 404)
    return json_response({"properties": found})


@bp.get("/stats")
def stats() -> Response:
    return json_response(_model().stats())


@bp.post("/wait")
def wait() -> Response:
    """Block until ``count`` journal entries match (or ``timeout_s``): 200, or 408 on timeout."""
    body = _json_body()
    wanted = _int(body.get("count", 1), "count", low=0)
    timeout = min(_number(body.get("timeout_s", 10), "timeout_s"), MAX_WAIT_S)
    filters = {k: v for k, v in _filters(body).items() if v is not None}
    matched = _model().wait_for(wanted, filters, timeout)
    ok = matched >= wanted
    return json_response({"ok": ok, "matched": matched, "count": wanted}, 200 if ok else 408)
