"""The control plane under ``/_mock`` (documented in ``mocks/openapi.json``).

``health``, ``events`` (journal, filtered and paged), ``requests`` (request log), ``reset``,
``properties`` (what identify operations set, per user or group),
``clock`` (read / set / advance / scale: every window, quota, dedupe horizon and key expiry
follows it), ``keys``, ``faults``, ``stats`` and ``wait`` (block until N matching events).
Times are integer milliseconds on the mock clock. Errors are ``{"code": 400, "error": ...}``.
"""

from __future__ import annotations

import threading
from importlib import resources
from typing import Any

from flask import Blueprint, Flask, Response, current_app, request

from mocks import bounds
from mocks.amplitude.cohort_routes import cohort_api_of
from mocks.app import json_response, model_of
from mocks.filters import multi_filters
from simulator.amplitude import OUTCOMES, AmplitudeModel, Fault
from simulator.amplitude.backend import ENDPOINTS
from simulator.amplitude.journal import FILTERS, any_matcher
from simulator.clock import ControllableClock, SettableClock

bp = Blueprint("mock_admin", __name__, url_prefix="/_mock")
WAITERS = "mock_admin_waiters"
FAULT_FLAGS = ("drop", "after")  # a fault rule's boolean fields


def wait_slots(threads: int) -> int:
    """Concurrent ``POST /_mock/wait`` calls a server of ``threads`` threads allows (config
    ``WAIT_SLOTS``): a quarter of them, so waits never take the threads ingestion needs."""
    return max(1, threads // 4)


class AdminError(Exception):
    """A bad admin request: answered 400 with the message."""


def init_app(app: Flask) -> None:
    slots = int(app.config.get("WAIT_SLOTS", wait_slots(16)))
    app.extensions[WAITERS] = (threading.BoundedSemaphore(slots), slots)
    app.register_blueprint(bp)


@bp.errorhandler(AdminError)
@bp.errorhandler(bounds.BadParam)
def _admin_error(exc: Exception) -> Response:
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


def _filters(source: Any) -> dict[str, str | None]:
    """Journal filters; ``outcome`` defaults to ``ingested`` and ``all`` lifts it."""
    filters = {name: bounds.read(source, name) for name in FILTERS}
    outcome = filters.get("outcome") or "ingested"
    if outcome == "all":
        filters["outcome"] = None
    elif outcome not in OUTCOMES:
        raise AdminError(f"outcome must be one of {', '.join(OUTCOMES)} or all")
    else:
        filters["outcome"] = outcome
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
    limit = bounds.read(args, "limit", 100)
    page = _model().events(limit=limit, cursor=_cursor(args), **_filters(args))
    return json_response(
        {"total": page.total, "events": page.items, "next_cursor": page.next_cursor}
    )


@bp.get("/requests")
def requests_log() -> Response:
    args = request.args
    limit = bounds.read(args, "limit", 100)
    page = _model().requests(
        api_key=bounds.read(args, "api_key"), limit=limit, cursor=_cursor(args)
    )
    return json_response(
        {"total": page.total, "requests": page.items, "next_cursor": page.next_cursor}
    )


def _cursor(args: Any) -> str | None:
    if args.get("cursor") in (None, ""):
        return None
    return str(bounds.read(args, "cursor"))


@bp.post("/reset")
def reset() -> Response:
    api_key = bounds.read(_json_body(), "api_key")
    model = _model()
    model.reset(api_key)
    if api_key is None and isinstance(model.clock, ControllableClock):
        model.clock.follow_base()  # a full reset also gives the clock back: real time, scale 1
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
        set_ms, advance_s, scale = (bounds.read(body, n) for n in ("set", "advance_s", "scale"))
        if set_ms is None and advance_s is None and scale is None:
            raise AdminError("give one of set (ms), advance_s or scale")
        if set_ms is not None:
            clk.set(set_ms / 1000.0)
        if advance_s is not None:
            _advance(clk, advance_s)
        if scale is not None:
            clk.set_scale(scale)
    return json_response(_clock_state(model))


def _advance(clk: SettableClock, seconds: float) -> None:
    """Advance, but never beyond the latest time the mock accepts (``bounds.MAX_TIME_MS``)."""
    if clk.now() + seconds > bounds.MAX_TIME_MS / 1000.0:
        raise AdminError(f"advance_s would move the clock beyond {bounds.MAX_TIME_MS} ms")
    clk.advance(seconds)


@bp.get("/keys")
def keys() -> Response:
    return json_response(_model().keys())


@bp.post("/keys")
def add_key() -> Response:
    body = _json_body()
    key = bounds.read(body, "key")
    if key is None:
        raise AdminError(bounds.PARAMS["key"].describe("key"))
    expires, restores = bounds.read(body, "expires_at"), bounds.read(body, "restores_at")
    model = _model()
    try:
        model.add_key(key, _seconds(expires), _seconds(restores))
    except ValueError as exc:  # a restore before the expiry
        raise AdminError(str(exc)) from None
    return json_response(model.keys(), 201)


@bp.delete("/keys/<key>")
def revoke_key(key: str) -> Response:
    model = _model()
    model.revoke_key(bounds.check("key", key, bounds.PARAMS["key"]))
    return json_response(model.keys())


@bp.get("/faults")
def faults() -> Response:
    return json_response({"faults": _model().fault_rules()})


@bp.post("/faults")
def add_faults() -> Response:
    body = _json_body()
    specs = body["faults"] if isinstance(body.get("faults"), list) else [body]
    if not specs:
        raise AdminError("faults must list at least one rule")
    parsed = []
    for spec in specs:
        if not isinstance(spec, dict):
            raise AdminError("each fault must be an object")
        _check_fault(spec)
        try:  # a null field is the default, as everywhere in the admin API
            parsed.append(Fault(**{k: v for k, v in spec.items() if v is not None}))
        except (TypeError, ValueError) as exc:
            raise AdminError(f"bad fault: {exc}") from None
    model = _model()
    for fault in parsed:
        model.add_fault(fault)
    return json_response({"faults": model.fault_rules()}, 201)


def _check_fault(spec: dict[str, Any]) -> None:
    """Each field of a fault rule against its row: numbers and strings in range, booleans
    booleans, the endpoint one of the model's (null means the default, as everywhere)."""
    for name, bound in bounds.FAULT_PARAMS.items():
        if spec.get(name) is not None:
            bounds.check(name, spec[name], bound)
    for flag in FAULT_FLAGS:
        if spec.get(flag) is not None and not isinstance(spec[flag], bool):
            raise AdminError(f"{flag} must be true or false")
    if spec.get("endpoint") is not None and spec["endpoint"] not in ENDPOINTS:
        raise AdminError(f"endpoint must be one of {', '.join(ENDPOINTS)}")


@bp.delete("/faults")
def clear_faults() -> Response:
    """Every rule, or with ``?api_key=K`` only the rules scoped to that key."""
    model = _model()
    model.clear_faults(bounds.read(request.args, "api_key"))
    return json_response({"faults": model.fault_rules()})


_PROPERTY_ARGS = ("api_key", "user_id", "device_id", "group_type", "group_value")


@bp.get("/properties")
def properties() -> Response:
    """Properties set by identify operations: a user's (``user_id`` or ``device_id``) or a
    group's (``group_type`` + ``group_value``); 404 when none were ever set."""
    model = _model()
    args = {name: bounds.read(request.args, name) for name in _PROPERTY_ARGS}
    api_key = args["api_key"]
    if not api_key:
        raise AdminError("api_key is required")
    if args.get("group_type") is not None:
        found = model.group_properties(api_key, args["group_type"], args["group_value"] or "")
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
    """Block until ``count`` journal entries match (or ``timeout_s``, at most
    ``bounds.MAX_WAIT_S``): 200, or 408 on timeout. At most ``WAIT_SLOTS`` wait at once (429
    beyond): waiting holds a server thread, and ingestion needs the others."""
    body = _json_body()
    wanted = bounds.read(body, "count", 1)
    timeout = bounds.read(body, "timeout_s", 10.0)
    filters = {k: v for k, v in _filters(body).items() if v is not None}
    waiters, slots = current_app.extensions[WAITERS]
    if not waiters.acquire(blocking=False):
        error = f"too many concurrent waits (at most {slots})"
        return json_response({"code": 429, "error": error}, 429)
    try:
        matched = _model().wait_for(wanted, filters, timeout)
    finally:
        waiters.release()
    ok = matched >= wanted
    return json_response({"ok": ok, "matched": matched, "count": wanted}, 200 if ok else 408)


# -- views of the sandbox dashboard (mocks/static) ----------------------------------------
@bp.get("/journal")
def journal_view() -> Response:
    """The newest journal entries (newest first) matching filters with several values each
    (``api_key=a,b&outcome=throttled``...) and a ``received_at`` range (``from_ms``, ``to_ms``);
    ``before`` (a seq) pages back. Each entry carries its ``seq``."""
    args = request.args
    try:
        filters = multi_filters(args)
    except ValueError as exc:
        raise AdminError(str(exc)) from None
    for values in filters.values():
        for value in values:
            bounds.check("filter value", value, bounds.STRING)
    limit = bounds.read(args, "limit", 100)
    since, until = bounds.read(args, "from_ms"), bounds.read(args, "to_ms")
    before = bounds.read(args, "before")
    entries = _model().latest_entries(any_matcher(filters, since, until), limit, before)
    older = entries[-1]["seq"] if len(entries) == limit else None
    return json_response({"entries": entries, "before": older})


def _key_of(args: Any) -> str:
    api_key: str | None = bounds.read(args, "api_key")
    if not api_key:
        raise AdminError("api_key is required")
    return api_key


@bp.get("/limits")
def limits_view() -> Response:
    """The devices and users of ``api_key`` nearest their limits: the 30 s window's fill
    against ``eps * 30`` and the 24 h quota's use (``n`` of each, fullest first)."""
    api_key = _key_of(request.args)
    n = bounds.read(request.args, "n", 10)
    model = _model()
    limits = model.limits
    return json_response(
        {
            "eps": limits.eps_httpapi,
            "window_s": limits.window_s,
            "daily_quota": limits.daily_quota,
            **model.nearest_limits(api_key, n),
        }
    )


@bp.get("/profiles")
def profiles_view() -> Response:
    """Properties set by identify operations for every user, device and group of ``api_key``
    (the last ``limit`` of each)."""
    api_key = _key_of(request.args)
    limit = bounds.read(request.args, "limit", 50)
    return json_response(_model().profiles(api_key, limit))


@bp.get("/cohorts")
def cohorts_view() -> Response:
    """The Amplitude cohorts of ``api_key`` (name, id, size, definition), as the cohort API
    lists them; the Braze side is ``/_mock/braze/cohorts``."""
    api_key = _key_of(request.args)
    listed = cohort_api_of(current_app).list_cohorts(api_key).body or {}
    keep = ("id", "name", "size", "type", "definition", "lastMod")
    return json_response(
        {"cohorts": [{k: c.get(k) for k in keep} for c in listed.get("cohorts", [])]}
    )


@bp.route("/devices/<device_id>", methods=["GET", "PUT"])
def device(device_id: str) -> Response:
    """A device of one key: ``PUT {"api_key", "silenced": true|false}`` makes Amplitude treat it
    as spam (its events get the [V2] 400 "Events silenced for device_id") or stops it."""
    if request.method == "GET":
        api_key = request.args.get("api_key")
    else:
        body = _json_body()
        api_key = body.get("api_key")
        silenced = body.get("silenced", True)
        if not isinstance(silenced, bool):
            raise AdminError("silenced must be true or false")
    if not isinstance(api_key, str) or not api_key:
        raise AdminError("api_key is required")
    model = _model()
    if request.method == "PUT":
        model.silence(api_key, device_id, silenced)
    state = {"api_key": api_key, "device_id": device_id}
    return json_response({**state, "silenced": model.is_silenced(api_key, device_id)})


def _seconds(ms: float | None) -> float | None:
    return None if ms is None else ms / 1000.0
