"""``BrazeAdmin``: the Braze mock's ``/_mock/braze`` views and controls (``mocks/braze/routes.py``),
reached as ``MockAdmin(...).braze``. ``client_secret`` picks the workspace and may be left out
when the mock has exactly one."""

from __future__ import annotations

from typing import Any

from clients.transport import Transport

PREFIX = "/_mock/braze"


class BrazeAdmin:
    def __init__(self, http: Transport) -> None:
        self.http = http

    def _get(self, path: str, **params: Any) -> dict[str, Any]:
        found: dict[str, Any] = self.http.call("GET", PREFIX + path, params=params)
        return found

    def workspaces(self) -> list[dict[str, Any]]:
        return list(self._get("/workspaces")["workspaces"])

    def put_workspace(
        self, client_secret: str, *, enabled: bool | None = None, locked: bool | None = None
    ) -> dict[str, Any]:
        """Add or update a workspace (``enabled=False``: partner not enabled; ``locked``: 423)."""
        flags = {"enabled": enabled, "locked": locked}
        body = {"client_secret": client_secret, **{k: v for k, v in flags.items() if v is not None}}
        found: dict[str, Any] = self.http.call("POST", PREFIX + "/workspaces", body=body)
        return found

    def delete_workspace(self, client_secret: str) -> None:
        self.http.call("DELETE", PREFIX + "/workspaces", params={"client_secret": client_secret})

    def users(self, client_secret: str | None = None) -> list[dict[str, Any]]:
        return list(self._get("/users", client_secret=client_secret)["users"])

    def add_users(
        self,
        users: list[dict[str, Any]],
        *,
        client_secret: str | None = None,
        generate: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Add users (``external_id``, ``device_ids``, ``aliases``) and/or ``generate``
        ``{identified, anonymous, seed}`` more."""
        body: dict[str, Any] = {"users": users}
        if client_secret is not None:
            body["client_secret"] = client_secret
        if generate is not None:
            body["generate"] = generate
        found: dict[str, Any] = self.http.call("POST", PREFIX + "/users", body=body)
        return found

    def delete_user(self, braze_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self.http.call(
            "DELETE", PREFIX + "/users", params={"braze_id": braze_id}
        )
        return found

    def cohorts(self, client_secret: str | None = None) -> list[dict[str, Any]]:
        return list(self._get("/cohorts", client_secret=client_secret)["cohorts"])

    def members(self, cohort_id: str, client_secret: str | None = None) -> list[dict[str, Any]]:
        """The cohort's members; ``MockAdminError`` (400) when Braze never heard of it."""
        found = self._get("/members", cohort_id=cohort_id, client_secret=client_secret)
        return list(found["members"])

    def requests(
        self, *, client_secret: str | None = None, cohort_id: str | None = None
    ) -> list[dict[str, Any]]:
        """Every partner request received (status, ids, data points, what it changed)."""
        found = self._get("/requests", client_secret=client_secret, cohort_id=cohort_id)
        return list(found["requests"])

    def reset(self, client_secret: str | None = None) -> None:
        """Forget cohorts, counters and requests (of one workspace when given; users stay)."""
        body = {} if client_secret is None else {"client_secret": client_secret}
        self.http.call("POST", PREFIX + "/reset", body=body)
