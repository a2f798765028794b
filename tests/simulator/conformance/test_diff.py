"""Field-level attribution: each kind of difference lands on exactly one, specific rule."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from simulator.conformance.diff import diff_event, same

EXPECTED: dict[str, Any] = {
    "event_type": "[Appboy] Purchase",
    "user_id": "user-4711",
    "device_id": "dev-7f3a9c21-ios",
    "insert_id": "p-1",
    "time": 1_700_000_000_000,
    "library": "Braze",
    "productId": "sku-blue-mug",
    "price": 19.99,
    "event_properties": {"currency": "EUR", "platform": "ios", "[Purchase property] size": "L"},
}


def rules(mutate: Any) -> dict[str, str]:
    received = copy.deepcopy(EXPECTED)
    mutate(received)
    found = diff_event(EXPECTED, received)
    assert len({rule for rule, _ in found}) == len(found), "one finding per rule"
    return dict(found)


def test_identical_events_have_no_difference() -> None:
    assert diff_event(EXPECTED, copy.deepcopy(EXPECTED)) == []


@pytest.mark.parametrize(
    ("mutate", "rule", "words"),
    [
        (lambda e: e.update(event_type="[appboy] Purchase"), "event_type_prefix", "lowercased"),
        (lambda e: e.update(event_type="Purchase"), "event_type_prefix", "missing"),
        (lambda e: e.update(event_type="[Braze] Purchase"), "event_type_prefix", "'[Braze]'"),
        (lambda e: e.update(event_type="[Appboy] Purchases"), "event_type_name", "Purchases"),
        (lambda e: e.update(event_type="[Appboy] X Purchase"), "event_type_name", "X Purchase"),
        (lambda e: e.update(user_id="5f3c9a1e2b7d4c0012ab34cd"), "user_id", "external id"),
        (lambda e: e.pop("user_id"), "user_id", "missing"),
        (lambda e: e.pop("device_id"), "device_id", "missing"),
        (lambda e: e.update(device_id="other"), "device_id", "'other'"),
        (lambda e: e.update(time=1_700_000_000), "time_unit", "seconds"),
        (lambda e: e.update(time=1_700_000_000.5), "time_unit", "seconds"),
        (lambda e: e.update(time=1_700_000_000_000_000), "time_unit", "microseconds"),
        (lambda e: e.update(time=1_700_000_000_500), "time_value", "+500 ms"),
        (lambda e: e.update(time="1700000000000"), "time_value", "'1700000000000'"),
        (lambda e: e["event_properties"].update(price=e.pop("price")), "field_moved", "price"),
        (lambda e: e.update(currency=e["event_properties"].pop("currency")), "field_moved",
         "currency"),
        (lambda e: e.update(library="amplitude-python"), "top_level_field", "library"),
        (lambda e: e.update(ip="127.0.0.1"), "top_level_field", "unexpected ip"),
        (lambda e: e.update(event_properties="oops"), "top_level_field",
         "event_properties is string"),
        (lambda e: e["event_properties"].pop("platform"), "property_missing", "'platform'"),
        (lambda e: e["event_properties"].update(extra=1), "property_extra", "'extra'"),
        (lambda e: e["event_properties"].update(Platform=e["event_properties"].pop("platform")),
         "property_renamed", "'platform' arrived as 'Platform'"),
        (lambda e: e["event_properties"].update({
            "[custom event property] size": e["event_properties"].pop("[Purchase property] size")}),
         "property_renamed", "arrived as"),
        (lambda e: e["event_properties"].update(currency=7), "property_mistyped", "number 7"),
        (lambda e: e["event_properties"].update(currency="USD"), "property_value", "'USD'"),
    ],
)  # fmt: skip
def test_one_difference_one_rule(mutate: Any, rule: str, words: str) -> None:
    found = rules(mutate)
    assert list(found) == [rule]
    assert words in found[rule]


@pytest.mark.parametrize(
    ("key", "words"),
    [("user_id", "sent for an anonymous user"), ("device_id", "the reference sends none")],
)
def test_an_identifier_the_reference_does_not_send_is_a_difference(key: str, words: str) -> None:
    expected = {k: v for k, v in EXPECTED.items() if k != key}
    found = dict(diff_event(expected, copy.deepcopy(EXPECTED)))
    assert list(found) == [key]
    assert words in found[key] and repr(EXPECTED[key]) in found[key]


def test_glossary_name_is_hinted() -> None:
    expected = {**EXPECTED, "event_type": "[Appboy] Email Open", "productId": None}
    received = {**expected, "event_type": "[Appboy] Email Opened"}
    found = dict(diff_event(expected, received))
    assert list(found) == ["event_type_name"]


def test_json_equality_keeps_types_apart() -> None:
    assert same(1, 1.0) and same({"a": [1]}, {"a": [1.0]})
    assert not same(True, 1) and not same("1", 1) and not same(None, 0) and not same([1], [1, 2])
