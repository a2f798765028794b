"""Record builders (``simulator.generator.records``): the stream's hot path, one compiled
function a type (and campaign) that keeps Braze's key order and the context's values."""

from __future__ import annotations

import re

import pytest

from simulator.currents.catalogue import CATALOGUE, CUSTOM_EVENT
from simulator.generator import CurrentsProvider
from simulator.generator.population import CONTEXT_FIELDS
from tests.conftest import T0

TYPES = sorted(CATALOGUE)


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
