"""Routes of the Braze mock.

Partner API ([COH], BRAZE_CURRENTS.md §5.2; the ``amplitude`` path segment is inferred from the
``/partners/[partner_name]/`` template, §7.6):

- ``POST /partners/amplitude/cohorts``: name a cohort (``cohort_id``, ``name``, ``created_at``);
- ``POST /partners/amplitude/cohorts/users``: ``cohort_changes`` (add / ``should_remove``).

Views and control under ``/_mock/braze`` (query parameters, no path parameters;
``client_secret`` selects the workspace and may be left out when the mock has exactly one):

- ``GET /workspaces``; ``POST /workspaces`` ``{client_secret, enabled?, locked?}`` (add or
  update: ``enabled=false`` gives "Partner not enabled...", ``locked=true`` gives 423);
  ``DELETE /workspaces?client_secret=S``;
- ``GET /users``; ``POST /users`` ``{users: [{external_id?, device_ids?, aliases?}],
  generate?: {identified, anonymous, seed}}``; ``DELETE /users?braze_id=B``;
- ``GET /cohorts``; ``GET /members?cohort_id=C``;
- ``GET /requests`` (``cohort_id`` filter): every partner request received, with its status,
  ids, data points and what it changed (ids ignored, with reasons);
- ``POST /reset`` ``{client_secret?}``: forget cohorts, counters and requests (users stay).

A bad request is 400; a workspace, user or cohort that does not exist 404; no ``client_secret``
while several workspaces exist 409.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, request

from mocks.braze import braze_model_of, errors
from mocks.braze.errors import Ambiguous, BrazeAdminError, NotFound
from mocks.braze.wire import Unreadable, parse_body, respond
from simulator.braze import BrazeModel, Reply, Workspace, populate
from simulator.braze.cohort_import import NAME_ENDPOINT, USERS_ENDPOINT
from simulator.rng import make_rng

bp = Blueprint("braze", __name__, url_prefix="/partners/amplitude")
admin_bp = Blueprint("braze_admin", __name__, url_prefix="/_mock/braze")
errors.register(admin_bp)
MAX_GENERATED = 1_000_000


def _model() -> BrazeModel:
    return braze_model_of(current_app)


def _partner_call(endpoint: str) -> Response:
    model = _model()
    try:
        body = parse_body(request)
    except Unreadable:
        return respond(model.reject(endpoint, errors.INVALID_JSON))
    if endpoint == NAME_ENDPOINT:
        return respond(model.name_cohort(body))
    return respond(model.change_users(body))


@bp.post("/cohorts")
def name_cohort() -> Response:
    return _partner_call(NAME_ENDPOINT)


@bp.post("/cohorts/users")
def change_users() -> Response:
    return _partner_call(USERS_ENDPOINT)


# -- /_mock/braze ---------------------------------------------------------------------------
def _ok(body: Any, status: int = 200) -> Response:
    return respond(Reply(status, body))


def _body() -> dict[str, Any]:
    if not request.get_data():
        return {}
    body = request.get_json(silent=True, force=True)
    if not isinstance(body, dict):
        raise BrazeAdminError("the body must be a JSON object")
    return body


def _workspace(secret: Any = None) -> Workspace:
    model = _model()
    secret = secret if secret is not None else request.args.get("client_secret")
    if secret is None:
        if not model.workspaces:
            raise NotFound("there is no workspace: add one with POST /_mock/braze/workspaces")
        if len(model.workspaces) > 1:
            raise Ambiguous("client_secret is required when there are several workspaces")
        return next(iter(model.workspaces.values()))
    if not isinstance(secret, str):
        raise BrazeAdminError("client_secret must be a string")
    found = model.workspace(secret)
    if found is None:
        raise NotFound(f"no workspace with client_secret {secret!r}")
    return found


def _summary(workspace: Workspace) -> dict[str, Any]:
    return {
        "client_secret": workspace.client_secret,
        "enabled": workspace.enabled,
        "locked": workspace.locked,
        "users": len(workspace.users),
        "cohorts": len(workspace.cohorts),
        "data_points": workspace.data_points,
    }


@admin_bp.get("/workspaces")
def workspaces() -> Response:
    model = _model()
    with model.lock:
        return _ok({"workspaces": [_summary(w) for w in model.workspaces.values()]})


@admin_bp.post("/workspaces")
def put_workspace() -> Response:
    body = _body()
    secret = body.get("client_secret")
    if not isinstance(secret, str) or not secret:
        raise BrazeAdminError("client_secret must be a non-empty string")
    for flag in ("enabled", "locked"):
        if flag in body and not isinstance(body[flag], bool):
            raise BrazeAdminError(f"{flag} must be a boolean")
    model = _model()
    with model.lock:
        workspace = model.add_client_secret(secret)
        workspace.enabled = body.get("enabled", workspace.enabled)
        workspace.locked = body.get("locked", workspace.locked)
        return _ok(_summary(workspace), 201)


@admin_bp.delete("/workspaces")
def delete_workspace() -> Response:
    secret = request.args.get("client_secret")
    if not secret:
        raise BrazeAdminError("client_secret is required")
    _model().revoke_client_secret(secret)
    return _ok({"deleted": secret})


@admin_bp.get("/users")
def users() -> Response:
    with _model().lock:
        workspace = _workspace()
        return _ok({"users": [u.to_dict() for u in workspace.users.users.values()]})


def _alias_list(raw: Any) -> list[tuple[str, str]]:
    if not isinstance(raw, list):
        raise BrazeAdminError("aliases must be an array of {alias_label, alias_name}")
    out = []
    for item in raw:
        label = item.get("alias_label") if isinstance(item, dict) else None
        name = item.get("alias_name") if isinstance(item, dict) else None
        if not isinstance(label, str) or not isinstance(name, str):
            raise BrazeAdminError("each alias needs string alias_label and alias_name")
        out.append((label, name))
    return out


def _add_user(workspace: Workspace, spec: Any) -> dict[str, Any]:
    if not isinstance(spec, dict):
        raise BrazeAdminError("each user must be an object")
    external_id, device_ids = spec.get("external_id"), spec.get("device_ids", [])
    if external_id is not None and not isinstance(external_id, str):
        raise BrazeAdminError("external_id must be a string")
    if not isinstance(device_ids, list) or not all(isinstance(d, str) for d in device_ids):
        raise BrazeAdminError("device_ids must be an array of strings")
    try:
        user = workspace.users.add(
            external_id=external_id,
            device_ids=device_ids,
            aliases=_alias_list(spec.get("aliases", [])),
        )
    except ValueError as exc:
        raise BrazeAdminError(str(exc)) from None
    return user.to_dict()


def _generate(workspace: Workspace, spec: Any) -> dict[str, list[str]]:
    if not isinstance(spec, dict):
        raise BrazeAdminError("generate must be an object {identified, anonymous, seed}")
    counts = [spec.get("identified", 0), spec.get("anonymous", 0)]
    if not all(isinstance(n, int) and 0 <= n <= MAX_GENERATED for n in counts):
        raise BrazeAdminError(f"identified and anonymous must be integers in [0, {MAX_GENERATED}]")
    seed = spec.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int | str)):
        raise BrazeAdminError("seed must be an integer or a string")
    rng = make_rng(seed)
    return populate(workspace.users, rng, identified=counts[0], anonymous=counts[1])


@admin_bp.post("/users")
def add_users() -> Response:
    body = _body()
    with _model().lock:
        workspace = _workspace(body.get("client_secret"))
        specs = body.get("users", [])
        if not isinstance(specs, list):
            raise BrazeAdminError("users must be an array")
        added = [_add_user(workspace, spec) for spec in specs]
        generated = _generate(workspace, body["generate"]) if "generate" in body else None
        return _ok({"added": added, "generated": generated, "users": len(workspace.users)}, 201)


@admin_bp.delete("/users")
def delete_user() -> Response:
    braze_id = request.args.get("braze_id")
    if not braze_id:
        raise BrazeAdminError("braze_id is required")
    with _model().lock:
        workspace = _workspace()
        user = workspace.users.remove(braze_id)
        if user is None:
            raise NotFound(f"no user {braze_id}")
        for cohort in workspace.cohorts.values():
            cohort.members.discard(braze_id)
        return _ok({"deleted": user.to_dict()})


@admin_bp.get("/cohorts")
def cohorts() -> Response:
    with _model().lock:
        workspace = _workspace()
        return _ok(
            {
                "cohorts": [
                    {
                        "cohort_id": c.cohort_id,
                        "name": c.name,
                        "display_name": c.display_name,
                        "created_at": c.created_at,
                        "size": len(c.members),
                    }
                    for c in workspace.cohorts.values()
                ]
            }
        )


@admin_bp.get("/members")
def members() -> Response:
    cohort_id = request.args.get("cohort_id")
    if not cohort_id:
        raise BrazeAdminError("cohort_id is required")
    with _model().lock:
        workspace = _workspace()
        if cohort_id not in workspace.cohorts:
            raise NotFound(f"no cohort {cohort_id!r} in this workspace")
        found = workspace.members_of(cohort_id)
        return _ok(
            {"cohort_id": cohort_id, "size": len(found), "members": [u.to_dict() for u in found]}
        )


@admin_bp.get("/requests")
def requests_received() -> Response:
    args = request.args
    found = _model().requests(
        client_secret=args.get("client_secret"), cohort_id=args.get("cohort_id")
    )
    return _ok({"total": len(found), "requests": found})


@admin_bp.post("/reset")
def reset() -> Response:
    secret = _body().get("client_secret")
    if secret is not None and not isinstance(secret, str):
        raise BrazeAdminError("client_secret must be a string")
    _model().reset(secret)
    return _ok({"reset": secret or "all"})
