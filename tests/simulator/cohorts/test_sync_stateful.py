"""Stateful property: after any sequence of membership changes and syncs (some failing),
Braze's member set equals Amplitude's cohort restricted to existing Braze users."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from simulator.clock import ManualClock
from simulator.cohorts import Identity
from tests.conftest import T0
from tests.simulator.cohorts.world import World


class SyncMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.world = World.build(ManualClock(T0), braze_users=8, amp_only=3, anonymous=5)
        self.sync = self.world.sync("hourly")
        self.persons = self.world.persons
        self.amplitude_offline = False

    def _pick(self, indices: list[int]) -> list[Identity]:
        return [self.persons[i % len(self.persons)] for i in indices]

    @rule(indices=st.lists(st.integers(0, 100), min_size=1, max_size=8))
    def add(self, indices: list[int]) -> None:
        self.world.change(self._pick(indices), "ADD")

    @rule(indices=st.lists(st.integers(0, 100), min_size=1, max_size=8))
    def remove(self, indices: list[int]) -> None:
        self.world.change(self._pick(indices), "REMOVE")

    @rule(locked=st.booleans())
    def braze_lock(self, locked: bool) -> None:
        self.world.workspace.locked = locked

    @rule(offline=st.booleans())
    def amplitude_outage(self, offline: bool) -> None:
        key = "key-0001"
        if offline:
            self.world.amplitude.revoke_key(key)
        else:
            self.world.amplitude.add_key(key)
        self.amplitude_offline = offline

    @rule(seconds=st.integers(0, 3 * 3600))
    def time_passes(self, seconds: int) -> None:
        self.world.clock.advance(seconds)
        runs = self.sync.step()
        if runs and runs[-1].ok:
            self._agree()

    @precondition(lambda self: not self.amplitude_offline)
    @rule()
    def sync_now(self) -> None:
        run = self.sync.run_now()
        if run.ok:
            self._agree()

    def _agree(self) -> None:
        world = self.world
        assert world.braze_members() == world.existing_in_braze(world.amplitude_members())

    @invariant()
    def braze_holds_exactly_what_it_acknowledged(self) -> None:
        world = self.world
        assert world.braze_members() == world.existing_in_braze(set(self.sync.acknowledged))

    @invariant()
    def data_points_are_the_ids_braze_accepted(self) -> None:
        accepted = sum(r["ids"] for r in self.world.braze.requests() if r["status"] == 200)
        assert self.sync.report()["data_points"] == accepted


TestSyncAgreement = SyncMachine.TestCase
TestSyncAgreement.settings = settings(
    max_examples=60,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
