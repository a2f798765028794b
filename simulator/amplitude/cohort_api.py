"""The Behavioral Cohorts API of the Amplitude model (AMPLITUDE_API.md §8, [COH]).

``CohortApi(model, secret_keys=None, polls_before_done=1)`` answers, per project:

- ``list_cohorts`` = ``GET /api/3/cohorts`` -> ``{"cohorts": [COHORT, ...]}``;
- ``request_download`` = ``GET /api/5/cohorts/request/<cohort_id>`` -> 202
  ``{"request_id", "cohort_id"}``; ``request_status`` = ``.../request-status/<request_id>`` ->
  202 ``"async_status": "JOB INPROGRESS"`` for the first ``polls_before_done`` polls, then 200
  ``"JOB COMPLETED"``; ``download_file`` = ``.../request/<request_id>/file`` -> RFC 4180 CSV
  with a header row (``amplitude_id,user_id,device_id`` plus one column per ``propKeys`` when
  ``props=1``; [JVMX] reads the ``user_id`` column);
- ``upload`` = ``POST /api/3/cohorts/upload`` and ``membership`` = ``POST
  /api/3/cohorts/membership`` (JSON bodies of §8);
- ``define`` (mock only, ``POST /_mock/amplitude/cohorts``): a behavioral cohort from a rule.

Auth: HTTP Basic ``api_key:secret_key`` ([COH]). ``secret_keys`` maps API keys to secret keys
(``add_secret`` adds more). A project with no registered secret accepts any non-empty secret
while the model is in sandbox mode. A bad pair is 403 with the body seen in a public test
fixture (§8: ``"Invalid API/Secret Key combination"``, not authoritative).

Decisions: the snapshot behind a download is taken when the job completes (the first 200 poll)
and kept; asking for the file before that answers 202 with the job status. A known user is one
the project has ingested an event for; upload/membership ids that are not known are invalid
(``skip_invalid_ids`` true, the default, skips them; false makes the request a 400).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator.amplitude import journal
from simulator.amplitude.cohort_limits import MAX_IDS_PER_REQUEST, PARALLEL_WINDOW_S
from simulator.amplitude.cohorts import Cohort, Download, Person, ProjectCohorts, parse_rule
from simulator.amplitude.export import app_number
from simulator.amplitude.profile_data import spec_problem

if TYPE_CHECKING:
    from simulator.amplitude.backend import AmplitudeModel

BAD_CREDENTIALS = "Invalid API/Secret Key combination"
ID_TYPES_UPLOAD = {"BY_AMP_ID": "amplitude_id", "BY_USER_ID": "user_id"}
ID_TYPES_MEMBERSHIP = {"BY_ID": "amplitude_id", "BY_NAME": "user_id"}
OPERATIONS = ("ADD", "REMOVE")


@dataclass(frozen=True)
class ApiResult:
    """Status and body (JSON ``body``, or ``text`` of ``mimetype``)."""

    status: int
    body: Any = None
    text: str | None = None
    mimetype: str = "application/json"
    observed: Any = None  # the body in the observed shape, where it differs (``OBSERVED``)


# Body shapes. The current [COH] page: upload answers ``{"cohort_id", "metadata"}`` and errors
# are ``{"error": {"message", "code", "metadata"}}``. Older revisions of the page
# (amplitude/amplitude-docs, content/collections/api/en/behavioral-cohorts.md @0f3fad0) and a
# captured real answer (``{"cohortId": ..., "cohortsById": ...}``, qodex.ai's Amplitude
# collection) use ``cohortId`` and ``{"error": {"http_code", "type", "message", "metadata"}}``.
# The mock answers the current doc; ``serve --cohort-bodies observed`` answers the other
# (``ApiResult.observed``).
DOCUMENTED, OBSERVED = "documented", "observed"
BODY_STYLES = (DOCUMENTED, OBSERVED)


def api_error(status: int, message: str, kind: str = "invalid_request", **meta: Any) -> ApiResult:
    """[COH] error shape ``{"error": {"message", "code", "metadata"}}`` (observed: with
    ``http_code`` and ``type`` instead of ``code``)."""
    error = {"message": message, "code": status, "metadata": meta}
    observed = {"http_code": status, "type": kind, "message": message, "metadata": meta}
    return ApiResult(status, {"error": error}, observed={"error": observed})


def forbidden() -> ApiResult:
    """A bad ``api_key:secret_key`` pair; the observed body is from a public test fixture
    (AMPLITUDE_API.md §8, not authoritative)."""
    observed = {"http_code": 403, "type": "unspecified", "metadata": {"details": BAD_CREDENTIALS}}
    return ApiResult(
        403,
        {"error": {"message": BAD_CREDENTIALS, "code": 403, "metadata": {}}},
        observed={"error": observed},
    )


def styled(result: ApiResult, style: str) -> Any:
    """The body to send in ``style`` (``DOCUMENTED`` or ``OBSERVED``)."""
    if style == OBSERVED and result.observed is not None:
        return result.observed
    return result.body


class CohortApi:
    """Cohorts and downloads over an ``AmplitudeModel`` (its lock, clock, keys, journal)."""

    def __init__(
        self,
        model: AmplitudeModel,
        secret_keys: Mapping[str, str] | None = None,
        *,
        polls_before_done: int = 1,
    ) -> None:
        self.model = model
        self.secret_keys: dict[str, str] = dict(secret_keys or {})
        self.polls_before_done = polls_before_done
        self._indexed_seq = 0

    # -- auth ----------------------------------------------------------------------------
    def add_secret(self, api_key: str, secret_key: str) -> None:
        with self.model.lock:
            self.secret_keys[api_key] = secret_key

    def check_pair(self, api_key: str | None, secret_key: str | None) -> bool:
        """Whether Basic ``api_key:secret_key`` names a valid project."""
        if not api_key or not secret_key or not self.model.key_valid(api_key):
            return False
        known = self.secret_keys.get(api_key)
        return known == secret_key if known is not None else self.model.sandbox

    def api_key_for_secret(self, secret_key: str) -> str | None:
        """The project whose registered secret key this is (``Api-Key`` auth)."""
        for api_key, secret in self.secret_keys.items():
            if secret == secret_key and self.model.key_valid(api_key):
                return api_key
        return None

    # -- state ---------------------------------------------------------------------------
    def project(self, api_key: str) -> ProjectCohorts:
        """The project's cohort state, with every newly ingested event indexed."""
        self._index()
        return self.model.backend(api_key).cohorts

    def _index(self) -> None:
        fresh = []
        for row in reversed(self.model.journal.entries):
            entry = journal.Entry(*row)
            if entry.seq <= self._indexed_seq:
                break
            fresh.append(entry)
        for entry in reversed(fresh):
            if entry.api_key is None:
                continue
            if entry.outcome == journal.INGESTED:
                activity = self.model.backend(entry.api_key).cohorts.activity
                activity.observe(entry.to_dict(), entry.received_at / 1000.0)
            elif entry.outcome == journal.IDENTIFIED:
                self.model.backend(entry.api_key).cohorts.activity.identified(entry.to_dict())
        if fresh:
            self._indexed_seq = fresh[0].seq

    def reindex(self) -> None:
        """Index the whole journal again on next use (its entries were replaced: a restored
        snapshot or a restart)."""
        with self.model.lock:
            self._indexed_seq = 0

    def members(self, api_key: str, cohort_id: str) -> list[Person] | None:
        """The cohort's members now (None for an unknown cohort)."""
        with self.model.lock:
            state = self.project(api_key)
            cohort = state.cohorts.get(cohort_id)
            if cohort is None:
                return None
            props = self.model.backend(api_key).properties
            return state.members(cohort, props, self.model.clock.now())

    def cohorts_of(self, api_key: str, person: Person) -> list[str]:
        """Ids of every cohort ``person`` is in now (the Profile API's ``cohort_ids``)."""
        with self.model.lock:
            state = self.project(api_key)
            return [
                c.id
                for c in state.cohorts.values()
                if any(m.key == person.key for m in self.members(api_key, c.id) or [])
            ]

    # -- the API ---------------------------------------------------------------------------
    def list_cohorts(self, api_key: str) -> ApiResult:
        with self.model.lock:
            state = self.project(api_key)
            return ApiResult(
                200, {"cohorts": [self._render(api_key, c) for c in state.cohorts.values()]}
            )

    def _render(self, api_key: str, cohort: Cohort) -> dict[str, Any]:
        now_s = int(self.model.clock.now())
        definition = cohort.rule.to_dict() if cohort.rule else {"type": "uploaded"}
        return {
            "appId": app_number(api_key),
            "archived": False,
            "definition": definition,
            "description": cohort.description,
            "finished": True,
            "id": cohort.id,
            "name": cohort.name,
            "owners": [cohort.owner],
            "viewers": [],
            "published": cohort.published,
            "size": len(self.members(api_key, cohort.id) or []),
            "type": cohort.kind,
            "lastMod": int(cohort.last_mod),
            "createdAt": int(cohort.created_at),
            "lastComputed": now_s,
            "hidden": False,
            "metadata": [],
            "view_count": 0,
            "popularity": 0,
            "last_viewed": None,
            "chart_id": None,
            "edit_id": None,
            "is_predictive": False,
            "is_official_content": False,
            "location_id": None,
            "shortcut_ids": [],
            "syncMetadata": [],
        }

    def define(self, api_key: str, name: str, rule_spec: Any) -> ApiResult:
        """A behavioral cohort (mock only): ``rule_spec`` as in ``cohorts.parse_rule``."""
        try:
            rule = parse_rule(rule_spec)
        except ValueError as exc:
            return api_error(400, str(exc))
        with self.model.lock:
            state, now = self.project(api_key), self.model.clock.now()
            cohort = Cohort(state.new_id(api_key, "cohort"), name, now, rule=rule, last_mod=now)
            state.cohorts[cohort.id] = cohort
            return ApiResult(200, self._render(api_key, cohort))

    def request_download(self, api_key: str, cohort_id: str, prop_keys: list[str]) -> ApiResult:
        with self.model.lock:
            state = self.project(api_key)
            if cohort_id not in state.cohorts:
                return api_error(404, f"Cohort {cohort_id} not found", "not_found")
            now = self.model.clock.now()
            running = sum(
                1
                for d in state.downloads.values()
                if d.csv is None and now - d.requested_at < PARALLEL_WINDOW_S
            )
            refusal = state.download_limits.refusal(now, running)
            if refusal is not None:
                return api_error(429, refusal, "rate_limited", cohort_id=cohort_id)
            rid = state.new_id(api_key, "request")
            state.downloads[rid] = Download(rid, cohort_id, tuple(prop_keys), requested_at=now)
            return ApiResult(202, {"request_id": rid, "cohort_id": cohort_id})

    def request_status(self, api_key: str, request_id: str) -> ApiResult:
        with self.model.lock:
            download = self.project(api_key).downloads.get(request_id)
            if download is None:
                return api_error(404, f"Request {request_id} not found", "not_found")
            download.polls += 1
            if download.csv is None and download.polls > self.polls_before_done:
                download.csv = self._csv(api_key, download)
            return _status(download)

    def download_file(self, api_key: str, request_id: str) -> ApiResult:
        with self.model.lock:
            download = self.project(api_key).downloads.get(request_id)
            if download is None:
                return api_error(404, f"Request {request_id} not found", "not_found")
            if download.csv is None:
                return _status(download)
            return ApiResult(200, text=download.csv, mimetype="text/csv")

    def _csv(self, api_key: str, download: Download) -> str:
        people = self.members(api_key, download.cohort_id) or []
        props = self.model.backend(api_key).properties
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["amplitude_id", "user_id", "device_id", *download.prop_keys])
        for p in people:
            values = props.user(p.user_id, None if p.user_id else p.device_id) or {}
            extra = [_cell(values.get(k)) for k in download.prop_keys]
            writer.writerow([p.amplitude_id, p.user_id or "", p.device_id or "", *extra])
        return out.getvalue()

    # -- Profile API data (mock only, set through the admin API) ----------------------------
    def set_profile(self, api_key: str, body: dict[str, Any]) -> ApiResult:
        """Recommendations, computations and predictions of one known user (``user_id`` or
        ``device_id`` in ``body``) for the User Profile API."""
        problem = spec_problem(body)
        if problem:
            return api_error(400, problem)
        with self.model.lock:
            state = self.project(api_key)
            person = state.activity.find(body.get("user_id"), body.get("device_id"))
            if person is None:
                return api_error(404, "no such user: ingest an event for it first", "not_found")
            state.profile.set_for(person.key, body, self.model.clock.now())
            return ApiResult(200, {"user_key": person.key})

    def track_cohort(self, api_key: str, cohort_id: str, tracked: bool) -> ApiResult:
        """Sync a cohort to the Profile API (or stop): only tracked cohorts are in
        ``cohort_ids`` ([UP])."""
        with self.model.lock:
            state = self.project(api_key)
            if cohort_id not in state.cohorts:
                return api_error(404, f"Cohort {cohort_id} not found", "not_found")
            (state.profile.tracked.add if tracked else state.profile.tracked.discard)(cohort_id)
            return ApiResult(200, {"tracked": sorted(state.profile.tracked)})

    def upload(self, api_key: str, body: Any) -> ApiResult:
        problem = _check_upload(body)
        if problem:
            return api_error(400, problem)
        if len(body["ids"]) > MAX_IDS_PER_REQUEST:
            return _too_many_ids(len(body["ids"]))
        with self.model.lock:
            state, now = self.project(api_key), self.model.clock.now()
            existing = body.get("existing_cohort_id")
            if existing is not None and existing not in state.cohorts:
                return api_error(404, f"Cohort {existing} not found", "not_found")
            keys, invalid = _resolve(state, ID_TYPES_UPLOAD[body["id_type"]], body["ids"])
            if invalid and body.get("skip_invalid_ids", True) is False:
                return api_error(400, "Some ids are invalid", invalid_ids_sample=invalid[:10])
            meta = {
                "matched": len(keys),
                "totals": len(body["ids"]),
                "invalid_ids_sample": invalid[:10],
            }
            if body.get("skip_save") is True:  # [COH]: validate the upload without saving
                return _uploaded(existing, meta)
            if existing is not None:
                cohort = state.cohorts[existing]
                cohort.name, cohort.members, cohort.last_mod = body["name"], set(keys), now
            else:
                cohort = Cohort(
                    state.new_id(api_key, "cohort"),
                    body["name"],
                    now,
                    owner=body["owner"],
                    published=body["published"],
                    members=set(keys),
                    last_mod=now,
                )
                state.cohorts[cohort.id] = cohort
            return _uploaded(cohort.id, meta)

    def membership(self, api_key: str, body: Any) -> ApiResult:
        problem = _check_membership(body)
        if problem:
            return api_error(400, problem)
        total = sum(len(m["ids"]) for m in body["memberships"])
        if total > MAX_IDS_PER_REQUEST:
            return _too_many_ids(total)
        with self.model.lock:
            state = self.project(api_key)
            cohort = state.cohorts.get(body["cohort_id"])
            if cohort is None:
                return api_error(404, f"Cohort {body['cohort_id']} not found", "not_found")
            if cohort.rule is not None:
                return api_error(400, "Cohort is behavioral: its membership is computed")
            strict = body.get("skip_invalid_ids", True) is False
            planned = []
            for m in body["memberships"]:
                keys, invalid = _resolve(state, ID_TYPES_MEMBERSHIP[m["id_type"]], m["ids"])
                planned.append((m, keys, invalid))
            results = [
                {"skipped_ids": invalid, "id_type": m["id_type"], "operation": m["operation"]}
                for m, _, invalid in planned
            ]
            if strict and any(invalid for _, _, invalid in planned):
                # [COH] skip_invalid_ids false "ends the request without updating cohort
                # membership": the error's metadata names the cohort and what was invalid.
                return api_error(400, "Some ids are invalid", cohort_id=cohort.id,
                                 memberships_result=results)  # fmt: skip
            for m, keys, _ in planned:
                if m["operation"] == "ADD":
                    cohort.members.update(keys)
                else:
                    cohort.members.difference_update(keys)
            cohort.last_mod = self.model.clock.now()
            return ApiResult(200, {"cohort_id": cohort.id, "memberships_result": results})


