"""Braze's side of partner cohort import: workspaces, cohorts, members, a request log.

``BrazeModel.name_cohort(body)`` and ``BrazeModel.change_users(body)`` take the parsed JSON body
of ``POST /partners/<partner>/cohorts`` and ``.../cohorts/users`` and return a ``Reply`` with the
exact status and body the HTTP mock sends (``mocks/braze`` only copies it to the wire), so the
cohort-sync model can run in-process against the very same object.

Facts: BRAZE_CURRENTS.md §5 ([COH], [AMP-CI], [AFC-*]); request checks in ``validation.py``,
identifier rules in ``users.py``. The simulator model of §5.2: state per (workspace, cohort_id)
with name, ``created_at`` and a member set; changes applied in order; adds idempotent; unknown
users and device ids of identified users ignored; removing a non-member is a no-op; the display
name is ``[Amplitude] {name}: {cohort_id}``; a name call may come before or after user calls.

Decisions where the sources are silent:

- Order of checks: a body that is not a JSON object is 400; then the partner key (401), the
  client secret (401), whether the partner is enabled for that workspace (401), a locked
  workspace (423); then the fields (400, listing every problem). Auth comes first so that a
  caller with a wrong key learns nothing about the request format.
- Bodies follow Braze's general REST convention ``{"message": ...}``: ``{"message": "success"}``
  on 200, ``{"message": <first problem>, "errors": [<all problems>]}`` on 400.
- Data points: Braze bills every id it receives ([AFC-a..b], [AMP-CI]); the model counts one
  data point per id in an accepted request, matched or not. A rejected request counts none.
"""

from __future__ import annotations

import itertools
import random
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from simulator.braze import validation
from simulator.braze.users import ALIAS, DEVICE_ID, USER_ID, BrazeUser, UserRegistry
from simulator.clock import Clock

DEFAULT_PARTNER_KEY = "currents-sim-partner-key"
DEFAULT_CLIENT_SECRET = "currents-sim-client-secret"
NAME_ENDPOINT = "cohorts"
USERS_ENDPOINT = "cohorts/users"
MAX_REQUEST_LOG = 10_000
MAX_IGNORED_SHOWN = 100


def display_name(name: str | None, cohort_id: str) -> str:
    """How Braze shows an imported cohort in its filters (§5.1: ``[Amplitude] NAME: id``)."""
    return f"[Amplitude] {name if name is not None else ''}: {cohort_id}"


@dataclass(frozen=True)
class Reply:
    """The HTTP answer: status and JSON body."""

    status: int
    body: dict[str, Any]


def _error(status: int, message: str, problems: list[str] | None = None) -> Reply:
    body: dict[str, Any] = {"message": message}
    if problems:
        body["errors"] = problems
    return Reply(status, body)


SUCCESS = Reply(200, {"message": "success"})
# [COH] troubleshooting table, exactly (the capital P included).
INVALID_PARTNER_KEY = "Invalid Partner API key"
# The current [COH] page (BRAZE_CURRENTS.md §5.2): "250,000 requests per hour" for these
# endpoints, counted here per partner API key in clock hours of the model clock (Braze's rate
# limits reset on the hour, https://www.braze.com/docs/api/api_limits). An older revision
# (braze-inc/braze-docs _docs/_partners/isv_partners/cohort_import.md) says the endpoints "are
# not specifically rate limited": ``requests_per_hour=None`` (``serve
# --braze-requests-per-hour 0``) follows it.
REQUESTS_PER_HOUR = 250_000
RATE_LIMITED = "Rate limit exceeded: 250,000 requests per hour per partner API key"


@dataclass
class Cohort:
    """One imported cohort of a workspace; ``members`` holds Braze user ids."""

    cohort_id: str
    name: str | None = None
    created_at: str | None = None
    members: set[str] = field(default_factory=set)

    @property
    def display_name(self) -> str:
        return display_name(self.name, self.cohort_id)


