"""``MockAdmin``: one client for the ``/_mock`` admin API of a served mock (``mocks/openapi.json``).

Used by the pytest plugin, the load hooks, the CLI's conformance and cohort-sync drivers, the
HTTP sink, and users' own code::

    from clients import MockAdmin

    with MockAdmin("http://127.0.0.1:8080", api_key="my-key") as admin:
        admin.reset()                                  # this key's data only
        with admin.restoring_clock():                  # leave the clock as found
            admin.advance(3600)
            admin.wait(10, event_type="Signed Up")
        entries = admin.events(outcome="all")          # every page

Calls about one project's data (events, requests, reset, wait, properties, faults) use the
``api_key`` given here unless one is passed. Times are integer milliseconds on the mock clock.
Every failure raises ``MockAdminError`` (``status`` 0 when the mock could not be reached).
"""

from __future__ import annotations

import time
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple
from urllib.parse import quote

import requests

from clients.braze_admin import BrazeAdmin
from clients.sse import sse_messages
from clients.transport import MockAdminError, Transport

PAGE_SIZE = 10_000  # the mock's largest page (mocks/admin.py MAX_LIMIT)
TIMEOUT_S = 60.0
REQUEST_TIMEOUT = 408  # /_mock/wait's answer when the count was not reached in time
NOT_FOUND = 404
STREAM_SILENCE_S = 5.0  # the stream writes at least once a second; this long silent = gone


class ClockState(NamedTuple):
    """The mock clock: its time (ms) and speed (None when the clock cannot be scaled)."""

    now_ms: int
    scale: float | None


class WaitResult(NamedTuple):
    ok: bool
    matched: int


