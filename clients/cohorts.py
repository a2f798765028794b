"""HTTP adapters for the cohort-sync model (``simulator.cohorts``), over ``requests``.

- ``HttpAmplitudeSource``: a ``CohortSource`` that reads a cohort the way Amplitude's own client
  does (AMPLITUDE_API.md §8, [JVMX] ``CohortDownloadApi.kt``): ``GET /api/3/cohorts`` for the
  name and creation time, then ``GET /api/5/cohorts/request/<id>`` (202), poll
  ``.../request-status/<request_id>`` until 200, and ``.../request/<request_id>/file`` (CSV with
  a header row; members named by ``user_id``, else ``device_id``). Basic auth key:secret.
- ``HttpBrazeTarget``: a ``CohortTarget`` posting to ``/partners/amplitude/cohorts`` and
  ``.../cohorts/users`` with ``partner_api_key`` and ``client_secret`` in the body ([COH]).
- ``HttpMockClock``: a ``Clock`` reading the served mock's clock through ``MockAdmin``, so the
  sync model runs on the mock's time.

Transport errors become a failed run (``SourceError`` / ``Outcome(ok=False, status=0)``), never
an exception out of the sync model.
"""

from __future__ import annotations

import csv
import io
import time
from dataclasses import dataclass, field
from typing import Any

import requests

from clients.admin import MockAdmin
from simulator.cohorts import Identity, Outcome, Snapshot, SourceError, identity

TIMEOUT_S = 30.0


@dataclass
class HttpMockClock:
    admin: MockAdmin

    def now(self) -> float:
        return self.admin.now_ms() / 1000.0


@dataclass
class HttpAmplitudeSource:
    base_url: str
    api_key: str
    secret_key: str
    max_polls: int = 60
    poll_interval_s: float = 0.0  # the mock completes by poll count; real Amplitude needs > 0
    session: requests.Session = field(default_factory=requests.Session)

    def _get(self, path: str, **params: Any) -> requests.Response:
        try:
            return self.session.get(
                f"{self.base_url}{path}",
                params=params or None,
                auth=(self.api_key, self.secret_key),
                timeout=TIMEOUT_S,
            )
        except requests.RequestException as exc:
            raise SourceError(f"{type(exc).__name__}: {exc}") from None

    def _expect(self, reply: requests.Response, *codes: int) -> requests.Response:
        if reply.status_code not in codes:
            raise SourceError(f"{reply.request.path_url} -> {reply.status_code} {reply.text[:200]}")
        return reply

    def snapshot(self, cohort_id: str) -> Snapshot:
        listed = self._expect(self._get("/api/3/cohorts"), 200).json()["cohorts"]
        found = next((c for c in listed if c.get("id") == cohort_id), None)
        if found is None:
            raise SourceError(f"cohort {cohort_id} not found")
        started = self._expect(self._get(f"/api/5/cohorts/request/{cohort_id}"), 202).json()
        request_id = started["request_id"]
        for _ in range(self.max_polls):
            status = self._get(f"/api/5/cohorts/request-status/{request_id}")
            if self._expect(status, 200, 202).status_code == 200:
                break
            time.sleep(self.poll_interval_s)
        else:
            raise SourceError(f"download {request_id} not complete after {self.max_polls} polls")
        file = self._expect(self._get(f"/api/5/cohorts/request/{request_id}/file"), 200)
        return Snapshot(cohort_id, found["name"], float(found["createdAt"]), parse_csv(file.text))


def parse_csv(text: str) -> frozenset[Identity]:
    """Members of a cohort file (RFC 4180, header row with ``user_id`` and ``device_id``)."""
    rows = csv.DictReader(io.StringIO(text))
    found = (identity(row.get("user_id") or None, row.get("device_id") or None) for row in rows)
    return frozenset(i for i in found if i is not None)


@dataclass
class HttpBrazeTarget:
    base_url: str
    partner_api_key: str
    client_secret: str
    session: requests.Session = field(default_factory=requests.Session)

    def _post(self, path: str, body: dict[str, Any]) -> Outcome:
        auth = {"partner_api_key": self.partner_api_key, "client_secret": self.client_secret}
        try:
            reply = self.session.post(
                f"{self.base_url}/partners/amplitude{path}",
                json={**auth, **body},
                timeout=TIMEOUT_S,
            )
        except requests.RequestException as exc:
            return Outcome(False, 0, f"{type(exc).__name__}: {exc}")
        try:
            message = str(reply.json().get("message", ""))
        except ValueError:
            message = reply.text[:200]
        return Outcome(reply.status_code == 200, reply.status_code, message)

    def name_cohort(self, cohort_id: str, name: str, created_at: str) -> Outcome:
        return self._post(
            "/cohorts", {"cohort_id": cohort_id, "name": name, "created_at": created_at}
        )

    def change_users(self, cohort_id: str, changes: list[dict[str, Any]]) -> Outcome:
        return self._post("/cohorts/users", {"cohort_id": cohort_id, "cohort_changes": changes})
