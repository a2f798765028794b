"""The delta-sync model in-process: schedules, deltas, chunks, retries, data points."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.braze import MAX_IDS
from simulator.clock import ManualClock
from simulator.cohorts import CohortSync, Outcome
from simulator.cohorts.inprocess import BrazeTarget
from tests.simulator.cohorts.world import World


def test_first_run_names_the_cohort_and_sends_the_initial_population(world: World) -> None:
    world.change(world.persons[:12], "ADD")
    sync = world.sync()
    [run] = sync.step()
    assert run.ok
    assert (run.added, run.removed, run.data_points, run.requests) == (12, 0, 12, 2)
    cohort = world.workspace.cohorts[world.cohort_id]
    assert cohort.display_name == f"[Amplitude] Buyers: {world.cohort_id}"
    assert world.braze_members() == world.existing_in_braze(world.amplitude_members())


def test_a_scheduled_sync_with_no_change_sends_nothing(world: World) -> None:
    world.change(world.persons[:12], "ADD")
    sync = world.sync("hourly")
    sync.step()
    before = len(world.braze.requests())
    world.clock.advance(5 * 3600)
    runs = sync.step()
    assert len(runs) == 5
    assert all(r.ok and r.requests == 0 and r.data_points == 0 for r in runs)
    assert len(world.braze.requests()) == before


@pytest.mark.parametrize("k", [1, 7, 30])
def test_a_change_of_k_users_sends_exactly_k_ids(world: World, k: int) -> None:
    world.change(world.persons[:20], "ADD")
    sync = world.sync("hourly")
    sync.step()
    leaving, joining = world.persons[: k // 2], world.persons[20 : 20 + k - k // 2]
    world.change(leaving, "REMOVE")
    world.change(joining, "ADD")
    world.clock.advance(3600)
    [run] = sync.step()
    assert (run.added, run.removed, run.data_points) == (len(joining), len(leaving), k)
    sent = world.braze.requests()[-run.requests :]
    assert sum(r["ids"] for r in sent) == k
    assert world.braze_members() == world.existing_in_braze(world.amplitude_members())


def test_large_deltas_go_in_chunks_of_at_most_1000_ids(clock: ManualClock) -> None:
    world = World.build(clock, braze_users=2300, amp_only=0, anonymous=0)
    world.change(world.persons[:2300], "ADD")
    sync = world.sync("daily")
    [run] = sync.step()
    users = [r for r in world.braze.requests() if r["endpoint"] == "cohorts/users"]
    assert [r["ids"] for r in users] == [1000, 1000, 300]
    assert all(r["status"] == 200 for r in users)
    assert run.data_points == 2300 and max(r["ids"] for r in users) <= MAX_IDS
    assert len(world.braze_members()) == 2300


def test_a_failed_run_is_retried_by_the_next_one_with_the_unacknowledged_delta(
    world: World,
) -> None:
    sync = world.sync("hourly")
    sync.step()
    world.change(world.persons[:10], "ADD")
    world.workspace.locked = True
    world.clock.advance(3600)
    [failed] = sync.step()
    assert (failed.ok, failed.data_points) == (False, 0)
    assert failed.reason.startswith("braze 423")
    world.workspace.locked = False
    world.clock.advance(3600)
    [retried] = sync.step()
    assert (retried.ok, retried.added, retried.data_points) == (True, 10, 10)
    assert world.braze_members() == world.existing_in_braze(world.amplitude_members())


class FailsOnce:
    """A target whose ``n``-th change request fails once with 500 (a flaky Braze)."""

    def __init__(self, inner: BrazeTarget, n: int) -> None:
        self.inner, self.n, self.calls = inner, n, 0

    def name_cohort(self, cohort_id: str, name: str, created_at: str) -> Outcome:
        return self.inner.name_cohort(cohort_id, name, created_at)

    def change_users(self, cohort_id: str, changes: list[dict[str, Any]]) -> Outcome:
        self.calls += 1
        if self.calls == self.n:
            return Outcome(False, 500, "Internal Server Error")
        return self.inner.change_users(cohort_id, changes)


def test_a_run_failing_mid_way_keeps_what_braze_acknowledged(clock: ManualClock) -> None:
    world = World.build(clock, braze_users=2500, amp_only=0, anonymous=0)
    world.change(world.persons[:2500], "ADD")
    base = BrazeTarget(world.braze, "currents-sim-partner-key", "currents-sim-client-secret")
    sync = world.sync("hourly", target=FailsOnce(base, 2))
    [first] = sync.step()
    assert (first.ok, first.added, first.data_points) == (False, 1000, 1000)
    clock.advance(3600)
    [second] = sync.step()
    assert (second.ok, second.added, second.data_points) == (True, 1500, 1500)
    assert sync.report()["data_points"] == 2500
    assert len(world.braze_members()) == 2500


def test_amplitude_failure_is_a_failed_run(world: World) -> None:
    sync = world.sync("hourly")
    world.amplitude.revoke_key("key-0001")
    [run] = sync.step()
    assert not run.ok and run.reason.startswith("amplitude:")


def test_renaming_a_cohort_sends_a_name_call_only(world: World) -> None:
    sync = world.sync("hourly")
    sync.step()
    world.api.project("key-0001").cohorts[world.cohort_id].name = "Big buyers"
    world.clock.advance(3600)
    [run] = sync.step()
    assert (run.requests, run.data_points) == (1, 0)
    assert world.workspace.cohorts[world.cohort_id].name == "Big buyers"


def test_report_totals(world: World) -> None:
    world.change(world.persons[:5], "ADD")
    sync: CohortSync = world.sync("hourly")
    sync.step()
    world.change(world.persons[:2], "REMOVE")
    world.clock.advance(3600)
    sync.step()
    report = sync.report()
    assert (report["runs"], report["ids_added"], report["ids_removed"]) == (2, 5, 2)
    assert report["data_points"] == 7