@dataclass
class Workspace:
    """The state behind one ``client_secret`` (a Braze workspace's data import key)."""

    client_secret: str
    enabled: bool = True
    locked: bool = False
    users: UserRegistry = field(default_factory=UserRegistry)
    cohorts: dict[str, Cohort] = field(default_factory=dict)
    data_points: int = 0

    def cohort(self, cohort_id: str) -> Cohort:
        found = self.cohorts.get(cohort_id)
        if found is None:
            found = self.cohorts[cohort_id] = Cohort(cohort_id)
        return found

    def members_of(self, cohort_id: str) -> list[BrazeUser]:
        cohort = self.cohorts.get(cohort_id)
        if cohort is None:
            return []
        found = (self.users.get(b) for b in sorted(cohort.members))
        return [u for u in found if u is not None]

    def reset(self) -> None:
        """Forget cohorts and counters; the user registry stays (it is the workspace's data)."""
        self.cohorts.clear()
        self.data_points = 0
        self.locked = False


@dataclass
class Applied:
    """What one accepted ``/cohorts/users`` request did."""

    added: int = 0
    removed: int = 0
    unchanged: int = 0
    ignored: list[dict[str, Any]] = field(default_factory=list)
    ignored_count: int = 0

    def ignore(self, kind: str, value: Any, reason: str) -> None:
        self.ignored_count += 1
        if len(self.ignored) < MAX_IGNORED_SHOWN:
            shown = {"alias_label": value[0], "alias_name": value[1]} if kind == ALIAS else value
            self.ignored.append({"kind": kind, "id": shown, "reason": reason})


