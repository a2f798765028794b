"""Flat records written straight as JSON text: the fast path from the stream to JSON Lines.

Why: a record dict built only for ``orjson.dumps`` to encode and free is most of what an event
costs. A *line builder* is compiled from the same plan as the record builder
(``plans.plan_slots``), draws the same values in the same order and writes
each one as orjson encodes it, so a stream of lines is, byte for byte, ``orjson.dumps`` of the
stream of records (``tests/simulator/generator/test_lines.py`` checks every type and mix).

What it saves:
- constants (the event type, nulls, a campaign's fields) are literal text: in the code, or one
  string per run of them;
- a user's context fields are encoded once, when the population is made (``rendered_users``);
- picks come from pools encoded once.

A user whose context leaves a *required* field None (no device, for instance) has that field
made per event; such users' events are built by the record builder and encoded by
``orjson.dumps``, which draws alike and gives the same bytes.

Tried and left out, for costing more than they saved: rendering each user's runs of consecutive
context fields once per record layout (a user meets several layouts in a few dozen events);
assembling a block's lines column-wise (``map("".join, zip(...))``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

import orjson

from simulator import codegen
from simulator.generator.campaigns import Campaign
from simulator.generator.plans import MADE, Slot, plan_slots
from simulator.generator.population import CONTEXT_FIELDS, Context
from simulator.generator.records import RecordBuilders

NULL = "null"  # one object: users' nulls are it, so builders test them with ``is``
_FIELD_INDEX = {name: i for i, name in enumerate(CONTEXT_FIELDS)}


class Rendered:
    """A user's context, and its fields' values as JSON text (``texts``, in ``CONTEXT_FIELDS``
    order, None as ``NULL``): what line builders copy into each of the user's events."""

    __slots__ = ("ctx", "texts")

    def __init__(self, ctx: Context, texts: tuple[str, ...]) -> None:
        self.ctx, self.texts = ctx, texts


def rendered_users(contexts: Sequence[Context]) -> list[Rendered]:
    """``contexts`` as ``Rendered`` users. Each field is encoded for all users at once, and
    each distinct value once, so users with equal values share one text; a field with the
    same values as an earlier one (the three phone numbers) shares its texts."""
    columns: list[list[str]] = []
    seen: list[tuple[list[Any], list[str]]] = []
    for name in CONTEXT_FIELDS:
        values = list(map(itemgetter(name), contexts))
        texts = next((t for v, t in seen if v == values), None)  # identical items: fast
        if texts is None:
            texts = json_texts(values)
            seen.append((values, texts))
        columns.append(texts)
    rows = zip(*columns, strict=True)
    return [Rendered(ctx, texts) for ctx, texts in zip(contexts, rows, strict=True)]


def json_texts(values: list[Any]) -> list[str]:
    """The JSON text of each of ``values``, as orjson writes it; one object per value."""
    types = set(map(type, values)) - {type(None)}
    if len(types) > 1:  # 1 and True are one key of a dict: encode each value
        return [NULL if value is None else json_text(value) for value in values]
    encode = _strings if types == {str} else _encoded
    distinct = dict.fromkeys(values)
    if len(distinct) == len(values) and None not in distinct:  # ids: nothing to share
        return encode(values)
    distinct.pop(None, None)
    texts = dict(zip(distinct, encode(list(distinct)), strict=True))
    texts[None] = NULL
    return list(map(texts.__getitem__, values))


def _encoded(values: list[Any]) -> list[str]:
    return list(map(bytes.decode, map(orjson.dumps, values)))


def _strings(values: list[str]) -> list[str]:
    """Each of ``values`` as JSON text, all encoded by one ``orjson.dumps`` and split apart:
    inside an encoded string every quote is escaped, so ``","`` only ever separates two."""
    if not values:
        return []
    inner = orjson.dumps(values).decode()[2:-2].split('","')
    return [f'"{text}"' for text in inner]


# A compiled line builder: (at, rendered user, dispatch_id, extra) -> the record's JSON text.
Line = Callable[[float, Rendered, str | None, Context | None], str]


def json_text(value: Any) -> str:
    """``value`` as orjson encodes it (the text a record's value has in its line)."""
    return orjson.dumps(value).decode()


class LineBuilders:
    """The line builders of one provider's ``records``, compiled on first use and cached (per
    event type and campaign, as the record builders are)."""

    def __init__(self, records: RecordBuilders) -> None:
        self.records = records
        self._builders: dict[tuple[str, int], Line] = {}  # (event type, id(campaign) or 0)
        self._pools: dict[int, tuple[str, ...]] = {}  # encoded pools, by id(pool)

    def builder(self, event_type: str, campaign: Campaign | None) -> Line:
        """The line builder of ``event_type`` (for ``campaign``'s messages if given), called
        as ``line(at, rendered_user, dispatch_id, extra)`` like the record builder
        (``records.RecordBuilders.builder``), with the user as a ``Rendered``."""
        key = (event_type, 0 if campaign is None else id(campaign))  # campaigns live as long
        line = self._builders.get(key)
        if line is None:
            line = self._builders[key] = self._compile(event_type, campaign)
        return line

    def source(self, event_type: str, campaign: Campaign | None = None) -> str:
        """The code of ``event_type``'s line builder: for reading when a line surprises you."""
        return codegen.source(self.builder(event_type, campaign))

    def _compile(self, event_type: str, campaign: Campaign | None) -> Line:
        records = self.records
        plan = records.plans.of(event_type, campaign)
        source, texts = line_source(plan_slots(plan), plan.template)
        namespace = records.namespace(plan)
        namespace.update(texts)
        namespace.update(
            {
                "NULL": NULL,
                "record": _LazyRecord(records, event_type, campaign),
                "dumps": orjson.dumps,
            }
        )
        namespace.update((f"pick_{name}", self._encoded(values)) for name, values, _ in plan.picks)
        line: Line = codegen.compile_function(source, f"line {event_type}", namespace)
        return line

    def _encoded(self, values: tuple[Any, ...]) -> tuple[str, ...]:
        encoded = self._pools.get(id(values))
        if encoded is None:  # pools are the provider's, alive as long as it is
            encoded = self._pools[id(values)] = tuple(map(json_text, values))
        return encoded