def _uploaded(cohort_id: str | None, meta: dict[str, Any]) -> ApiResult:
    """[COH] upload answer ``{"cohort_id", "metadata"}`` (observed: ``cohortId``)."""
    return ApiResult(
        200,
        {"cohort_id": cohort_id, "metadata": meta},
        observed={"cohortId": cohort_id, "metadata": meta},
    )


def _too_many_ids(count: int) -> ApiResult:
    return api_error(
        400,
        f"Too many ids: {count} (at most {MAX_IDS_PER_REQUEST:,} per request)",
        max_ids=MAX_IDS_PER_REQUEST,
    )


def _status(download: Download) -> ApiResult:
    done = download.csv is not None
    body = {
        "request_id": download.request_id,
        "cohort_id": download.cohort_id,
        "async_status": "JOB COMPLETED" if done else "JOB INPROGRESS",
    }
    return ApiResult(200 if done else 202, body)


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def _resolve(state: ProjectCohorts, kind: str, ids: list[Any]) -> tuple[list[str], list[str]]:
    """Person keys of ``ids`` (known users only), and the ids that are invalid."""
    activity, keys, invalid = state.activity, [], []
    for raw in ids:
        key = None
        if kind == "user_id":
            person = activity.find(user_id=str(raw))
            key = person.key if person else None
        elif str(raw).isdigit():
            key = activity.by_amplitude_id.get(int(raw))
        if key is None:
            invalid.append(str(raw))
        else:
            keys.append(key)
    return keys, invalid


