"""The Amplitude model: one ``Backend`` per API key (created lazily) inside an ``AmplitudeModel``
that holds the keys, the journal, the faults and the clock.

``AmplitudeModel.upload`` runs the checks of DESIGN §4 in order on an already-parsed payload and
returns the exact status and body the HTTP mock sends. The HTTP shell (``mocks/amplitude``) only
parses bytes, calls it and copies the result to the wire; the connector model calls it directly.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from itertools import repeat
from typing import Any, NamedTuple

import orjson

from simulator.amplitude import errors, journal, throttle
from simulator.amplitude.cohorts import ProjectCohorts
from simulator.amplitude.dedupe import Dedupe, dedupe_devices
from simulator.amplitude.errors import UploadResult
from simulator.amplitude.export import Ingested
from simulator.amplitude.faults import Fault, FaultRequest, Faults
from simulator.amplitude.identify import Properties
from simulator.amplitude.journal import (
    API_KEY,
    OUTCOME,
    RAW,
    RECEIVED_AT,
    SEQ,
    Journal,
    Page,
    Request,
)
from simulator.amplitude.limits import Limits
from simulator.amplitude.validation import (
    GROUP_IDENTIFY,
    IDENTIFY,
    IdColumns,
    check_events,
    min_id_length,
)
from simulator.clock import Clock
from simulator.rng import derive

ENDPOINTS = ("httpapi", "batch", "identify", "groupidentify")
_OTHERS_INVALID = "rejected with its request: other events are invalid"
_OTHERS_THROTTLED = "rejected with its request: other ids are throttled"


class Backend:
    """The state of one project (API key): windows, quotas, dedupe horizon, properties."""

    def __init__(self, api_key: str, limits: Limits) -> None:
        self.api_key = api_key
        self.windows = throttle.Windows.create(limits)
        self.dedupe = Dedupe(limits.dedupe_s)
        self.properties = Properties()
        self.throttled_at: dict[tuple[str, str], float] = {}
        self.cohorts = ProjectCohorts()  # simulator.amplitude.cohort_api
        self.silenced: set[str] = set()  # device ids Amplitude has silenced (spam), [V2] 400

    def reset(self) -> None:
        self.windows.clear()
        self.dedupe.clear()
        self.properties.clear()
        self.throttled_at.clear()
        self.cohorts.clear()
        self.silenced.clear()

    def throttled_now(self, now: float, window_s: float) -> dict[str, list[str]]:
        """Ids answered 429 within the last window, by kind."""
        out: dict[str, list[str]] = {"devices": [], "users": []}
        for (kind, key), at in self.throttled_at.items():
            if now - at < window_s:
                out["devices" if kind == "device" else "users"].append(key)
        return out


class Changes(NamedTuple):
    """What changed since a store last looked (``AmplitudeModel.changes_since``)."""

    resets: list[tuple[int, int, str | None]]
    rows: list[journal.Row]
    requests: list[Request]
    state: dict[str, Any]


class AmplitudeModel:
    """Amplitude ingestion for any number of projects, on an injected clock. Thread-safe."""

    def __init__(
        self,
        clock: Clock,
        limits: Limits | None = None,
        *,
        api_keys: Iterable[str] | None = None,
        seed: int | str | None = None,
        timer: Callable[[], float] | None = None,
    ) -> None:
        self.clock = clock
        # An injected monotonic timer (seconds), when given, times each request's handling
        # (lock wait included) into its request-log line; the core reads no time itself.
        self.timer = timer
        self.limits = limits or Limits()
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        keys = list(api_keys) if api_keys is not None else None
        self.sandbox = not keys
        self._keys: dict[str, float | None] = dict.fromkeys(keys or ())
        self._revoked: set[str] = set()
        self._restores: dict[str, float] = {}  # key -> when an expired key is accepted again
        self.backends: dict[str, Backend] = {}
        self.journal = Journal(self.limits.max_journal, self.limits.max_request_log)
        self.faults = Faults(derive(seed, "faults"))
        self.resets: list[tuple[int, int, str | None]] = []  # see take_resets

    # -- keys -------------------------------------------------------------------------------
    def add_key(
        self, key: str, expires_at: float | None = None, restores_at: float | None = None
    ) -> None:
        """Accept ``key`` (until ``expires_at``, seconds on the model clock, when given; and
        again from ``restores_at``: an outage scheduled on the model clock, exact however late
        the caller runs, which a restore sent from the wall clock is not)."""
        if restores_at is not None and (expires_at is None or restores_at <= expires_at):
            raise ValueError("restores_at must come after expires_at")
        with self.lock:
            self._revoked.discard(key)
            self._keys[key] = expires_at
            self._restores.pop(key, None)
            if restores_at is not None:
                self._restores[key] = restores_at

    def revoke_key(self, key: str) -> None:
        """Refuse ``key`` from now on (also in sandbox mode)."""
        with self.lock:
            self._keys.pop(key, None)
            self._restores.pop(key, None)
            self._revoked.add(key)

    def key_valid(self, key: str) -> bool:
        if key in self._revoked:
            return False
        if key in self._keys:
            expires_at, now = self._keys[key], self.clock.now()
            if expires_at is None or now < expires_at:
                return True
            restores_at = self._restores.get(key)
            return restores_at is not None and now >= restores_at
        return self.sandbox

    def keys(self) -> dict[str, Any]:
        with self.lock:
            return {
                "sandbox": self.sandbox,
                "keys": [
                    {"key": k, "expires_at": _ms(t), "restores_at": _ms(self._restores.get(k))}
                    for k, t in self._keys.items()
                ],
                "revoked": sorted(self._revoked),
            }

    def backend(self, api_key: str) -> Backend:
        found = self.backends.get(api_key)
        if found is None:
            found = self.backends[api_key] = Backend(api_key, self.limits)
        return found

    # -- ingestion --------------------------------------------------------------------------
    def upload(
        self,
        endpoint: str,
        payload: Any,
        *,
        size_bytes: int,
        decoded_bytes: int | None = None,
    ) -> UploadResult:
        """One request to ``/2/httpapi`` (``endpoint="httpapi"``) or ``/batch`` (``"batch"``).

        ``payload`` is the parsed JSON body; ``size_bytes`` the body length as received (the
        200's ``payload_size_bytes``); ``decoded_bytes`` its length after gunzip, checked
        against the byte cap (defaults to ``size_bytes``).
        """
        api_key = payload.get("api_key") if isinstance(payload, dict) else None
        events = payload.get("events") if isinstance(payload, dict) else None

        def run(rid: int, now: float) -> UploadResult:
            return self._upload(endpoint, payload, size_bytes, decoded_bytes, rid, now)

        return self._handle(endpoint, _as_key(api_key), events, run)

    def reject(self, endpoint: str, result: UploadResult, api_key: str | None = None) -> None:
        """Log a request the shell answered itself (bad bytes, Content-Length over the cap)."""
        with self.lock:
            rid = self.journal.next_request_id()
            self._log(rid, endpoint, api_key, 0, result, fault=False)

    def fault_for(self, endpoint: str, api_key: str | None = None) -> UploadResult | None:
        """A fault that replaces the answer to a request the shell could not parse, if any."""
        with self.lock:
            fault = self.faults.pick(endpoint, api_key)
            if fault is None or fault.after:
                return None
            result = fault.render(None, self._fault_request(endpoint, api_key, None))
            self._log(self.journal.next_request_id(), endpoint, api_key, 0, result, fault=True)
            return result

    def identify(self, kind: str, form: Mapping[str, str], *, size_bytes: int) -> UploadResult:
        """The form-encoded Identify (``kind="identify"``) or Group Identify API.

        AMPLITUDE_API.md §6.1–§6.2: ``api_key``, ``identification`` (a JSON string: one object
        or an array). Each identification becomes a ``$identify``/``$groupidentify`` event and
        goes through the same checks as an upload; the 200 body is the upload's (the real one
        is undocumented). A missing or malformed ``identification`` is 400 ``missing_event``.
        """
        api_key = form.get("api_key")
        events = _identifications(kind, form.get("identification"))

        def run(rid: int, now: float) -> UploadResult:
            if not api_key:
                return errors.bad_request(errors.MISSING_FIELD, missing_field="api_key")
            if events is None:
                return errors.bad_request(errors.MISSING_EVENT)
            options: Any = _loads(form.get("options") or "null")
            payload = {"api_key": api_key, "events": events, "options": options}
            return self._upload(kind, payload, size_bytes, None, rid, now)

        return self._handle(kind, api_key or None, events, run)

    def _fault_request(self, endpoint: str, api_key: str | None, events: Any) -> FaultRequest:
        listed = events if isinstance(events, list) else []
        return FaultRequest(api_key, listed, self.limits.eps_for(endpoint))

    def _handle(self, endpoint: str, api_key: str | None, events: Any, run: Any) -> UploadResult:
        started = self.timer() if self.timer is not None else None
        with self.lock:
            now = self.clock.now()
            rid = self.journal.next_request_id()
            fault = self.faults.pick(endpoint, api_key)
            if fault is not None and not fault.after and fault.status is not None:
                result = fault.render(None, self._fault_request(endpoint, api_key, events))
            else:
                result = run(rid, now)
                if fault is not None:
                    result = fault.render(result, self._fault_request(endpoint, api_key, events))
            self._log(rid, endpoint, api_key, _count(events), result, fault=fault is not None,
                      started=started)  # fmt: skip
            self.changed.notify_all()
            return result

    def _log(
        self,
        rid: int,
        endpoint: str,
        api_key: str | None,
        n_events: int,
        result: UploadResult,
        *,
        fault: bool,
        started: float | None = None,
    ) -> None:
        now_ms = int(self.clock.now() * 1000)
        took = None
        if started is not None and self.timer is not None:
            took = round((self.timer() - started) * 1000, 3)
        self.journal.log(
            Request(
                rid, now_ms, endpoint, api_key, result.status, n_events, result.body, fault, took
            )
        )

    def _upload(
        self,
        endpoint: str,
        payload: Any,
        size_bytes: int,
        decoded_bytes: int | None,
        rid: int,
        now: float,
    ) -> UploadResult:
        limits, log = self.limits, self.journal
        now_ms = int(now * 1000)
        if not isinstance(payload, dict):
            return errors.bad_request(errors.INVALID_JSON)
        api_key, events = payload.get("api_key"), payload.get("events")
        listed = events if isinstance(events, list) else []
        if not isinstance(api_key, str) or not api_key:
            log.add(None, rid, now_ms, journal.INVALID, listed, default_reason="no api_key",
                    endpoint=endpoint)  # fmt: skip
            return errors.bad_request(errors.MISSING_FIELD, missing_field="api_key")
        if events is None:
            return errors.bad_request(errors.MISSING_FIELD, missing_field="events")
        if not self.key_valid(api_key):
            log.add(api_key, rid, now_ms, journal.UNAUTHORIZED, listed, endpoint=endpoint)
            return errors.invalid_api_key(api_key)
        if not isinstance(events, list):
            return errors.bad_request(errors.INVALID_EVENT_JSON)
        size = size_bytes if decoded_bytes is None else decoded_bytes
        if len(events) > limits.max_events or size > limits.max_bytes_for(endpoint):
            log.add(api_key, rid, now_ms, journal.PAYLOAD_TOO_LARGE, events, endpoint=endpoint)
            return errors.payload_too_large()
        min_len = min_id_length(payload.get("options"), limits)
        if min_len is None:
            log.add(api_key, rid, now_ms, journal.INVALID, events, default_reason="bad options",
                    endpoint=endpoint)  # fmt: skip
            return errors.bad_request(errors.INVALID_FIELDS, invalid_options=["min_id_length"])
        problems, ids = check_events(events, min_len, limits)
        if problems:
            log.add(api_key, rid, now_ms, journal.INVALID, events, problems.reasons,
                    _OTHERS_INVALID, endpoint=endpoint)  # fmt: skip
            return errors.bad_request(problems.error(), **problems.body_fields())
        backend = self.backend(api_key)
        silenced = [i for i, d in enumerate(ids[0]) if d is not None and d in backend.silenced]
        if silenced:
            devices = sorted({d for d in ids[0] if d is not None and d in backend.silenced})
            log.add(api_key, rid, now_ms, journal.INVALID, events, dict.fromkeys(silenced,
                    "device silenced"), _OTHERS_INVALID, endpoint=endpoint)  # fmt: skip
            return errors.silenced(devices, silenced, limits.eps_for(endpoint))
        identifies = identify_indices(events)
        counted = without(ids, identifies)
        verdict, pending = throttle.decide(backend.windows, counted, now, endpoint, limits)
        if verdict is not None:
            self._journal_throttled(backend, verdict, ids, events, rid, now, endpoint)
            return verdict.result()
        throttle.record(backend.windows, pending, now)
        ingested = self._ingest(backend, events, ids, rid, now, endpoint, identifies)
        count = len(events) if limits.count_duplicates_as_ingested else ingested
        return errors.success(count, size_bytes, now_ms)

    def _ingest(
        self,
        backend: Backend,
        events: list[dict[str, Any]],
        ids: IdColumns,
        rid: int,
        now: float,
        endpoint: str,
        identifies: list[int],
    ) -> int:
        new = _deduped_and_applied(backend, events, ids, now)
        ingested = new.count(True)
        if ingested == len(new):
            outcomes = [journal.INGESTED] * ingested
        else:
            outcomes = [journal.INGESTED if flag else journal.DEDUPLICATED for flag in new]
        for i in identifies:  # identify calls are not events: journaled as their own kind
            if new[i]:
                outcomes[i] = journal.IDENTIFIED
        self.journal.add_each(
            backend.api_key, rid, int(now * 1000), outcomes, events, endpoint=endpoint
        )
        return ingested

    def _journal_throttled(
        self,
        backend: Backend,
        verdict: errors.Throttled,
        ids: IdColumns,
        events: list[Any],
        rid: int,
        now: float,
        endpoint: str,
    ) -> None:
        over_quota = set(verdict.exceeded_daily_quota_devices) | set(
            verdict.exceeded_daily_quota_users
        )
        outcomes = []
        for device_id, user_id in zip(*ids, strict=True):
            quota = device_id in over_quota or user_id in over_quota
            outcomes.append(journal.QUOTA_EXCEEDED if quota else journal.THROTTLED)
        for key in (*verdict.throttled_devices, *verdict.exceeded_daily_quota_devices):
            backend.throttled_at[("device", key)] = now
        for key in (*verdict.throttled_users, *verdict.exceeded_daily_quota_users):
            backend.throttled_at[("user", key)] = now
        self.journal.add_each(
            backend.api_key, rid, int(now * 1000), outcomes, events, endpoint=endpoint
        )

    # -- queries and control ----------------------------------------------------------------
    def events(self, *, limit: int = 100, cursor: str | None = None, **filters: str | None) -> Page:
        """Journal entries matching ``filters`` (names in ``journal.FILTERS``), paged."""
        unknown = set(filters) - set(journal.FILTERS)
        if unknown:
            raise ValueError(f"unknown filter(s): {', '.join(sorted(unknown))}")
        with self.lock:
            clean = {k: v for k, v in filters.items() if v is not None}
            return self.journal.query(clean, limit=limit, cursor=cursor)

    def requests(
        self, *, api_key: str | None = None, limit: int = 100, cursor: str | None = None
    ) -> Page:
        with self.lock:
            return self.journal.request_page(api_key, limit=limit, cursor=cursor)

    def count(self, **filters: str | None) -> int:
        with self.lock:
            clean = {k: v for k, v in filters.items() if v is not None}
            return self.journal.count(clean)[0]

    def ingested(self, api_key: str) -> list[Ingested]:
        """This project's ingested events received at least ``export_delay_s`` ago (Export API)."""
        with self.lock:
            until_ms = (self.clock.now() - self.limits.export_delay_s) * 1000
            rows = self.journal.entries
            return [
                Ingested(row[RECEIVED_AT], row[SEQ], orjson.loads(row[RAW]))
                for row in rows
                if row[API_KEY] == api_key
                and row[OUTCOME] == journal.INGESTED
                and row[RECEIVED_AT] <= until_ms
            ]

    def user_properties(
        self, api_key: str, *, user_id: str | None = None, device_id: str | None = None
    ) -> dict[str, Any] | None:
        """Properties set by identify operations (the User Profile API's ``amp_props``)."""
        with self.lock:
            backend = self.backends.get(api_key)
            found = backend.properties.user(user_id, device_id) if backend else None
            return dict(found) if found is not None else None

    def group_properties(
        self, api_key: str, group_type: str, group_value: str
    ) -> dict[str, Any] | None:
        with self.lock:
            backend = self.backends.get(api_key)
            found = backend.properties.group(group_type, group_value) if backend else None
            return dict(found) if found is not None else None

    def wait_for(self, count: int, filters: dict[str, str], timeout_s: float) -> int:
        """Block the calling thread until ``count`` journal entries match ``filters`` or
        ``timeout_s`` (real seconds: a waiting request thread, not model time) pass; returns
        how many matched. Woken by every change, it counts only entries newer than it saw."""
        with self.changed:
            matched, last = self.journal.count(filters)

            def enough() -> bool:
                nonlocal matched, last
                more, last = self.journal.count(filters, last)
                matched += more
                return matched >= count

            if matched < count:
                self.changed.wait_for(enough, timeout_s)
            return matched

    def fault_rules(self) -> list[dict[str, Any]]:
        """The active fault rules, first match first."""
        with self.lock:
            return [rule.to_dict() for rule in self.faults.rules]

    def silence(self, api_key: str, device_id: str, silenced: bool = True) -> None:
        """Make Amplitude treat ``device_id`` as spam: its events get the [V2] 400 "Events
        silenced for device_id" (or stop doing so)."""
        with self.lock:
            found = self.backend(api_key).silenced
            if silenced:
                found.add(device_id)
            else:
                found.discard(device_id)

    def is_silenced(self, api_key: str, device_id: str) -> bool:
        with self.lock:
            backend = self.backends.get(api_key)
            return backend is not None and device_id in backend.silenced

    def add_fault(self, fault: Fault) -> None:
        with self.lock:
            self.faults.add(fault)

    def clear_faults(self, api_key: str | None = None) -> None:
        """Every fault rule, or those scoped to ``api_key``."""
        with self.lock:
            self.faults.clear(api_key)

    def reset(self, api_key: str | None = None) -> None:
        """Forget state: everything (journal, windows, faults), or one key's."""
        with self.lock:
            if api_key is None:
                self.backends.clear()
                self.faults.clear()
            elif api_key in self.backends:
                self.backends[api_key].reset()
            self.resets.append((self.journal.last_seq, self.journal.last_request_id, api_key))
            self.journal.forget(api_key)
            self.changed.notify_all()

    # -- persistence (a shell such as mocks/persistence.py keeps these) ---------------------
    def export_state(self) -> dict[str, Any]:
        """What the journal cannot rebuild: keys, revocations, faults, each key's recently
        throttled ids and cohort definitions, the entry and request counters. Plain data and
        model objects, for a shell to store."""
        with self.lock:
            now, window = self.clock.now(), self.limits.window_s
            return {
                "keys": dict(self._keys),
                "restores": dict(self._restores),
                "revoked": sorted(self._revoked),
                "faults": [rule.to_dict() for rule in self.faults.rules],
                "throttled_at": {
                    key: {ids: at for ids, at in b.throttled_at.items() if now - at < window}
                    for key, b in self.backends.items()
                    if b.throttled_at
                },
                "cohorts": {
                    key: (b.cohorts.cohorts, b.cohorts.downloads, b.cohorts.serial)
                    for key, b in self.backends.items()
                    if b.cohorts.cohorts or b.cohorts.downloads
                },
                "last_seq": self.journal.last_seq,
                "last_request_id": self.journal.last_request_id,
            }

    def apply_state(self, state: Mapping[str, Any]) -> None:
        """Restore what ``export_state`` gave (after ``replay`` of the journal)."""
        with self.lock:
            self._keys = dict(state["keys"])
            self._restores = dict(state.get("restores", {}))  # absent from older data dirs
            self._revoked = set(state["revoked"])
            self.faults.clear()
            for spec in state["faults"]:
                self.faults.add(Fault(**spec))
            for key, throttled in state["throttled_at"].items():
                self.backend(key).throttled_at.update(throttled)
            for key, (cohorts, downloads, serial) in state["cohorts"].items():
                project = self.backend(key).cohorts
                project.cohorts.update(cohorts)
                project.downloads.update(downloads)
                project.serial = serial
            self.journal.continue_after(int(state["last_seq"]), int(state["last_request_id"]))

    def replay(self, rows: list[journal.Row], request: Request | None) -> None:
        """Re-apply one journaled request after a restart: its ``rows`` (as the journal keeps
        them, seq order) go back into the journal with their seqs, and an accepted request
        (answered 200: every event ingested or deduplicated) counts again in the windows,
        the dedupe set and the properties, exactly as when it was answered."""
        endpoint = request.endpoint if request is not None else "httpapi"
        with self.lock:
            self.journal.restore(rows, endpoint)
            if request is not None:
                self.journal.log(request)
                self.journal.continue_after(0, request.id)
            accepted = {journal.INGESTED, journal.DEDUPLICATED, journal.IDENTIFIED}
            api_key = rows[0][API_KEY] if rows else None
            if api_key is None or not all(row[OUTCOME] in accepted for row in rows):
                return
            events = [orjson.loads(row[RAW]) for row in rows]
            ids: IdColumns = ([e.get("device_id") for e in events],
                              [e.get("user_id") for e in events])  # fmt: skip
            now = rows[0][3] / 1000.0
            backend = self.backend(api_key)
            counted = without(ids, identify_indices(events))
            _, pending = throttle.decide(backend.windows, counted, now, endpoint, self.limits)
            throttle.record(backend.windows, pending, now)
            _deduped_and_applied(backend, events, ids, now)

    def changes_since(self, seq: int, request_id: int) -> Changes:
        """Everything a store needs to catch up, taken at one instant: the resets since the
        last call, the journal rows after ``seq``, the requests after ``request_id``, and
        ``export_state()``."""
        with self.lock:
            return Changes(
                self.take_resets(),
                self.journal.rows_after(seq),
                self.journal.requests_since(request_id, None),
                self.export_state(),
            )

    def take_resets(self) -> list[tuple[int, int, str | None]]:
        """Resets since the last call: (last journal seq, last request id, key or None for
        all) at the time of each, so a store forgets what they forgot."""
        with self.lock:
            taken, self.resets = self.resets, []
            return taken

    # -- live views (the sandbox dashboard and /_mock/stream) -------------------------------
    def positions(self) -> tuple[int, int]:
        """The newest journal seq and request id: where a live view starts."""
        with self.lock:
            return self.journal.last_seq, self.journal.last_request_id

    def entries_since(
        self, seq: int, match: Callable[[journal.Row], bool], limit: int
    ) -> tuple[list[dict[str, Any]], int]:
        """Matching journal entries newer than ``seq`` (oldest first, at most ``limit``) and
        the seq to continue from."""
        with self.lock:
            found, upto = self.journal.since(seq, match, limit)
        return [entry.to_dict() | {"seq": entry.seq} for entry in found], upto

    def latest_entries(
        self, match: Callable[[journal.Row], bool], limit: int, before: int | None = None
    ) -> list[dict[str, Any]]:
        """The newest matching journal entries, newest first (older than seq ``before``)."""
        with self.lock:
            found = self.journal.latest(match, limit, before)
        return [entry.to_dict() | {"seq": entry.seq} for entry in found]

    def requests_since(
        self, request_id: int, keys: frozenset[str] | None
    ) -> tuple[list[dict[str, Any]], int]:
        """Requests logged after ``request_id`` (of ``keys`` when given), oldest first, and
        the newest request id (where to continue from)."""
        with self.lock:
            found = self.journal.requests_since(request_id, keys)
            return [r.to_dict() for r in found], max(request_id, self.journal.last_request_id)

    def timeline(self, keys: frozenset[str] | None, span_s: int) -> dict[str, Any]:
        """Events per second by outcome over the last ``span_s`` seconds of the model clock."""
        with self.lock:
            now_s = int(self.clock.now())
            series = self.journal.timeline.series(keys, now_s, span_s)
        return {"end_s": now_s, "span_s": span_s, "outcomes": series}

    def nearest_limits(self, api_key: str, n: int) -> dict[str, list[dict[str, Any]]]:
        """The ``n`` devices and users of ``api_key`` nearest a limit: events in the throttle
        window against ``eps * window_s`` (what /2/httpapi allows) and in the 24 h quota."""
        out: dict[str, list[dict[str, Any]]] = {"devices": [], "users": []}
        with self.lock:
            now = self.clock.now()
            backend = self.backends.get(api_key)
            if backend is None:
                return out
            hot = backend.throttled_now(now, self.limits.window_s)
            for kind, table in (("devices", backend.windows.devices),
                                ("users", backend.windows.users)):  # fmt: skip
                counted = [(*table.count(key, now), key) for key in table.ids]
                counted.sort(reverse=True)
                throttled = set(hot[kind])
                out[kind] = [self._fill(key, rate, quota, key in throttled)
                             for rate, quota, key in counted[:n]]  # fmt: skip
        return out

    def _fill(self, key: str, rate: int, quota: int, throttled: bool) -> dict[str, Any]:
        """One row of ``nearest_limits``."""
        limits = self.limits
        rate_cap = limits.eps_httpapi * limits.window_s
        return {
            "id": key,
            "window_events": rate,
            "window_eps": round(rate / limits.window_s, 2),
            "window_fill": round(rate / rate_cap, 4),
            "quota_events": quota,
            "quota_fill": round(quota / limits.daily_quota, 6) if limits.daily_quota else None,
            "throttled": throttled,
        }

    def profiles(self, api_key: str, limit: int) -> dict[str, Any]:
        """Properties set by identify operations, per user, device and group (``limit`` each)."""
        with self.lock:
            backend = self.backends.get(api_key)
            if backend is None:
                return {"users": {}, "devices": {}, "groups": []}
            props = backend.properties
            return {
                "users": dict(list(props.users.items())[-limit:]),
                "devices": dict(list(props.devices.items())[-limit:]),
                "groups": [
                    {"group_type": t, "group_value": v, "properties": p}
                    for (t, v), p in list(props.groups.items())[-limit:]
                ],
            }

    def event_counts(self) -> dict[tuple[str | None, str, str], int]:
        """Events received per (api_key, endpoint, outcome), trimmed entries included."""
        with self.lock:
            return dict(self.journal.counts)

    def stats(self) -> dict[str, Any]:
        """Counts per outcome, per key, the currently throttled ids, journal size."""
        with self.lock:
            now = self.clock.now()
            totals = dict.fromkeys(journal.OUTCOMES, 0)
            per_key: dict[str, dict[str, int]] = {}
            for (key, _endpoint, outcome), n in self.journal.counts.items():
                totals[outcome] += n
                per_key.setdefault(key or "", dict.fromkeys(journal.OUTCOMES, 0))[outcome] += n
            throttled = {
                key: ids
                for key, backend in self.backends.items()
                if any((ids := backend.throttled_now(now, self.limits.window_s)).values())
            }
            return {
                "outcomes": totals,
                "keys": per_key,
                "throttled": throttled,
                "journal": {
                    "size": len(self.journal.entries),
                    "max": self.limits.max_journal,
                    "dropped": self.journal.dropped,
                },
                "requests": len(self.journal.requests),
            }