class BrazeModel:
    """Partner cohort import for any number of workspaces, on an injected clock. Thread-safe.

    ``partner_keys``: keys Braze issued to the partner (one per cluster group in reality).
    ``client_secrets``: data import keys, one workspace each. Both default to the sandbox values
    ``DEFAULT_PARTNER_KEY`` and ``DEFAULT_CLIENT_SECRET``; an unknown secret is a 401, so a
    test can always provoke Braze's "invalid client secret" error.
    """

    def __init__(
        self,
        clock: Clock,
        *,
        partner_keys: Iterable[str] = (DEFAULT_PARTNER_KEY,),
        client_secrets: Iterable[str] = (DEFAULT_CLIENT_SECRET,),
        requests_per_hour: int | None = REQUESTS_PER_HOUR,
    ) -> None:
        self.clock = clock
        self.requests_per_hour = requests_per_hour
        self._hour_counts: dict[str, tuple[int, int]] = {}  # partner key -> (hour, requests)
        self.lock = threading.RLock()
        self.partner_keys = set(partner_keys)
        self.workspaces: dict[str, Workspace] = {s: Workspace(s) for s in client_secrets}
        self.request_log: deque[dict[str, Any]] = deque(maxlen=MAX_REQUEST_LOG)
        self._request_ids = itertools.count(1)

    # -- configuration ---------------------------------------------------------------------
    def add_client_secret(self, secret: str) -> Workspace:
        with self.lock:
            found = self.workspaces.get(secret)
            if found is None:
                found = self.workspaces[secret] = Workspace(secret)
            return found

    def revoke_client_secret(self, secret: str) -> None:
        with self.lock:
            self.workspaces.pop(secret, None)

    def workspace(self, secret: str) -> Workspace | None:
        return self.workspaces.get(secret)

    # -- the two partner endpoints --------------------------------------------------------
    def name_cohort(self, body: Any) -> Reply:
        """``POST /partners/<partner>/cohorts``: create or rename a cohort."""
        with self.lock:
            reply, workspace = self._authorize(body)
            if workspace is None:
                return self._log(NAME_ENDPOINT, body, reply)
            problems = validation.check_name_request(body)
            if problems:
                reply = _error(400, validation.table_message(problems[0]), problems)
                return self._log(NAME_ENDPOINT, body, reply)
            cohort = workspace.cohort(body["cohort_id"])
            cohort.name, cohort.created_at = body["name"], body["created_at"]
            return self._log(NAME_ENDPOINT, body, SUCCESS, display_name=cohort.display_name)

    def change_users(self, body: Any) -> Reply:
        """``POST /partners/<partner>/cohorts/users``: add or remove users, in order."""
        with self.lock:
            reply, workspace = self._authorize(body)
            if workspace is None:
                return self._log(USERS_ENDPOINT, body, reply)
            changes, problems = validation.parse_changes(body)
            if problems:
                reply = _error(400, validation.table_message(problems[0]), problems)
                return self._log(USERS_ENDPOINT, body, reply)
            cohort = workspace.cohort(body["cohort_id"])
            applied = Applied()
            for change in changes:
                _apply(workspace.users, cohort, change, applied)
            ids = sum(change.size for change in changes)
            workspace.data_points += ids
            return self._log(USERS_ENDPOINT, body, SUCCESS, ids=ids, applied=applied)

    def reject(self, endpoint: str, reply: Reply) -> Reply:
        """Log a request the shell answered itself (an unreadable body) and return ``reply``."""
        with self.lock:
            return self._log(endpoint, None, reply)

    def _authorize(self, body: Any) -> tuple[Reply, Workspace | None]:
        if not isinstance(body, dict):
            return _error(400, "Request body must be a JSON object"), None
        key, secret = body.get("partner_api_key"), body.get("client_secret")
        if not isinstance(key, str) or key not in self.partner_keys:
            return _error(401, INVALID_PARTNER_KEY), None
        if self._over_rate(key):
            return _error(429, self._rate_message()), None
        workspace = self.workspaces.get(secret) if isinstance(secret, str) else None
        if workspace is None:
            return _error(401, "Invalid client secret"), None
        if not workspace.enabled:
            message = f"Partner not enabled for client with client secret: {secret}"
            return _error(401, message), None
        if workspace.locked:
            return _error(423, "Resource locked"), None
        return SUCCESS, workspace

    def _over_rate(self, key: str) -> bool:
        """Count a request of ``key`` in the current clock hour; True past the hourly limit."""
        if self.requests_per_hour is None:
            return False
        hour = int(self.clock.now() // 3600)
        seen_hour, count = self._hour_counts.get(key, (hour, 0))
        count = count + 1 if seen_hour == hour else 1
        self._hour_counts[key] = (hour, count)
        return count > self.requests_per_hour

    def _rate_message(self) -> str:
        if self.requests_per_hour == REQUESTS_PER_HOUR:
            return RATE_LIMITED
        return (
            f"Rate limit exceeded: {self.requests_per_hour:,} requests per hour per partner API key"
        )

    def _log(
        self,
        endpoint: str,
        body: Any,
        reply: Reply,
        *,
        ids: int = 0,
        applied: Applied | None = None,
        display_name: str | None = None,
    ) -> Reply:
        get = body.get if isinstance(body, dict) else (lambda _k: None)
        entry: dict[str, Any] = {
            "id": next(self._request_ids),
            "time": int(self.clock.now() * 1000),
            "endpoint": endpoint,
            "client_secret": get("client_secret"),
            "cohort_id": get("cohort_id"),
            "status": reply.status,
            "response": reply.body,
            "ids": ids,
            "data_points": ids,
        }
        if display_name is not None:
            entry["display_name"] = display_name
        if applied is not None:
            entry.update(
                added=applied.added,
                removed=applied.removed,
                unchanged=applied.unchanged,
                ignored_count=applied.ignored_count,
                ignored=applied.ignored,
            )
        self.request_log.append(entry)
        return reply

    # -- views and control -------------------------------------------------------------------
    def requests(
        self, *, client_secret: str | None = None, cohort_id: str | None = None
    ) -> list[dict[str, Any]]:
        with self.lock:
            return [
                dict(e)
                for e in self.request_log
                if (client_secret is None or e["client_secret"] == client_secret)
                and (cohort_id is None or e["cohort_id"] == cohort_id)
            ]

    def member_ids(self, client_secret: str, cohort_id: str) -> set[str]:
        """Braze ids of a cohort's members (empty for an unknown workspace or cohort)."""
        with self.lock:
            workspace = self.workspaces.get(client_secret)
            cohort = workspace.cohorts.get(cohort_id) if workspace else None
            return set(cohort.members) if cohort else set()

    def reset(self, client_secret: str | None = None) -> None:
        """Forget cohorts, counters and the request log (of one workspace, or of all)."""
        with self.lock:
            targets = (
                list(self.workspaces.values())
                if client_secret is None
                else [w for s, w in self.workspaces.items() if s == client_secret]
            )
            for workspace in targets:
                workspace.reset()
            kept = [e for e in self.request_log if client_secret not in (None, e["client_secret"])]
            self.request_log.clear()
            self.request_log.extend(kept)


def _resolve_user_id(users: UserRegistry, value: str | tuple[str, str]) -> tuple[str, Any, Any]:
    """What an entry of ``user_ids`` names: an alias (an object), else an external id, else a
    device id ([COH]: ``user_ids`` "can be an array of external_ids, device_ids, and aliases")."""
    if isinstance(value, tuple):
        return ALIAS, value, users.resolve(ALIAS, value)
    found = users.resolve(USER_ID, value)
    if found.user is None:
        as_device = users.resolve(DEVICE_ID, value)
        if as_device.user is not None or as_device.reason != found.reason:
            return DEVICE_ID, value, as_device
    return USER_ID, value, found


def _apply(users: UserRegistry, cohort: Cohort, change: validation.Change, out: Applied) -> None:
    targets: list[tuple[str, Any, Any]] = [
        *(_resolve_user_id(users, v) for v in change.user_ids),
        *((DEVICE_ID, v, users.resolve(DEVICE_ID, v)) for v in change.device_ids),
        *((ALIAS, v, users.resolve(ALIAS, v)) for v in change.aliases),
    ]
    for kind, value, found in targets:
        if found.user is None:
            out.ignore(kind, value, found.reason or "")
            continue
        braze_id = found.user.braze_id
        if change.should_remove and braze_id in cohort.members:
            cohort.members.discard(braze_id)
            out.removed += 1
        elif not change.should_remove and braze_id not in cohort.members:
            cohort.members.add(braze_id)
            out.added += 1
        else:
            out.unchanged += 1


def populate(
    registry: UserRegistry,
    rng: random.Random,
    *,
    identified: int,
    anonymous: int,
    prefix: str = "",
) -> dict[str, list[str]]:
    """Add generated users: ``identified`` with an external id (and a device), ``anonymous``
    with a device id only. Returns the ids created, by kind. Deterministic for a given ``rng``.

    Ids are long enough for Amplitude (at least 5 characters, AMPLITUDE_API.md §2.5).
    """
    made: dict[str, list[str]] = {
        "external_ids": [],
        "anonymous_device_ids": [],
        "identified_device_ids": [],
    }
    for _ in range(identified):
        external_id, device_id = f"{prefix}user-{rng.getrandbits(40):010x}", _device(rng)
        registry.add(external_id=external_id, device_ids=[device_id])
        made["external_ids"].append(external_id)
        made["identified_device_ids"].append(device_id)
    for _ in range(anonymous):
        device_id = _device(rng)
        registry.add(device_ids=[device_id])
        made["anonymous_device_ids"].append(device_id)
    return made


def _device(rng: random.Random) -> str:
    hexes = f"{rng.getrandbits(128):032x}"
    return f"{hexes[:8]}-{hexes[8:12]}-{hexes[12:16]}-{hexes[16:20]}-{hexes[20:]}"
