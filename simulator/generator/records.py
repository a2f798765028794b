"""Record builders: each plan (``plans``) compiled into one function that makes a flat record.

A builder is called as ``build(at, ctx, dispatch_id, extra)`` and returns a new flat record:
``at`` is the UNIX time (nothing here reads a clock), ``ctx`` a context
(``CurrentsProvider.currents_context``; with a campaign, only its user's and device's fields
are read), ``dispatch_id`` the message's (read only with a campaign), ``extra`` None or journey
values (``session_id``, ``duration``...) that replace made values, never the context's, and add
no key. A ``ctx`` missing a field raises ``KeyError`` (``RecordBuilders.event`` turns it into a
``ValueError`` that says how to make one).

The code is straight-line, one expression per field and picks done inline, and depends on the
plan's shape only (values come in through the builder's globals: ``const_``, ``pick_``,
``make_`` + field), so campaigns of one kind share one compiled source (``simulator.codegen``).
"""

from __future__ import annotations

from math import trunc
from typing import TYPE_CHECKING, Any

from simulator import codegen
from simulator.generator.campaigns import Builder, Campaign, Message
from simulator.generator.makers import Makers
from simulator.generator.plans import FIXED_VALUES, MADE, Plan, Plans, SlotKind, plan_slots
from simulator.generator.population import Context

if TYPE_CHECKING:
    from simulator.generator.provider import CurrentsProvider

# A record's first keys written in one dict display; the rest are stored one by one. A display
# of more keys is built in chunks merged through temporary dicts, which costs more.
LITERAL_KEYS = 16


class RecordBuilders:
    """One provider's record builders, compiled on first use and cached: per event type on
    this object, per campaign in ``Campaign.builders``."""

    def __init__(self, provider: CurrentsProvider) -> None:
        self.ids, self.draws = provider.ids, provider.draws
        self.plans = Plans(Makers(provider), provider.population)
        self._builders: dict[str, Builder] = {}

    def builder(self, event_type: str, campaign: Campaign | None = None) -> Builder:
        """The builder of ``event_type``'s records (of ``campaign``'s messages if given), for
        callers that fetch it once and call it per event."""
        builders = self._builders if campaign is None else campaign.builders
        build = builders.get(event_type)
        if build is None:
            plan = self.plans.of(event_type, campaign)
            build = builders[event_type] = codegen.compile_function(
                record_source(plan), f"record {event_type}", self.namespace(plan)
            )
        return build

    def event(
        self,
        event_type: str,
        at: float,
        ctx: Context,
        message: Message | None = None,
        extra: Context | None = None,
    ) -> dict[str, Any]:
        """One flat record (of ``message``'s campaign, with its dispatch id, if given)."""
        campaign, dispatch_id = (None, None) if message is None else message
        build = self.builder(event_type, campaign)
        try:
            return build(at, ctx, dispatch_id, extra)
        except KeyError as missing_key:
            raise ValueError(
                f"context lacks {missing_key}: build it with currents_context()"
            ) from None

    def source(self, event_type: str, campaign: Campaign | None = None) -> str:
        """The code of ``event_type``'s builder (for ``campaign``'s messages if given)."""
        return codegen.source(self.builder(event_type, campaign))

    def namespace(self, plan: Plan) -> dict[str, Any]:
        """The globals of ``plan``'s builders: this provider's random and UUID stock, and the
        plan's constants (``const_``), picks (``pick_``) and makers (``make_`` + field)."""
        ids = self.ids
        namespace: dict[str, Any] = {
            "template": plan.template,
            "uuids": ids.stock,
            "pop": ids.stock.pop,
            "new_uuid": ids.uuid,
            "rand": self.draws.rng().random,
            "trunc": trunc,
        }
        namespace.update((f"const_{k}", v) for k, v in plan.template.items() if v is not None)
        namespace.update((f"pick_{name}", values) for name, values, _ in plan.picks)
        namespace.update((f"make_{name}", make) for name, make in plan.makers)
        namespace.update((f"make_{name}", make) for name, make in plan.required_ctx)
        return namespace


def record_source(plan: Plan) -> str:
    """Python source of the function that makes one flat record by ``plan``.

    Two copies of the record's code, the second without ``extra``: journey values replace made
    ones only where given, so the common case tests nothing."""
    slots = plan_slots(plan)
    values = [
        (key, _expression(plan, key, kind, size), kind == "const") for key, kind, size in slots
    ]
    with_extra = [
        (key, f"extra[{key!r}] if {key!r} in extra else {v}" if kind in MADE else v, constant)
        for (key, v, constant), (_, kind, _) in zip(values, slots, strict=True)
    ]
    lines = ["def build(at, ctx, dispatch_id, extra):", "    if extra:"]
    lines += _record(with_extra, "        ")
    lines += _record(values, "    ")
    return "\n".join(lines) + "\n"


def _expression(plan: Plan, key: str, kind: SlotKind, size: int) -> str:
    """The Python expression of a slot's value in the record builder."""
    if kind == "const":  # the event type and None as literals, other constants by name
        fixed = plan.template[key]
        return repr(fixed) if key == "event_type" or fixed is None else f"const_{key}"
    if kind == "fixed":
        return FIXED_VALUES[key]
    if kind == "ctx":
        return f"ctx[{key!r}]"
    if kind == "required":
        return f"v if (v := ctx[{key!r}]) is not None else make_{key}(at)"
    if kind == "dispatch":
        return "dispatch_id"
    if kind == "pick":
        return f"pick_{key}[trunc(rand() * {size})]"
    return f"make_{key}(at)"  # make, fill


# A key of the record, the expression of its value, and whether that is the template's constant.
_Value = tuple[str, str, bool]


def _record(values: list[_Value], indent: str) -> list[str]:
    """The statements that build and return the record, from its keys' expressions.

    When a third of the keys or more are constants (a campaign's messages), the template is
    copied and the rest stored; otherwise a dict display of the first ``LITERAL_KEYS`` keys,
    the rest stored. Either way the record's keys keep the plan's order."""
    if 3 * sum(constant for _, _, constant in values) >= len(values):
        lines = [f"{indent}rec = template.copy()"]
        stores = [(key, v) for key, v, constant in values if not constant]
    else:
        literal = [f"{indent}    {key!r}: {v}," for key, v, _ in values[:LITERAL_KEYS]]
        stores = [(key, v) for key, v, _ in values[LITERAL_KEYS:]]
        lines = [f"{indent}{'rec =' if stores else 'return'} {{", *literal, f"{indent}}}"]
        if not stores:
            return lines
    lines += [f"{indent}rec[{key!r}] = {v}" for key, v in stores]
    return [*lines, f"{indent}return rec"]
