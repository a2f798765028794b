"""How each made field of a record gets its value: a *maker* per field, ``(at) -> value``.

A field not filled from the context is made by the maker ``MAKERS`` names for it, else by one
chosen from its name's suffix (``SUFFIX_MAKERS``), else by its type (``TYPE_MAKERS``): nothing
is written per event type, so a type added to the catalogue is generated without a line of
code. Value sources: platforms, ``ad_id_type``, ``subscription_status``,
``state_change_source``, ``push_token_state_change_type``, ``button_action_type``,
``ios_push_token_apns_gateway``: BRAZE_CURRENTS.md §3.1-§3.3.

Makers bind the provider's ``random`` once and draw in one expression: a method call or
``randint``'s Python frames per value would cost more than the value. A uniform pick is a
``Pick`` (data), so that record and line builders can do it inline instead of calling it.
"""

from __future__ import annotations

from collections.abc import Callable
from math import trunc
from typing import TYPE_CHECKING, Any

import orjson

from simulator.currents.catalogue import EventSpec, Field
from simulator.generator.draws import Draws, Pools
from simulator.generator.ids import Ids
from simulator.generator.population import (
    AREA_CODES,
    DEVICE_FIELDS,
    EXCHANGES,
    LINES,
    USER_FIELDS,
    Context,
)

if TYPE_CHECKING:
    from simulator.generator.provider import CurrentsProvider

Maker = Callable[[float], Any]
Factory = Callable[["Makers"], Maker]
STANDALONE_PEOPLE = 20  # made-up users and devices that context fields are picked from


class Pick:
    """A uniform pick from ``values``, kept as data so that builders can do it inline."""

    __slots__ = ("rand", "size", "values")

    def __init__(self, values: tuple[Any, ...], rand: Callable[[], float]) -> None:
        self.values, self.size, self.rand = values, len(values), rand

    def __call__(self, at: float) -> Any:
        return self.values[trunc(self.rand() * self.size)]


class Makers:
    """The makers of one provider: factories get it, and read the provider's draws, pools,
    ids and tables through it."""

    def __init__(self, provider: CurrentsProvider) -> None:
        self.provider = provider
        self.draws: Draws = provider.draws
        self.ids: Ids = provider.ids
        self.pools: Pools = provider.pools
        self.rows: dict[str, list[tuple[Any, ...]]] = {}  # last row picked, per paired table
        self._people: tuple[Context, ...] = ()

    def maker(self, f: Field, spec: EventSpec) -> Maker:
        """The maker of field ``f`` of ``spec``'s records."""
        if f.name == "properties":
            p = self.provider
            if spec.name.endswith("Purchase"):
                return self.pick(self.pools.encoded("purchase", p.purchase_properties))
            return self.pick(self.pools.encoded("custom", p.custom_event_properties))
        if f.name in MAKERS:
            return MAKERS[f.name](self)
        for suffix, factory in SUFFIX_MAKERS:
            if f.name.endswith(suffix) and f.type == "string":
                return factory(self)
        return TYPE_MAKERS[f.type](self)

    def pick(self, values: tuple[Any, ...]) -> Pick:
        """A maker picking uniformly from ``values``."""
        return Pick(values, self.draws.rng().random)

    def standalone(self, field: str) -> Maker:
        """A value of a context field from a small pool of made-up users and devices."""
        if not self._people:
            make = self.provider.currents_context
            self._people = tuple(make(message={}) for _ in range(STANDALONE_PEOPLE))
        people, rng = self._people, self.draws.rng()
        return lambda at: people[trunc(rng.random() * len(people))][field]


def _const(value: Any) -> Factory:
    return lambda m: lambda at: value


def _one_of(attr: str) -> Factory:
    """A uniform pick from the provider's table ``attr``."""
    return lambda m: m.pick(getattr(m.provider, attr))


def _pool(name: str) -> Factory:
    return lambda m: m.pick(m.pools.get(name))


def _of(values: tuple[Any, ...]) -> Factory:
    return lambda m: m.pick(values)


def _int(lo: int, hi: int) -> Factory:
    """Uniform in ``[lo, hi]``."""

    def factory(m: Makers) -> Maker:
        rand, span = m.draws.rng().random, hi - lo + 1
        return lambda at: lo + trunc(rand() * span)

    return factory


def _float(lo: float, hi: float, digits: int = 2) -> Factory:
    """Uniform in ``[lo, hi]``, rounded (``random.uniform``'s formula, without its frame)."""

    def factory(m: Makers) -> Maker:
        rand, span = m.draws.rng().random, hi - lo
        return lambda at: round(lo + span * rand(), digits)

    return factory


def _bool(share_true: float) -> Factory:
    def factory(m: Makers) -> Maker:
        rand = m.draws.rng().random
        return lambda at: rand() < share_true

    return factory