def _check_upload(body: Any) -> str | None:
    if not isinstance(body, dict):
        return "Request body must be a JSON object"
    wanted = (
        ("name", str),
        ("app_id", int),
        ("id_type", str),
        ("ids", list),
        ("owner", str),
        ("published", bool),
    )
    for name, kind in wanted:
        if not isinstance(body.get(name), kind):
            return f"Missing or invalid field: {name}"
    if body["id_type"] not in ID_TYPES_UPLOAD:
        return "id_type must be BY_AMP_ID or BY_USER_ID"
    existing = body.get("existing_cohort_id")
    if existing is not None and not isinstance(existing, str):
        return "Missing or invalid field: existing_cohort_id"
    return _flags_problem(body, ("skip_invalid_ids", "skip_save"))


def _flags_problem(body: dict[str, Any], names: tuple[str, ...]) -> str | None:
    """The optional boolean fields of a body that are there but not booleans."""
    for name in names:
        if name in body and not isinstance(body[name], bool):
            return f"{name} must be true or false"
    return None


def _check_membership(body: Any) -> str | None:
    if not isinstance(body, dict) or not isinstance(body.get("cohort_id"), str):
        return "Missing or invalid field: cohort_id"
    memberships = body.get("memberships")
    if not isinstance(memberships, list) or not memberships:
        return "Missing or invalid field: memberships"
    for m in memberships:
        if not isinstance(m, dict) or not isinstance(m.get("ids"), list):
            return "each membership needs ids"
        if not isinstance(m.get("id_type"), str) or m["id_type"] not in ID_TYPES_MEMBERSHIP:
            return "id_type must be BY_ID or BY_NAME"
        if not isinstance(m.get("operation"), str) or m["operation"] not in OPERATIONS:
            return "operation must be ADD or REMOVE"
    return _flags_problem(body, ("skip_invalid_ids",))
