"""Campaigns and Canvas steps (``simulator.generator.campaigns``): the events of one message
share its names and ids, and ``dispatch_id`` follows Braze's scheduled/triggered rule."""

from __future__ import annotations

from simulator.generator import CurrentsProvider
from tests.conftest import T0


def test_events_of_one_message_share_campaign_names(provider: CurrentsProvider) -> None:
    ctx = provider.currents_context(message=provider.currents_message("email"))
    send = provider.currents_event("users.messages.email.Send", at=T0, context=ctx)
    opened = provider.currents_event("users.messages.email.Open", at=T0 + 60, context=ctx)
    for key in ("campaign_id", "campaign_name", "canvas_step_name", "dispatch_id", "send_id"):
        assert send.get(key) == opened.get(key)


def test_dispatch_id_is_shared_by_scheduled_sends_and_per_user_for_triggered(
    provider: CurrentsProvider,
) -> None:
    campaigns = provider.currents_campaigns("push")
    assert {c.triggered for c in campaigns} == {True, False}
    for campaign in campaigns:
        messages = [provider.currents_message("push") for _ in range(300)]
        mine = [m for m in messages if m["send_id"] == campaign.send_id]
        dispatches = {m["dispatch_id"] for m in mine}
        if campaign.triggered:
            assert len(dispatches) == len(mine)  # one per user
        else:
            assert dispatches <= set(campaign.dispatch_ids) and len(dispatches) < len(mine)


def test_canvas_entry_steps_may_be_scheduled_other_steps_are_triggered(
    provider: CurrentsProvider,
) -> None:
    for channel in ("push", "email"):
        for c in provider.currents_campaigns(channel):
            if c.kind == "canvas" and not dict(c.fields)["canvas_step_name"].startswith("Entry"):
                assert c.triggered
