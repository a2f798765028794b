"""The Behavioral Cohorts API's documented request limits, on the model clock.

[COH] "Limits and considerations" (https://amplitude.com/docs/apis/analytics/behavioral-cohorts):
"the Behavioral Cohorts Download API has a limit of 500 requests per month. Each Get one cohort
request counts toward this limit"; "Cohort Download limits single cohort requests to 60
requests per 10 minutes per app, and 4 parallel requests per minute per app"; "Amplitude limits
a single request to 100,000 identifiers". The month is the calendar month (UTC) of the mock
clock; "4 parallel requests per minute" is read as at most 4 download jobs in progress (requested,
not yet completed) among those requested in the last minute [inference: the doc does not say
how parallelism is measured; a plain 4-per-minute rate would make the 60-per-10-minutes limit
unreachable].
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime

MAX_IDS_PER_REQUEST = 100_000
WINDOW_S, PER_WINDOW = 600.0, 60  # single cohort requests per 10 minutes per app
PARALLEL, PARALLEL_WINDOW_S = 4, 60.0  # jobs in progress, among those of the last minute
PER_MONTH = 500


def _month(at: float) -> tuple[int, int]:
    moment = datetime.fromtimestamp(at, UTC)
    return moment.year, moment.month


@dataclass
class DownloadLimits:
    """The Get-one-cohort requests of one project: recent start times and this month's count."""

    recent: deque[float] = field(default_factory=deque)
    month: tuple[int, int] = (0, 0)
    this_month: int = 0

    def refusal(self, now: float, in_progress: int) -> str | None:
        """Why a request at ``now`` is over a limit, with ``in_progress`` jobs of the last
        minute still running (None: allowed; it is then counted)."""
        while self.recent and now - self.recent[0] >= WINDOW_S:
            self.recent.popleft()
        if _month(now) != self.month:
            self.month, self.this_month = _month(now), 0
        if self.this_month >= PER_MONTH:
            return f"Exceeded the limit of {PER_MONTH} cohort download requests per month"
        if len(self.recent) >= PER_WINDOW:
            return "Exceeded the limit of 60 single cohort requests per 10 minutes per app"
        if in_progress >= PARALLEL:
            return "Exceeded the limit of 4 parallel requests per minute per app"
        self.recent.append(now)
        self.this_month += 1
        return None

    def clear(self) -> None:
        self.recent.clear()
        self.month, self.this_month = (0, 0), 0
