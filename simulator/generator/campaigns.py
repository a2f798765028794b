"""The workspace's campaigns and Canvas steps, and the messages they send.

Each channel has eight, made on first use: even indexes are campaigns, odd ones Canvas steps
(index 1 an entry step). ``dispatch_id`` follows Braze's rule (BRAZE_CURRENTS.md §1.6): a
scheduled send has one, shared by its recipients (``SCHEDULED_DISPATCHES`` sends per
campaign); a triggered send (action-based, API-triggered, Canvas steps other than the entry
step) gets one per user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from simulator.generator.draws import Draws, Pools
from simulator.generator.ids import Ids
from simulator.generator.population import CAMPAIGN_FIELDS, CANVAS_FIELDS, Context

if TYPE_CHECKING:
    from simulator.generator.provider import CurrentsProvider

SCHEDULED_DISPATCHES = 3  # dispatch ids per scheduled campaign: one per send, shared by its users
CAMPAIGNS_PER_CHANNEL = 8
# A compiled record builder: (at, ctx, dispatch_id, extra) -> flat record (``records``).
Builder = Callable[[float, Context, str | None, Context | None], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Campaign:
    """One campaign or Canvas step that sends messages on one channel."""

    channel: str
    kind: str  # "campaign" or "canvas"
    fields: tuple[tuple[str, Any], ...]  # the campaign/canvas block, with None for the other
    triggered: bool  # action-based / API-triggered / non-entry Canvas step: dispatch per user
    dispatch_ids: tuple[str, ...]  # scheduled sends: one shared dispatch_id per send
    send_id: str
    subscription_group_id: str
    # The fields above as one message's context minus dispatch_id: copied per message (speed).
    message: dict[str, Any] = field(compare=False)
    # Per event type, its builder with this campaign's fields as constants (speed).
    builders: dict[str, Builder] = field(default_factory=dict, compare=False)


Message = tuple[Campaign, str]  # one message to one user: its campaign and its dispatch_id


class Campaigns:
    """One provider's campaigns, per channel; the names they are made from are its tables."""

    def __init__(self, tables: CurrentsProvider, draws: Draws, ids: Ids, pools: Pools) -> None:
        self.tables, self.draws, self.ids, self.pools = tables, draws, ids, pools
        self._campaigns: dict[str, tuple[Campaign, ...]] = {}
        self._of_kind: dict[tuple[str, str | None], tuple[Campaign, ...]] = {}

    def on(self, channel: str) -> tuple[Campaign, ...]:
        """The campaigns and Canvas steps on ``channel`` (made once, then reused)."""
        if channel not in self._campaigns:
            self._campaigns[channel] = tuple(
                self._new(channel, i) for i in range(CAMPAIGNS_PER_CHANNEL)
            )
        return self._campaigns[channel]

    def of_kind(self, channel: str, kind: str | None) -> tuple[Campaign, ...]:
        """The campaigns on ``channel`` of ``kind`` (either when None), filtered once."""
        campaigns = self._of_kind.get((channel, kind))
        if campaigns is None:
            campaigns = tuple(c for c in self.on(channel) if kind is None or c.kind == kind)
            self._of_kind[(channel, kind)] = campaigns
        return campaigns

    def message(self, channel: str, kind: str | None) -> Message:
        """One message to one user: a campaign of ``kind`` on ``channel``, and its dispatch id."""
        campaign: Campaign = self.draws.choice(self.of_kind(channel, kind))
        if campaign.triggered:
            return campaign, self.ids.braze_id()
        return campaign, self.draws.choice(campaign.dispatch_ids)

    def _new(self, channel: str, index: int) -> Campaign:
        """Even indexes are campaigns, odd ones Canvas steps (index 1 is an entry step)."""
        t, choice, uuid = self.tables, self.draws.choice, self.ids.uuid
        theme = choice(t.message_kinds)
        label = channel.upper() if len(channel) <= 3 else channel.title()
        variation = (uuid(), choice(t.variation_names))
        if index % 2 == 0:
            kind = "campaign"
            fields: dict[str, Any] = dict.fromkeys(CANVAS_FIELDS)
            values: tuple[Any, ...] = (uuid(), f"{theme} - {label}", *variation)
            fields.update(zip(CAMPAIGN_FIELDS, values, strict=True))
            triggered = index % 4 == 2  # half the campaigns are action-based / API-triggered
        else:
            kind = "canvas"
            entry = index == 1  # Canvas steps other than the entry step count as triggered
            step = f"Entry {label}" if entry else f"{choice(t.step_names)} {label}"
            fields = dict.fromkeys(CAMPAIGN_FIELDS)
            values = (uuid(), f"{theme} Journey", *variation, uuid(), step, uuid())
            fields.update(zip(CANVAS_FIELDS, values, strict=True))
            triggered = not entry
        dispatches = (
            () if triggered else tuple(self.ids.braze_id() for _ in range(SCHEDULED_DISPATCHES))
        )
        send_id, group = uuid(), choice(self.pools.get("subscription_groups"))
        message = {
            **fields,
            "send_id": send_id,
            "subscription_group_id": group,
            "channel": t.channels.get(channel, channel),
        }
        return Campaign(
            channel, kind, tuple(fields.items()), triggered, dispatches, send_id, group, message
        )
