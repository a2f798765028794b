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


def test_the_provider_module_holds_the_faker_facing_class_and_its_tables_only() -> None:
    """Faker exposes each public callable of a provider: the engine lives in modules of its
    own, so the provider has no module-level functions and no private helpers."""
    from simulator.generator import provider as module

    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    defined = [n for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)]
    assert [n.name for n in defined] == ["CurrentsProvider"]
    methods = [n.name for n in ast.walk(defined[0]) if isinstance(n, ast.FunctionDef)]
    assert [m for m in methods if m.startswith("_") and m != "__init__"] == []
