"""The reference transformer, rule by rule (DESIGN.md §3, BRAZE_CURRENTS.md §8)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings

import schemas
from simulator.currents.catalogue import CATALOGUE, EXPORTED
from simulator.currents.shapes import flat_to_http
from simulator.transform import (
    MALFORMED,
    NO_IDS,
    NOT_EXPORTED,
    UNKNOWN_TYPE,
    Skipped,
    Transformed,
    builder_source,
    transform,
)
from tests.strategies import any_event


def push_open(**overrides: Any) -> dict[str, Any]:
    record = {
        "event_type": "users.messages.pushnotification.Open",
        "id": "e1-aaaa",
        "user_id": "braze-internal-1",
        "external_user_id": "user-123",
        "device_id": "device-9",
        "time": 1_700_000_000,
        "app_id": "app-1",
        "platform": "ios",
        "ad_id": "IDFA-1",
        "ad_id_type": "ios_idfa",
        "campaign_id": "c1",
        "timezone": "America/Chicago",
        "canvas_step_message_variation_id": "csmv",
        "button_action_type": "uri",
    }
    record.update(overrides)
    return record


def out(record: dict[str, Any], profile: str = "page") -> dict[str, Any]:
    result = transform(record, profile)  # type: ignore[arg-type]
    assert isinstance(result, Transformed), result
    return result.event


def test_event_type_gets_appboy_prefix_and_page_name() -> None:
    assert out(push_open())["event_type"] == "[Appboy] Push Notification Open"


def test_glossary_profile_uses_glossary_header() -> None:
    record = {
        "event_type": "users.messages.sms.CarrierSend",
        "id": "e2",
        "user_id": "b",
        "external_user_id": "user-1",
        "time": 1,
    }
    assert out(record)["event_type"] == "[Appboy] SMS Send To Carrier"
    assert out(record, "glossary")["event_type"] == "[Appboy] SMS Carrier Send"


def test_user_id_is_external_id_and_braze_id_is_never_sent() -> None:
    event = out(push_open())
    assert event["user_id"] == "user-123"
    assert "braze-internal-1" not in json.dumps(event)


def test_insert_id_library_and_time_in_milliseconds() -> None:
    event = out(push_open())
    assert (event["insert_id"], event["library"], event["time"]) == (
        "e1-aaaa",
        "Braze",
        1_700_000_000_000,
    )


def test_device_id_top_level_only_for_types_that_carry_it() -> None:
    assert out(push_open())["device_id"] == "device-9"
    exit_event = {
        "event_type": "users.canvas.exit.MatchedAudience",
        "id": "e3",
        "user_id": "b",
        "external_user_id": "user-1",
        "time": 1,
        "app_group_id": "g",
        "canvas_id": "c",
        "canvas_variation_id": "v",
        "device_id": "device-9",
    }
    assert "device_id" not in out(exit_event)


@pytest.mark.parametrize(("ad_type", "target"), [("ios_idfa", "idfa"), ("google_ad_id", "adid")])
def test_ad_id_routed_by_type(ad_type: str, target: str) -> None:
    event = out(push_open(ad_id_type=ad_type))
    assert event[target] == "IDFA-1"
    assert event["event_properties"]["ad_id_type"] == ad_type


def test_ad_id_of_other_platforms_has_no_top_level_slot() -> None:
    event = out(push_open(ad_id_type="roku_ad_id"))
    assert "idfa" not in event and "adid" not in event


def test_dropped_fields_never_reach_event_properties() -> None:
    props = out(push_open())["event_properties"]
    for dropped in (
        "timezone",
        "canvas_step_message_variation_id",
        "button_action_type",
        "id",
        "user_id",
        "external_user_id",
        "device_id",
        "time",
    ):
        assert dropped not in props
    assert props["campaign_id"] == "c1" and props["platform"] == "ios"


def test_timezone_kept_where_the_glossary_keeps_it() -> None:
    record = {
        "event_type": "users.behaviors.subscription.GlobalStateChange",
        "id": "e4",
        "user_id": "b",
        "external_user_id": "user-1",
        "time": 1,
        "subscription_status": "Subscribed",
        "timezone": "Europe/Paris",
    }
    assert out(record)["event_properties"]["timezone"] == "Europe/Paris"


def test_null_fields_are_left_out() -> None:
    assert "campaign_name" not in out(push_open(campaign_name=None))["event_properties"]


def test_content_card_id_renamed_card_id() -> None:
    record = {
        "event_type": "users.messages.contentcard.Click",
        "id": "e5",
        "user_id": "b",
        "external_user_id": "user-1",
        "time": 1,
        "app_id": "a",
        "content_card_id": "card-7",
    }
    props = out(record)["event_properties"]
    assert props["card_id"] == "card-7" and "content_card_id" not in props


def test_custom_event_name_and_prefixed_properties() -> None:
    record = {
        "event_type": "users.behaviors.CustomEvent",
        "id": "e6",
        "user_id": "b",
        "external_user_id": "user-1",
        "time": 1,
        "name": "Added To Cart",
        "properties": json.dumps({"color": "red", "tags": ["a"], "n": {"x": 1}}),
    }
    event = out(record)
    assert event["event_type"] == "[Appboy] [Custom Event] Added To Cart"
    props = event["event_properties"]
    assert props["[Custom event property] color"] == "red"
    assert props["[Custom event property] n"] == {"x": 1}
    assert "name" not in props and "properties" not in props


def test_purchase_product_and_price_top_level_currency_in_properties() -> None:
    record = {
        "event_type": "users.behaviors.Purchase",
        "id": "e7",
        "user_id": "b",
        "external_user_id": "user-1",
        "time": 1,
        "product_id": "sku-1",
        "price": 9.5,
        "currency": "EUR",
        "properties": json.dumps({"size": "L"}),
    }
    event = out(record)
    assert (event["productId"], event["price"]) == ("sku-1", 9.5)
    props = event["event_properties"]
    assert props["currency"] == "EUR" and props["[Purchase property] size"] == "L"
    assert "product_id" not in props and "price" not in props


def test_http_and_flat_shapes_give_the_same_event() -> None:
    record = push_open()
    assert out(flat_to_http(record)) == out(record)


def test_anonymous_device_only_user_is_sent_without_user_id() -> None:
    event = out(push_open(external_user_id=None))
    assert "user_id" not in event and event["device_id"] == "device-9"


def test_event_without_any_id_is_skipped_with_reason() -> None:
    result = transform(push_open(external_user_id=None, device_id=None))
    assert isinstance(result, Skipped) and result.code == NO_IDS
    assert result.event_id == "e1-aaaa"


def test_device_only_event_of_a_type_without_device_id_is_skipped() -> None:
    record = {
        "event_type": "users.behaviors.subscription.GlobalStateChange",
        "id": "e8",
        "user_id": "b",
        "time": 1,
        "subscription_status": "Subscribed",
        "device_id": "device-9",
    }
    result = transform(record)
    assert isinstance(result, Skipped) and result.code == NO_IDS


def test_storage_only_type_is_skipped_not_raised() -> None:
    result = transform({"event_type": "users.profile.Update", "id": "e9", "time": 1})
    assert isinstance(result, Skipped) and result.code == NOT_EXPORTED


def test_unknown_type_is_reported_not_crashed_on() -> None:
    result = transform({"event_type": "users.messages.pigeon.Send", "id": "e10", "time": 1})
    assert isinstance(result, Skipped) and result.code == UNKNOWN_TYPE
    assert "pigeon" in result.reason


def test_unknown_types_leave_nothing_cached() -> None:
    from simulator import transform as module

    before = module.plan_for.cache_info().currsize
    for i in range(100):
        transform({"event_type": f"users.messages.pigeon{i}.Send", "id": "e", "time": 1})
    assert module.plan_for.cache_info().currsize == before


@pytest.mark.parametrize(
    "record",
    [
        {"id": "x", "time": 1},
        push_open(time="yesterday"),
        push_open(id=None),
        {
            "event_type": "users.behaviors.CustomEvent",
            "id": "e",
            "time": 1,
            "external_user_id": "user-1",
            "name": "n",
            "properties": "{not json",
        },
        {
            "event_type": "users.behaviors.CustomEvent",
            "id": "e",
            "time": 1,
            "external_user_id": "user-1",
            "name": "",
            "properties": "{}",
        },
    ],
)
def test_malformed_records_are_skipped_with_a_reason(record: dict[str, Any]) -> None:
    result = transform(record)
    assert isinstance(result, Skipped) and result.code == MALFORMED and result.reason


def _judge(record: dict[str, Any]) -> None:
    result = transform(record)
    if isinstance(result, Skipped):
        assert result.code in (NO_IDS, NOT_EXPORTED) and result.reason
        return
    assert result.source_type in EXPORTED
    problems = schemas.validate(f"amplitude/events/{result.source_type}", result.event)
    assert problems == [], problems


@pytest.mark.parametrize("shape", ["flat", "http"])
def test_any_valid_event_gives_a_valid_amplitude_event_or_a_skip(shape: str) -> None:
    @settings(max_examples=300, deadline=None)
    @given(any_event(shape))
    def check(record: dict[str, Any]) -> None:
        assert schemas.validate(f"currents/{shape}/{record['event_type']}", record) == []
        _judge(record)

    check()


def test_every_catalogue_type_is_handled() -> None:
    for name in CATALOGUE:
        result = transform(
            {"event_type": name, "id": "e", "time": 1, "external_user_id": "user-1", "name": "n"}
        )
        assert isinstance(result, Transformed | Skipped)


def test_builder_source_spells_out_each_kept_field_once() -> None:
    source = builder_source("users.messages.contentcard.Click")
    assert source is not None
    assert source.count("props['card_id'] = v") == 1  # renamed from content_card_id
    assert "props['content_card_id']" not in source
    assert "'user_id'" in source and "get('user_id')" not in source  # Braze's id is never read


def test_builder_source_is_none_for_types_braze_does_not_send() -> None:
    assert builder_source("users.profile.Update") is None
    assert builder_source("users.no.such.Type") is None
