"""Cohort sync, Amplitude -> Braze: schedules (``schedule``), the delta-sync model (``sync``)
and in-process adapters over the models (``inprocess``). HTTP adapters live in
``clients.cohorts``; the ``currents-sim cohort-sync`` command drives them end to end.
"""

from simulator.cohorts.schedule import SCHEDULES, Schedule, schedule
from simulator.cohorts.sync import (
    DEVICE_IDS,
    USER_IDS,
    CohortSource,
    CohortSync,
    CohortTarget,
    Identity,
    Outcome,
    Run,
    Snapshot,
    SourceError,
    identity,
)

__all__ = [
    "DEVICE_IDS",
    "SCHEDULES",
    "USER_IDS",
    "CohortSource",
    "CohortSync",
    "CohortTarget",
    "Identity",
    "Outcome",
    "Run",
    "Schedule",
    "Snapshot",
    "SourceError",
    "identity",
    "schedule",
]