class MockAdmin:
    """The ``/_mock`` API of the mock at ``base_url`` (like ``http://127.0.0.1:8080``)."""

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None = None,
        admin_token: str | None = None,
        session: requests.Session | None = None,
        timeout_s: float = TIMEOUT_S,
        page_size: int = PAGE_SIZE,
    ) -> None:
        self.api_key = api_key
        self.page_size = page_size  # items per listing request; listings read every page
        self.http = Transport(
            base_url, admin_token=admin_token, session=session, timeout_s=timeout_s
        )
        self.braze = BrazeAdmin(self.http)

    @property
    def base_url(self) -> str:
        return self.http.base_url

    def close(self) -> None:
        """Close the session this client opened (a session passed in stays open)."""
        self.http.close()

    def __enter__(self) -> MockAdmin:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _key(self, api_key: str | None) -> str:
        key = api_key or self.api_key
        if not key:
            raise ValueError("give an api_key (here or to MockAdmin)")
        return key

    # -- the mock ---------------------------------------------------------------------------------
    def health(self) -> dict[str, Any]:
        """``{"status": "ok", "sandbox": bool, "now_ms": int}``."""
        found: dict[str, Any] = self.http.call("GET", "/_mock/health")
        return found

    def openapi(self) -> dict[str, Any]:
        found: dict[str, Any] = self.http.call("GET", "/_mock/openapi.json")
        return found

    def stats(self) -> dict[str, Any]:
        """Counts per outcome, overall and per key."""
        found: dict[str, Any] = self.http.call("GET", "/_mock/stats")
        return found

    # -- one project's data -----------------------------------------------------------------------
    def iter_events(
        self, *, api_key: str | None = None, **filters: str
    ) -> Iterator[dict[str, Any]]:
        """Journal entries of the key, every page, in arrival order. Filters: ``outcome``
        (default ``ingested``; ``"all"`` lifts it), ``user_id``, ``device_id``, ``event_type``,
        ``insert_id``."""
        params = {**filters, "api_key": self._key(api_key)}
        return self.http.pages("/_mock/events", "events", params, self.page_size)

    def events(self, *, api_key: str | None = None, **filters: str) -> list[dict[str, Any]]:
        """``iter_events`` as a list."""
        return list(self.iter_events(api_key=api_key, **filters))

    def iter_requests(self, *, api_key: str | None = None) -> Iterator[dict[str, Any]]:
        """The key's request log (time, endpoint, status, event count, body), oldest first,
        read a page at a time as the iterator is consumed."""
        params = {"api_key": self._key(api_key)}
        return self.http.pages("/_mock/requests", "requests", params, self.page_size)

    def requests(self, *, api_key: str | None = None) -> list[dict[str, Any]]:
        """``iter_requests`` as a list: every page."""
        return list(self.iter_requests(api_key=api_key))

    def stream(
        self,
        *,
        api_key: str | None = None,
        since: int | None = None,
        topics: str | None = None,
        max_s: float | None = None,
        **filters: str,
    ) -> Generator[tuple[str, Any], None, None]:
        """Follow ``GET /_mock/stream``: ``(event, data)`` messages (``entries``, ``requests``,
        ``stats``, ``end``) as they come, for ``max_s`` seconds at most. ``since`` (a journal
        seq) replays the entries after it; ``topics`` like ``"entries,stats"``. Close the
        iterator (``contextlib.closing``) when leaving it early: it holds a server thread."""
        params: dict[str, Any] = {**filters, "api_key": self._key(api_key), "since": since}
        params |= {"topics": topics, "max_s": max_s}
        lines = self.http.lines("/_mock/stream", params, read_timeout_s=STREAM_SILENCE_S)
        return sse_messages(lines)

    def reset(self, api_key: str | None = None) -> None:
        """Forget the key's journal, windows and counters (other keys are untouched)."""
        self.http.call("POST", "/_mock/reset", body={"api_key": self._key(api_key)})

    def reset_everything(self) -> None:
        """Forget every key's data and give the clock back (real time, scale 1): only for a
        mock nobody else uses."""
        self.http.call("POST", "/_mock/reset", body={})

    def wait(
        self, count: int, *, timeout_s: float = 10.0, api_key: str | None = None, **filters: str
    ) -> WaitResult:
        """Block until ``count`` journal entries of the key match ``filters`` (those of
        ``iter_events``), or ``timeout_s`` passes (then ``ok`` is False)."""
        body = {**filters, "api_key": self._key(api_key), "count": count, "timeout_s": timeout_s}
        found = self.http.call(
            "POST", "/_mock/wait", body=body, ok=(200, REQUEST_TIMEOUT), extra_timeout_s=timeout_s
        )
        return WaitResult(bool(found["ok"]), int(found["matched"]))

    def properties(
        self,
        *,
        api_key: str | None = None,
        user_id: str | None = None,
        device_id: str | None = None,
        group_type: str | None = None,
        group_value: str | None = None,
    ) -> dict[str, Any] | None:
        """What identify operations set on a user (``user_id``/``device_id``) or a group
        (``group_type`` + ``group_value``); None when nothing was ever set."""
        params = {
            "api_key": self._key(api_key),
            "user_id": user_id,
            "device_id": device_id,
            "group_type": group_type,
            "group_value": group_value,
        }
        try:
            found = self.http.call("GET", "/_mock/properties", params=params)
        except MockAdminError as exc:
            if exc.status == NOT_FOUND:
                return None
            raise
        properties: dict[str, Any] = found["properties"]
        return properties

    # -- the clock --------------------------------------------------------------------------------
    def clock(self) -> ClockState:
        return _clock_state(self.http.call("GET", "/_mock/clock"))

    def now_ms(self) -> int:
        return self.clock().now_ms

    def set_clock(self, now_ms: float | None = None, *, scale: float | None = None) -> ClockState:
        """Set the time (ms) and/or the speed (0 freezes) in one call."""
        body = {"set": now_ms, "scale": scale}
        return self._move_clock({k: v for k, v in body.items() if v is not None})

    def advance(self, seconds: float) -> ClockState:
        """Move the clock forward by ``seconds``."""
        return self._move_clock({"advance_s": seconds})

    def set_scale(self, scale: float) -> ClockState:
        return self._move_clock({"scale": scale})

    def _move_clock(self, body: dict[str, Any]) -> ClockState:
        return _clock_state(self.http.call("POST", "/_mock/clock", body=body))

    @contextmanager
    def restoring_clock(self) -> Iterator[ClockState]:
        """Save the clock's speed and offset; on exit (also on an exception or Ctrl-C) put them
        back: the clock then reads what it would have read had nobody touched it."""
        saved, since = self.clock(), time.monotonic()
        try:
            yield saved
        finally:
            if saved.scale is not None:
                elapsed_ms = (time.monotonic() - since) * 1000.0 * saved.scale
                self.set_clock(saved.now_ms + elapsed_ms, scale=saved.scale)

    # -- credentials ------------------------------------------------------------------------------
    def keys(self) -> dict[str, Any]:
        """``{"sandbox": bool, "keys": [{key, expires_at}], "revoked": [...]}``."""
        found: dict[str, Any] = self.http.call("GET", "/_mock/keys")
        return found

    def add_key(
        self, key: str, expires_at_ms: float | None = None, restores_at_ms: float | None = None
    ) -> dict[str, Any]:
        """Accept ``key`` (until ``expires_at_ms`` on the mock clock, when given, and again
        from ``restores_at_ms``)."""
        body = {"key": key, "expires_at": expires_at_ms}
        if restores_at_ms is not None:
            body["restores_at"] = restores_at_ms
        found: dict[str, Any] = self.http.call("POST", "/_mock/keys", body=body)
        return found

    def expire_key(self, key: str, at_ms: float, until_ms: float | None = None) -> dict[str, Any]:
        """Accept ``key`` until ``at_ms`` only, or refuse it from ``at_ms`` until ``until_ms``
        (the credential-expiry story, both instants on the mock clock)."""
        return self.add_key(key, at_ms, until_ms)

    def restore_key(self, key: str) -> dict[str, Any]:
        """Accept ``key`` again, without expiry (after a revocation or an expiry)."""
        return self.add_key(key)

    def revoke_key(self, key: str) -> dict[str, Any]:
        found: dict[str, Any] = self.http.call("DELETE", "/_mock/keys/" + quote(key, safe=""))
        return found

    # -- faults -----------------------------------------------------------------------------------
    def faults(self) -> list[dict[str, Any]]:
        return list(self.http.call("GET", "/_mock/faults")["faults"])

    def add_fault(self, status: int | None = None, **rule: Any) -> list[dict[str, Any]]:
        """Add one fault rule (``status``, ``count``, ``body``, ``latency_ms``, ``drop``,
        ``probability``, ``api_key``...); it applies to this client's key unless ``api_key`` is
        given (``api_key=None`` with no key here: every key). Returns every rule."""
        spec = {"api_key": self.api_key, **rule, "status": status}
        return self.add_faults([{k: v for k, v in spec.items() if v is not None}])

    def add_faults(self, rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Add fault rules as given (``Fault`` fields, see ``mocks/openapi.json``)."""
        return list(self.http.call("POST", "/_mock/faults", body={"faults": rules})["faults"])

    def clear_faults(self, *, api_key: str | None = None) -> None:
        """Remove every fault rule (of every key), or with ``api_key`` only that key's rules."""
        self.http.call("DELETE", "/_mock/faults", params={"api_key": api_key})

    # -- the dashboard's views --------------------------------------------------------------------
    def journal(
        self,
        *,
        api_key: str | None = None,
        limit: int = 100,
        before: int | None = None,
        from_ms: int | None = None,
        to_ms: int | None = None,
        **filters: str,
    ) -> dict[str, Any]:
        """The key's newest journal entries, newest first, each with its ``seq``: filters take
        several values (``outcome="throttled,deduplicated"``), ``from_ms``/``to_ms`` bound
        ``received_at``; ``{"entries": [...], "before": seq}``, ``before`` to page back."""
        params = {**filters, "api_key": self._key(api_key), "limit": limit, "before": before}
        params |= {"from_ms": from_ms, "to_ms": to_ms}
        found: dict[str, Any] = self.http.call("GET", "/_mock/journal", params=params)
        return found

    def nearest_limits(self, n: int = 10, *, api_key: str | None = None) -> dict[str, Any]:
        """The key's devices and users nearest their throttle window and daily quota."""
        params = {"api_key": self._key(api_key), "n": n}
        found: dict[str, Any] = self.http.call("GET", "/_mock/limits", params=params)
        return found

    def profiles(self, limit: int = 50, *, api_key: str | None = None) -> dict[str, Any]:
        """What identify operations set on every user, device and group of the key."""
        params = {"api_key": self._key(api_key), "limit": limit}
        found: dict[str, Any] = self.http.call("GET", "/_mock/profiles", params=params)
        return found

    def cohorts(self, *, api_key: str | None = None) -> list[dict[str, Any]]:
        """The key's Amplitude cohorts (id, name, size, definition)."""
        params = {"api_key": self._key(api_key)}
        return list(self.http.call("GET", "/_mock/cohorts", params=params)["cohorts"])

    # -- devices ----------------------------------------------------------------------------------
    def device(self, device_id: str, *, api_key: str | None = None) -> dict[str, Any]:
        """``{"api_key", "device_id", "silenced"}``."""
        params = {"api_key": self._key(api_key)}
        found: dict[str, Any] = self.http.call("GET", _device_path(device_id), params=params)
        return found

    def silence_device(
        self, device_id: str, silenced: bool = True, *, api_key: str | None = None
    ) -> dict[str, Any]:
        """Make Amplitude treat the device as spam (its events get 400 "Events silenced"), or
        stop (``silenced=False``)."""
        body = {"api_key": self._key(api_key), "silenced": silenced}
        found: dict[str, Any] = self.http.call("PUT", _device_path(device_id), body=body)
        return found

    # -- snapshots (a mock served with --data-dir) ------------------------------------------------
    def snapshots(self) -> list[Any]:
        return list(self.http.call("GET", "/_mock/snapshots")["snapshots"])

    def take_snapshot(self, name: str) -> list[Any]:
        """Save the whole mock's state under ``name``; every snapshot."""
        found = self.http.call("POST", "/_mock/snapshots", body={"name": name})
        return list(found["snapshots"])

    def restore_snapshot(self, name: str) -> int:
        """Put the whole mock back as snapshot ``name`` left it; the mock clock's time (ms)."""
        path = "/_mock/snapshots/" + quote(name, safe="") + "/restore"
        return int(self.http.call("POST", path)["now_ms"])

    # -- Amplitude cohorts (mock only) ------------------------------------------------------------
    def define_cohort(
        self, name: str, rule: dict[str, Any], *, api_key: str | None = None
    ) -> dict[str, Any]:
        """A behavioral cohort of the key's project from a rule; the answer has its ``id``."""
        body = {"api_key": self._key(api_key), "name": name, "rule": rule}
        found: dict[str, Any] = self.http.call("POST", "/_mock/amplitude/cohorts", body=body)
        return found

    def secret_keys(self) -> dict[str, str]:
        return dict(self.http.call("GET", "/_mock/amplitude/secrets")["secret_keys"])

    def add_secret(self, secret_key: str, *, api_key: str | None = None) -> dict[str, str]:
        """Register the secret key of the key's project (Basic and ``Api-Key`` auth)."""
        body = {"api_key": self._key(api_key), "secret_key": secret_key}
        return dict(self.http.call("POST", "/_mock/amplitude/secrets", body=body)["secret_keys"])


def _device_path(device_id: str) -> str:
    return "/_mock/devices/" + quote(device_id, safe="")


def _clock_state(found: dict[str, Any]) -> ClockState:
    scale = found.get("scale")
    return ClockState(int(found["now_ms"]), None if scale is None else float(scale))