class _LazyRecord:
    """The record builder a line builder falls back on, compiled only if a user needs it."""

    __slots__ = ("build", "campaign", "event_type", "records")

    def __init__(self, records: RecordBuilders, event_type: str, campaign: Campaign | None):
        self.records, self.event_type, self.campaign = records, event_type, campaign
        self.build: Callable[..., dict[str, Any]] | None = None

    def __call__(self, *args: Any) -> dict[str, Any]:
        if self.build is None:
            self.build = self.records.builder(self.event_type, self.campaign)
        return self.build(*args)


def line_source(slots: list[Slot], template: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """Python source of the line builder of a plan, ``slots`` spelled out as one f-string, and
    the texts it reads as globals (``text_<n>``: constants that vary between campaigns, kept
    out of the source so that campaigns of one kind share one compiled code).

    Before it draws anything, it checks the user's required fields; a user with one None takes
    the record builder instead (``record``), so both draw alike."""
    lines = ["def line(at, user, dispatch_id, extra):", "    t = user.texts"]
    required = [f"t[{_FIELD_INDEX[key]}] is NULL" for key, kind, _ in slots if kind == "required"]
    if required:
        lines += [
            f"    if {' or '.join(required)}:",
            "        return dumps(record(at, user.ctx, dispatch_id, extra)).decode()",
        ]
    texts: dict[str, str] = {}
    with_extra = _fstring(_pieces(slots, template, with_extra=True), texts)
    without = _fstring(_pieces(slots, template, with_extra=False), texts)
    lines += ["    if extra:", f"        return {with_extra}", f"    return {without}"]
    return "\n".join(lines) + "\n", texts


# Parts of a record's text: ("text", literal fixed by the plan's shape), ("value", literal from
# a campaign's values) or ("code", a Python expression).
_Piece = tuple[str, str]


def _pieces(slots: list[Slot], template: dict[str, Any], *, with_extra: bool) -> list[_Piece]:
    pieces: list[_Piece] = [("text", "{")]
    for i, (key, kind, size) in enumerate(slots):
        if not key.isidentifier():  # it is written inside the f-string's expressions
            raise ValueError(f"field name {key!r} cannot be compiled into a line builder")
        name = ("text", "," * bool(i) + f'"{key}":')
        if kind in ("ctx", "required"):
            pieces += [name, ("code", f"t[{_FIELD_INDEX[key]}]")]
        elif kind == "const":
            value = template[key]
            shaped = key == "event_type" or value is None  # the same for all campaigns
            pieces += [name, ("text" if shaped else "value", json_text(value))]
        elif kind == "fixed" and key == "id":  # a UUID: nothing to escape
            pieces += [
                name,
                ("text", '"'),
                ("code", "pop() if uuids else new_uuid()"),
                ("text", '"'),
            ]
        elif kind == "fixed":  # time
            pieces += [name, ("code", "trunc(at)")]
        elif kind == "dispatch":  # a Braze id (24 hex digits): nothing to escape
            pieces += [name, ("text", '"'), ("code", "dispatch_id"), ("text", '"')]
        else:
            # orjson inline (``json_text`` would add a Python call per value)
            value = f"pick_{key}[trunc(rand() * {size})]" if kind == "pick" else ""
            value = value or f"dumps(make_{key}(at)).decode()"
            if with_extra and kind in MADE:
                value = f'dumps(extra["{key}"]).decode() if "{key}" in extra else {value}'
            pieces += [name, ("code", value)]
    return [*pieces, ("text", "}")]


def _fstring(pieces: list[_Piece], texts: dict[str, str]) -> str:
    """The f-string of ``pieces``: adjacent literals joined; those with a campaign's values
    read from a global that ``texts`` gets (numbered in order, so equal shapes share names)."""
    parts: list[str] = []
    literal, varies = "", False
    for kind, text in [*pieces, ("code", "")]:
        if kind != "code":
            literal, varies = literal + text, varies or kind == "value"
            continue
        if literal and varies:
            name = f"text_{len(texts)}"
            texts[name] = literal
            parts.append("{" + name + "}")
        elif literal:
            parts.append(literal.translate(_ESCAPES))
        literal, varies = "", False
        if text:
            parts.append("{" + text + "}")
    chunks = (parts[i : i + _STACK_USE] for i in range(0, len(parts), _STACK_USE))
    return " + ".join("f'" + "".join(chunk) + "'" for chunk in chunks)


# Parts per f-string: a longer one is built through a list and ``"".join`` rather than on the
# stack, which costs more per line than adding chunks of this many together.
_STACK_USE = 30


# orjson's text as an f-string's literal part (JSON text has no raw control characters).
_ESCAPES = str.maketrans({"{": "{{", "}": "}}", "\\": "\\\\", "'": "\\'"})