def _paired(attr: str, index: int) -> Factory:
    """Makers for the columns of one table row: the column-0 field picks a row, the others read
    it, so an event's ``product_id`` and ``price`` (or SMS ``error`` and code) agree. Storage
    order puts the column-0 field first; a type without it reads the last row picked."""

    def factory(m: Makers) -> Maker:
        table: tuple[tuple[Any, ...], ...] = getattr(m.provider, attr)
        cell = m.rows.setdefault(attr, [table[0]])
        if index:
            return lambda at: cell[0][index]
        size, rand = len(table), m.draws.rng().random

        def pick(at: float) -> Any:
            cell[0] = table[trunc(rand() * size)]
            return cell[0][0]

        return pick

    return factory


def _uuid_maker(m: Makers) -> Maker:
    uuid = m.ids.uuid
    return lambda at: uuid()


def _braze_id_maker(m: Makers) -> Maker:
    braze_id = m.ids.braze_id
    return lambda at: braze_id()


def _name_maker(m: Makers) -> Maker:
    pick = m.pools.pick
    return lambda at: f"{pick('words').title()} {pick('words').title()}"


def _earlier(seconds: int) -> Factory:
    """A whole second 60 to ``seconds`` before ``at``."""

    def factory(m: Makers) -> Maker:
        rand, span = m.draws.rng().random, seconds - 59
        return lambda at: trunc(at) - 60 - trunc(rand() * span)

    return factory


def _weighted_by(attr: str) -> Factory:
    """A maker picking a key of the weights table ``attr``, in proportion."""
    return lambda m: m.pick(m.draws.weighted_table(getattr(m.provider, attr)))


def _short_url(m: Makers) -> Maker:
    bits = m.draws.rng().getrandbits
    return lambda at: f"https://brz.ai/{bits(32):08x}"


def _phone(m: Makers) -> Maker:
    """A US-style number, from the ranges users' numbers are drawn from."""
    rand = m.draws.rng().random
    areas, exchanges, lines = AREA_CODES, EXCHANGES, LINES
    sizes = len(areas), len(exchanges), len(lines)
    return lambda at: (
        f"+1{areas[trunc(rand() * sizes[0])]}{exchanges[trunc(rand() * sizes[1])]}"
        f"{lines[trunc(rand() * sizes[2])]:04d}"
    )


def _hex(bits: int) -> Factory:
    def factory(m: Makers) -> Maker:
        draw, digits = m.draws.rng().getrandbits, f"0{bits // 4}x"
        return lambda at: format(draw(bits), digits)

    return factory


def _words_list(m: Makers) -> Maker:
    pick = m.pools.pick
    return lambda at: [pick("words")]


def _json_blob(m: Makers) -> Maker:
    """A small JSON object (message extras, flow responses...), from a pool built once."""
    choice, pick, rng = m.draws.choice, m.pools.pick, m.draws.rng()

    def blob() -> dict[str, Any]:
        tier = choice(("bronze", "silver", "gold"))
        return {"offer": pick("words"), "tier": tier, "discount": rng.randint(5, 40)}

    return m.pick(m.pools.encoded("blob", blob))


def _standalone(field: str) -> Factory:
    return lambda m: m.standalone(field)


