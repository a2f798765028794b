"""Plans: for one event type (of one campaign's messages), where each key of its records gets
its value. The one declarative description of a generated record; record builders
(``records``) and line builders (``lines``) spell it out as code, slot by slot
(``plan_slots``), so that both draw the same values in the same order.

Flat records carry every storage field of their type, in storage order, null where absent (as
in a storage file): ``event_type``, ``id``, ``time``, the fields the context fills, then the
made ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from simulator.currents.catalogue import CATALOGUE, EventSpec
from simulator.generator.campaigns import Campaign
from simulator.generator.makers import Maker, Makers, Pick
from simulator.generator.population import CONTEXT_FIELDS, Population

# Keys every record makes the same way; the expression of each in a builder (the id: a UUID
# from the provider's stock, ``ids.Ids.stock``).
FIXED_VALUES = {"id": "pop() if uuids else new_uuid()", "time": "trunc(at)"}
_CONTEXT_SET = frozenset(CONTEXT_FIELDS)


@dataclass(frozen=True, slots=True)
class Plan:
    """How to fill one event type: its template's constants, then context fields and values."""

    template: dict[str, Any]  # the record's keys in order; event_type (and campaign) filled in
    ctx_names: tuple[str, ...]
    dispatch: bool  # dispatch_id is set from the message (it is not among ctx_names)
    required_ctx: tuple[tuple[str, Maker], ...]  # made when the context (or campaign) has None
    picks: tuple[tuple[str, tuple[Any, ...], int], ...]  # uniform picks: name, values, size
    makers: tuple[tuple[str, Maker], ...]  # every other made field


# How a key of a record gets its value. ``const``: the template's (the event type, a campaign's
# field, None); ``fixed``: the same code for every type (``id``, ``time``); ``ctx``: the
# context's; ``required``: the context's, made when it is None; ``dispatch``: the message's
# dispatch id; ``pick``: a uniform pick from a pool; ``make``: a value maker; ``fill``: a
# required field the campaign leaves None, made. Journey extras replace ``MADE`` kinds only.
SlotKind = Literal["const", "fixed", "ctx", "required", "dispatch", "pick", "make", "fill"]
Slot = tuple[str, SlotKind, int]  # key, kind, and the pool's size for picks
MADE = frozenset({"pick", "make"})


def plan_slots(plan: Plan) -> list[Slot]:
    """Each key of ``plan``'s record, in order, with how it gets its value: the one reading of
    a plan that both builders spell out."""
    required = {name for name, _ in plan.required_ctx}
    ctx_names = set(plan.ctx_names)
    picks = {name: size for name, _, size in plan.picks}
    makers = {name for name, _ in plan.makers}
    slots: list[Slot] = [("event_type", "const", 0)]
    for key in list(plan.template)[1:]:
        kind: SlotKind
        if key in FIXED_VALUES:
            kind = "fixed"
        elif key in ctx_names:
            kind = "required" if key in required else "ctx"
        elif key == "dispatch_id" and plan.dispatch:
            kind = "dispatch"
        elif key in picks:
            kind = "pick"
        elif key in makers:
            kind = "make"
        elif key in required:  # left None by the campaign
            kind = "fill"
        else:
            kind = "const"
        slots.append((key, kind, picks.get(key, 0)))
    return slots


class Plans:
    """One provider's plans: per event type, made on first use with its makers; per campaign,
    derived from the type's (a campaign's plans are cached by the builders that use them)."""

    def __init__(self, makers: Makers, population: Population) -> None:
        self.makers, self.population = makers, population
        self._plans: dict[str, Plan] = {}

    def of(self, event_type: str, campaign: Campaign | None = None) -> Plan:
        """The plan of ``event_type``'s records (of ``campaign``'s messages if given)."""
        plan = self._plans.get(event_type) or self._type_plan(event_type)
        return plan if campaign is None else self._campaign_plan(plan, campaign)

    def _type_plan(self, event_type: str) -> Plan:
        spec: EventSpec = CATALOGUE[event_type]
        maker = self.makers.maker
        from_ctx = [f for f in spec.fields if f.name in _CONTEXT_SET]
        names = tuple(f.name for f in from_ctx)
        required = tuple((f.name, maker(f, spec)) for f in from_ctx if not f.nullable)
        made = [
            (f.name, maker(f, spec))
            for f in spec.fields
            if f.name not in _CONTEXT_SET and f.name not in ("id", "time")
        ]
        plan = Plan(
            template={
                "event_type": event_type,
                **dict.fromkeys(("id", "time", *names, *(name for name, _ in made))),
            },
            ctx_names=names,
            dispatch=False,
            required_ctx=required,
            picks=tuple((n, m.values, m.size) for n, m in made if isinstance(m, Pick)),
            makers=tuple((n, m) for n, m in made if not isinstance(m, Pick)),
        )
        self._plans[event_type] = plan
        return plan

    def _campaign_plan(self, plan: Plan, campaign: Campaign) -> Plan:
        """``plan`` for the messages of ``campaign``: its fields (and the app group's) filled in
        the template; ``dispatch_id``, which varies, set per event."""
        fixed = {**campaign.message, "app_group_id": self.population.app_group_id()}
        template = plan.template.copy()
        template.update((name, fixed[name]) for name in plan.ctx_names if name in fixed)
        names = tuple(n for n in plan.ctx_names if n not in fixed and n != "dispatch_id")
        return Plan(
            template=template,
            ctx_names=names,
            dispatch="dispatch_id" in plan.ctx_names,
            # a field the campaign leaves None is still made per event if required
            required_ctx=tuple(
                (name, make)
                for name, make in plan.required_ctx
                if name in names or (name in fixed and fixed[name] is None)
            ),
            picks=plan.picks,
            makers=plan.makers,
        )