def _deduped_and_applied(
    backend: Backend, events: list[dict[str, Any]], ids: IdColumns, now: float
) -> list[bool]:
    """The state changes of an accepted request's events past the throttle: the dedupe set
    (which are new), then the properties of the new ones. Shared by ingestion and replay."""
    # Validation made every insert_id a string or None, so they go straight to dedupe.
    insert_ids = list(map(dict.get, events, repeat("insert_id")))
    new = backend.dedupe.new_flags(dedupe_devices(ids), insert_ids, now)
    props = backend.properties
    for event, flag in zip(events, new, strict=True):
        if flag and ("user_properties" in event or "group_properties" in event):
            props.apply_event(event)
    return new


IDENTIFY_TYPES = frozenset({IDENTIFY, GROUP_IDENTIFY})


def identify_indices(events: list[dict[str, Any]]) -> list[int]:
    """Indices of ``$identify`` / ``$groupidentify`` events (from the SDKs or the Identify APIs).

    [IDENT]: an identify call creates no event, so "active/new-user counts and event volume are
    unaffected": the mock does not count them toward the throttle window, the daily quota or
    cohort activity (journaled as ``identified``, not ``ingested``)."""
    types = list(map(dict.get, events, repeat("event_type")))
    if IDENTIFY not in types and GROUP_IDENTIFY not in types:
        return []
    return [i for i, t in enumerate(types) if t in IDENTIFY_TYPES]


