"""The Faker provider: every catalogue type, both shapes, valid and realistic."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import orjson
import pytest
from faker import Faker
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import schemas
from simulator.currents.catalogue import CATALOGUE, CUSTOM_EVENT, EXPORTED, PURCHASE
from simulator.generator import CurrentsProvider, device_class, make_provider
from simulator.generator.population import CONTEXT_FIELDS
from simulator.transform import Skipped, Transformed, transform
from tests.conftest import T0

TYPES = sorted(CATALOGUE)
UUID = re.compile(
    r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-4[0-9A-Fa-f]{3}-[89ab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$"
)
seeds = st.integers(min_value=0, max_value=2**32 - 1)


@pytest.mark.parametrize("event_type", TYPES)
def test_every_type_validates_in_both_shapes(provider: CurrentsProvider, event_type: str) -> None:
    for i in range(2):
        flat = provider.currents_event(event_type, at=T0 + i)
        assert schemas.validate(f"currents/flat/{event_type}", flat) == []
        http = provider.currents_event(event_type, at=T0 + i, shape="http")
        assert schemas.validate(f"currents/http/{event_type}", http) == []


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=seeds, event_type=st.sampled_from(TYPES))
def test_any_seed_and_type_gives_a_valid_event(seed: int, event_type: str) -> None:
    provider = make_provider(seed)
    flat = provider.currents_event(event_type, at=T0)
    assert schemas.validate(f"currents/flat/{event_type}", flat) == []
    assert schemas.validate(f"currents/http/{event_type}", provider.currents_event(
        event_type, at=T0, shape="http")) == []  # fmt: skip


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=seeds, event_type=st.sampled_from(EXPORTED))
def test_every_exported_type_transforms_into_a_valid_amplitude_event(
    seed: int, event_type: str
) -> None:
    provider = make_provider(seed)
    for shape in ("flat", "http"):
        result = transform(provider.currents_event(event_type, at=T0, shape=shape))
        assert isinstance(result, Transformed), result
        assert schemas.validate(f"amplitude/events/{event_type}", result.event) == []


def test_storage_only_types_are_generated_but_not_exported(provider: CurrentsProvider) -> None:
    storage_only = [t for t in TYPES if not CATALOGUE[t].exported]
    assert storage_only
    for event_type in storage_only:
        result = transform(provider.currents_event(event_type, at=T0))
        assert isinstance(result, Skipped) and result.code == "not_exported"


def test_time_is_the_instant_passed_in(provider: CurrentsProvider) -> None:
    event = provider.currents_event(
        "users.behaviors.pushnotification.TokenStateChange", at=T0 + 0.75
    )
    assert event["time"] == int(T0)
    assert event["time_ms"] == int((T0 + 0.75) * 1000)


@pytest.mark.parametrize("event_type", [CUSTOM_EVENT, PURCHASE])
def test_properties_are_json_in_flat_and_objects_in_http(
    provider: CurrentsProvider, event_type: str
) -> None:
    flat = provider.currents_event(event_type, at=T0)
    decoded = orjson.loads(flat["properties"])
    assert isinstance(decoded, dict) and decoded
    assert any(isinstance(v, dict) for v in decoded.values()), "nested values expected"
    http = provider.currents_event(event_type, at=T0, shape="http")
    key = "custom_properties" if event_type == CUSTOM_EVENT else "purchase_properties"
    assert isinstance(http["properties"][key], dict)


def test_custom_event_properties_are_prefixed_by_the_transformer(
    provider: CurrentsProvider,
) -> None:
    result = transform(provider.currents_event(CUSTOM_EVENT, at=T0))
    assert isinstance(result, Transformed)
    assert result.event["event_type"].startswith("[Appboy] [Custom Event] ")
    assert any(k.startswith("[Custom event property] ") for k in result.event["event_properties"])


def test_device_fields_match_the_platform(provider: CurrentsProvider) -> None:
    for _ in range(200):
        device = provider.currents_device()
        platform = device["platform"]
        assert platform in {"ios", "android", "kindle", "web", "tvos", "roku"}
        assert device["os_version"] in provider.os_versions[platform]
        assert device["device_model"] in provider.device_models[platform]
        assert device["ad_id_type"] == provider.ad_id_types[platform]
        assert (device["ad_id"] is None) == (device["ad_id_type"] is None)


def test_values_look_real(provider: CurrentsProvider) -> None:
    purchase = provider.currents_event(PURCHASE, at=T0)
    assert (
        re.fullmatch(r"[A-Z]{3}", purchase["currency"])
        and purchase["currency"] in provider.currencies
    )
    assert purchase["price"] > 0
    email = provider.currents_event("users.messages.email.Open", at=T0)
    assert re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]+", email["email_address"])
    sms = provider.currents_event("users.messages.sms.Delivery", at=T0)
    assert re.fullmatch(r"\+1\d{10}", sms["to_phone_number"])
    assert UUID.match(email["id"]) and re.fullmatch(r"[0-9a-f]{24}", email["user_id"])
    assert email["campaign_name"] or email["canvas_name"]


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


def test_device_class_is_read_back_from_the_id(provider: CurrentsProvider) -> None:
    for cls in ("normal", "heavy", "misconfigured", "quota"):
        assert device_class(provider.currents_device_id(cls)) == cls
    assert device_class(None) is None
    assert UUID.match(provider.currents_device_id())


def test_unseeded_faker_is_refused() -> None:
    fake = Faker()
    provider = CurrentsProvider(fake)
    with pytest.raises(ValueError, match="seed_instance"):
        provider.currents_event(CUSTOM_EVENT, at=T0)


@given(seed=seeds)
@settings(max_examples=4, deadline=None)
def test_same_seed_same_events_and_other_seeds_differ(seed: int) -> None:
    def events(s: int) -> list[dict[str, object]]:
        p = make_provider(s)
        return [p.currents_event(t, at=T0) for t in TYPES[:10]]

    assert json.dumps(events(seed)) == json.dumps(events(seed))
    assert events(seed) != events(seed + 1)


def test_paired_fields_agree(provider: CurrentsProvider) -> None:
    prices = dict(provider.products)
    codes = dict(provider.sms_errors)
    for _ in range(50):
        purchase = provider.currents_event(PURCHASE, at=T0)
        assert purchase["price"] == prices[purchase["product_id"]]
        rejection = provider.currents_event("users.messages.sms.Rejection", at=T0)
        assert rejection["provider_error_code"] == codes[rejection["error"]]


def test_a_context_not_made_by_currents_context_is_refused(provider: CurrentsProvider) -> None:
    with pytest.raises(ValueError, match="currents_context"):
        provider.currents_event(CUSTOM_EVENT, at=T0, context={"user_id": "x"})


# --- compiled record builders (``provider.records``): the stream's hot path ---
DISPATCH = "d" * 24


def _storage_order(event_type: str) -> list[str]:
    """A flat record's keys: event_type, id, time, the context's fields, then the made ones."""
    names = [f.name for f in CATALOGUE[event_type].fields]
    made = [n for n in names if n not in CONTEXT_FIELDS and n not in ("id", "time")]
    return ["event_type", "id", "time", *(n for n in names if n in CONTEXT_FIELDS), *made]


def _made_fields(event_type: str) -> list[str]:
    return [n for n in _storage_order(event_type)[3:] if n not in CONTEXT_FIELDS]


@pytest.mark.parametrize("event_type", TYPES)
def test_builders_keep_the_storage_key_order_with_and_without_a_campaign(
    provider: CurrentsProvider, event_type: str
) -> None:
    expected = _storage_order(event_type)
    user = provider.currents_context(message={})
    extras = (None, {"session_id": "s"}, {"not_a_field": 1})
    for extra in extras:
        record = provider.records.builder(event_type, None)(
            T0, provider.currents_context(), None, extra
        )
        assert list(record) == expected
        for campaign in provider.currents_campaigns("email")[:2]:  # a campaign, a Canvas step
            record = provider.records.builder(event_type, campaign)(T0, user, DISPATCH, extra)
            assert list(record) == expected


@pytest.mark.parametrize("event_type", TYPES)
def test_campaign_builders_take_the_campaigns_fields_and_the_users(
    provider: CurrentsProvider, event_type: str
) -> None:
    user = provider.currents_context(message={})
    for campaign in provider.currents_campaigns("sms")[:2]:
        fixed = {**campaign.message, "app_group_id": provider.app_group_id()}
        fixed["dispatch_id"] = DISPATCH
        record = provider.records.builder(event_type, campaign)(T0, user, DISPATCH, None)
        for key, value in record.items():
            source = fixed if key in fixed else user if key in CONTEXT_FIELDS else {}
            if source.get(key) is not None:
                assert value == source[key], key
            elif key in source and not _nullable(event_type, key):
                assert value is not None, f"{key} is required: made when left None"


def _nullable(event_type: str, name: str) -> bool:
    return next(f.nullable for f in CATALOGUE[event_type].fields if f.name == name)


def test_required_fields_a_campaign_or_context_leaves_none_are_made(
    provider: CurrentsProvider,
) -> None:
    campaign = provider.currents_campaigns("push")[0]
    assert campaign.kind == "campaign"  # so its canvas_id is None
    ctx = {**provider.currents_context(message={}), "user_id": None}
    record = provider.records.builder("users.canvas.Entry", campaign)(T0, ctx, DISPATCH, None)
    assert record["canvas_id"] and re.fullmatch(r"[0-9a-f]{24}", record["user_id"])
    record = provider.records.builder(CUSTOM_EVENT, None)(T0, ctx, None, None)
    assert re.fullmatch(r"[0-9a-f]{24}", record["user_id"])


@pytest.mark.parametrize("event_type", TYPES)
def test_extras_win_over_made_values_and_never_over_the_context(
    provider: CurrentsProvider, event_type: str
) -> None:
    ctx = provider.currents_context()
    made = _made_fields(event_type)
    extra = {name: f"extra {name}" for name in made} | {"user_id": "not from extra"}
    record = provider.records.event(event_type, T0, ctx, None, extra)
    assert {name: record[name] for name in made} == {name: extra[name] for name in made}
    assert record.get("user_id") in (None, ctx["user_id"])
    campaign = provider.currents_campaigns("push")[1]
    record = provider.records.event(event_type, T0, ctx, (campaign, DISPATCH), extra)
    assert {name: record[name] for name in made} == {name: extra[name] for name in made}


def test_picked_fields_take_every_value_of_their_table(provider: CurrentsProvider) -> None:
    ctx = provider.currents_context()
    build = provider.records.builder("users.messages.email.Delivery", None)
    seen = {build(T0, ctx, None, None)["esp"] for _ in range(300)}
    assert seen == set(provider.esps)


def test_a_context_missing_a_field_is_refused_with_or_without_a_campaign(
    provider: CurrentsProvider,
) -> None:
    campaign = provider.currents_campaigns("email")[0]
    for message in (None, (campaign, DISPATCH)):
        with pytest.raises(ValueError, match="currents_context"):
            provider.records.event("users.messages.email.Open", T0, {"user_id": "x"}, message, None)
    with pytest.raises(KeyError):  # a builder called directly leaves the KeyError as it is
        provider.records.builder("users.messages.email.Open", campaign)(T0, {}, DISPATCH, None)


def test_builders_are_made_once_per_type_and_per_campaign(provider: CurrentsProvider) -> None:
    campaign = provider.currents_campaigns("push")[0]
    build = provider.records.builder(CUSTOM_EVENT, None)
    assert provider.records.builder(CUSTOM_EVENT, None) is build
    assert provider.records.builder(CUSTOM_EVENT, campaign) is provider.records.builder(
        CUSTOM_EVENT, campaign
    )
    assert provider.records.builder(CUSTOM_EVENT, campaign) is not build


def test_builder_source_spells_out_every_field_and_reads_no_campaign_field_from_the_context(
    provider: CurrentsProvider,
) -> None:
    event_type = "users.messages.pushnotification.Send"
    source = provider.currents_builder_source(event_type)
    compile(source, "<test>", "exec")
    assert all(repr(key) in source for key in _storage_order(event_type))
    campaign = provider.currents_campaigns("push")[0]
    in_campaign = provider.currents_builder_source(event_type, campaign)
    assert "ctx['campaign_name']" in source and "ctx['campaign_name']" not in in_campaign


def test_the_provider_module_holds_the_faker_facing_class_and_its_tables_only() -> None:
    """Faker exposes each public callable of a provider: the engine lives in modules of its
    own, so the provider has no module-level functions and no private helpers."""
    from simulator.generator import provider as module

    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    defined = [n for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)]
    assert [n.name for n in defined] == ["CurrentsProvider"]
    methods = [n.name for n in ast.walk(defined[0]) if isinstance(n, ast.FunctionDef)]
    assert [m for m in methods if m.startswith("_") and m != "__init__"] == []