# Field name -> value maker factory. Everything not here falls back by suffix, then by type.
MAKERS: dict[str, Factory] = {
    **{name: _standalone(name) for name in USER_FIELDS + DEVICE_FIELDS},
    "channel": _of(("email", "sms", "push")),
    "channel_identifier": _const(None),
    "user_id": _braze_id_maker,
    "app_group_id": lambda m: lambda at: m.provider.app_group_id(),
    "dispatch_id": _braze_id_maker,
    "send_id": _uuid_maker,
    "subscription_group_id": _uuid_maker,
    "app_group_api_id": _const(None),
    "canvas_api_id": _const(None),  # deprecated: null
    "canvas_variation_api_id": _const(None),
    "canvas_step_api_id": _const(None),
    "orphaned_by_id": _braze_id_maker,
    "content_optimizer_step_id": _braze_id_maker,
    "session_id": _uuid_maker,
    "time_ms": lambda m: lambda at: int(at * 1000),
    "push_token_created_at": _earlier(86400 * 90),
    "push_token_updated_at": _earlier(86400),
    "product_id": _paired("products", 0),
    "price": _paired("products", 1),
    "currency": _weighted_by("currencies"),
    "name": _weighted_by("custom_event_names"),
    "source": _of(("Organic", "Facebook Ads", "Google Ads", "TikTok", "Apple Search Ads")),
    "latitude": _float(-60, 70, 5),
    "longitude": _float(-170, 170, 5),
    "altitude": _float(0, 900, 1),
    "ll_accuracy": _float(3, 65, 1),
    "alt_accuracy": _float(3, 30, 1),
    "duration": _int(5, 1800),
    "subscription_status": _one_of("subscription_statuses"),
    "state_change_source": _one_of("state_change_sources"),
    "push_token_state_change_type": _one_of("token_change_types"),
    "button_action_type": _one_of("button_action_types"),
    "ios_push_token_apns_gateway": _of((1, 2, 2, 2)),
    "abort_type": _one_of("abort_types"),
    "retry_type": _one_of("retry_types"),
    "abort_log": _pool("sentences"),
    "retry_log": _pool("sentences"),
    "error": _paired("sms_errors", 0),
    "provider_error_code": _paired("sms_errors", 1),
    "provider_error_title": _of(("Message undeliverable", "Re-engagement message")),
    "bounce_reason": _one_of("bounce_reasons"),
    "deferral_reason": _one_of("deferral_reasons"),
    "esp": _one_of("esps"),
    "mailbox_provider": _one_of("mailbox_providers"),
    "from_domain": lambda m: m.pick(tuple("mail." + d for d in m.pools.get("domains"))),
    "recipient_domain": _of(("gmail.com", "yahoo.com", "outlook.com", "icloud.com")),
    "sending_ip": _pool("ips"),
    "ip_pool": _of(("transactional", "marketing")),
    "user_agent": _one_of("user_agents"),
    "url": _pool("urls"),
    "endpoint_url": _pool("urls"),
    "short_url": _short_url,
    "link_alias": _pool("words"),
    "machine_open": _of((None, "true")),
    "from_phone_number": _phone,
    "inbound_phone_number": _phone,
    "from_rcs_sender": _of(("BrazeShop", "AcmeStore")),
    "to_rcs_sender": _of(("BrazeShop",)),
    "category": _of(("opt-in", "opt-out", "help")),
    "action": _of(("Subscribed", "None")),
    "message_body": _pool("sentences"),
    "quick_reply_text": _of(("Yes", "No", "Stop")),
    "message_extras": _json_blob,
    "flow_response_json": _json_blob,
    "tool_arguments": _json_blob,
    "custom_attributes": _json_blob,
    "conversion_behavior": lambda m: (
        lambda at: orjson.dumps({"type": "purchase", "window": 259200}).decode()
    ),
    "conversion_behavior_index": _of((0, 0, 1)),
    "media_urls": _words_list,
    "suspected_bot_click_reason": _of((["user_agent"], ["ip_address", "user_agent"])),
    "is_suspected_bot_click": _bool(0.05),
    "in_control_group": _bool(0.1),
    "is_amp": _bool(0.02),
    "archived": _bool(0.01),
    "random_bucket_number": _int(0, 9999),
    "prev_random_bucket_number": _int(0, 9999),
    "http_status_code": _of((500, 502, 503, 404, 429)),
    "content_length": _int(20, 4000),
    "retry_count": _int(0, 5),
    "webhook_duration": _int(40, 9000),
    "attempt_count": _int(1, 5),
    "webhook_failure_source": _of(("http_status", "timeout", "connection_error")),
    "host": _pool("domains"),
    "url_path": _of(("/v1/hooks/braze", "/api/events")),
    "raw_response": _of(('{"error":"upstream timeout"}', "Service Unavailable")),
    "update_source": _of(("SDK", "API", "CSV")),
    "live_activity_event_type": _of(("start", "update", "end")),
    "live_activity_event_outcome": _of(("delivered", "failed")),
    "activity_attributes_type": _of(("DeliveryAttributes", "GameScoreAttributes")),
    "progression_type": _of(("entered_step", "exited_step")),
    "exit_reason": _of(("completed", "exit_criteria")),
    "combination_token": _of(("0_0_0", "0_1_0", "1_0_1")),
    "version": _of(("1", "2")),
    "template_name": _of(("order_update", "welcome_v2", "promo_spring")),
    "interaction_type": _of(("click", "reply")),
    "element_type": _of(("button", "link")),
    "element_label": _of(("Shop now", "Learn more")),
    "invocation_source": _of(("canvas", "test_panel")),
    "model_provider": _of(("openai",)),
    "model_name": _of(("gpt-4o-mini", "gpt-4.1")),
    "tool_name": _of(("lookup_order",)),
    "input": _pool("sentences"),
    "output": _pool("sentences"),
    "agent_name": _of(("Order Helper", "Win-back Writer")),
    "feature_flag_id_name": _pool("words"),
    "line_channel_name": _of(("Acme Official",)),
    "experiment_split_name": _of(("Path A", "Path B")),
    "button_string": _of(("View", "Later")),
}

SUFFIX_MAKERS: tuple[tuple[str, Factory], ...] = (
    ("_token", _hex(256)),
    ("_id", _uuid_maker),
    ("_name", _name_maker),
    ("_key", _hex(160)),
    ("_auth", _hex(128)),
)

TYPE_MAKERS: dict[str, Factory] = {
    "string": _pool("words"),
    "int": _int(1, 500),
    "long": _int(1, 10**6),
    "float": _float(0, 100),
    "boolean": _bool(0.5),
    "string[]": _words_list,
}