def without(ids: IdColumns, indices: list[int]) -> IdColumns:
    """``ids`` with the events at ``indices`` carrying no id (the throttle skips them)."""
    if not indices:
        return ids
    devices, users = list(ids[0]), list(ids[1])
    for i in indices:
        devices[i] = users[i] = None
    return devices, users


def _as_key(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _count(events: Any) -> int:
    return len(events) if isinstance(events, list) else 0


def _loads(text: str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return None


def _identifications(kind: str, raw: str | None) -> list[dict[str, Any]] | None:
    """``identification`` as events, or None when missing or malformed."""
    if not raw:
        return None
    parsed = _loads(raw)
    items = parsed if isinstance(parsed, list) else [parsed]
    if not items or not all(isinstance(i, dict) for i in items):
        return None
    if kind == "identify":
        return [{**item, "event_type": IDENTIFY} for item in items]
    events = []
    for item in items:
        group_type, group_value = item.get("group_type"), item.get("group_value")
        if not isinstance(group_type, str) or not isinstance(group_value, str):
            return None
        events.append(
            {
                "event_type": GROUP_IDENTIFY,
                "groups": {group_type: group_value},
                "group_properties": item.get("group_properties") or {},
            }
        )
    return events


def _ms(seconds: float | None) -> int | None:
    """Seconds on the model clock as the admin API's integer milliseconds."""
    return None if seconds is None else int(seconds * 1000)
