"""``http_to_flat_decoded`` (the transformer's shortcut) is ``http_to_flat`` with the custom or
purchase properties object kept decoded, and only where encoding it as JSON text and decoding
that text would give the very same object: every other input takes the JSON text, so the
compiled transformer still agrees with the readable rules on it."""

from __future__ import annotations

import json
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.currents.catalogue import CATALOGUE, CUSTOM_EVENT, PROFILES, PURCHASE
from simulator.currents.shapes import (
    PROPERTY_OBJECTS,
    flat_to_http,
    http_to_flat,
    http_to_flat_decoded,
)
from tests.simulator.test_transform_rules import assert_agree
from tests.strategies import flat_event

# Everything json.dumps accepts, the awkward included: lone surrogates, NaN and infinities,
# integers beyond 64 bits, tuples, keys that are not strings.
_any_text = st.text(st.characters(exclude_categories=[]), max_size=4)
_scalar = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(-(2**63) - 2, -(2**63) + 2)
    | st.integers(2**64 - 2, 2**64 + 2)
    | st.floats()
    | _any_text
)
_key = _any_text | st.integers(-3, 3) | st.booleans() | st.none() | st.floats(-2, 2)
_awkward = st.recursive(
    _scalar,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.lists(inner, max_size=2).map(tuple)
        | st.dictionaries(_key, inner, max_size=3)
    ),
    max_leaves=8,
)
_objects = st.dictionaries(_key, _awkward, max_size=4) | _awkward

_custom_or_purchase = st.sampled_from([CUSTOM_EVENT, PURCHASE]).flatmap(
    lambda name: flat_event(CATALOGUE[name]).map(flat_to_http)
)


def _exactly(value: Any) -> str:
    """A text equal for two values only when they are equal type for type (1 is not 1.0)."""
    return repr(value)


def _with_object(record: dict[str, Any], value: Any) -> dict[str, Any]:
    record["properties"][PROPERTY_OBJECTS[record["event_type"]]] = value
    return record


@settings(max_examples=150, deadline=None)
@given(_custom_or_purchase, _objects)
def test_the_flat_record_is_http_to_flat_with_the_object_decoded(record, value) -> None:
    record = _with_object(record, value)
    text = http_to_flat(record)
    flat = http_to_flat_decoded(record)
    assert set(flat) == set(text)
    assert {k: v for k, v in flat.items() if k != "properties"} == {
        k: v for k, v in text.items() if k != "properties"
    }
    if isinstance(flat["properties"], str):
        assert flat["properties"] == text["properties"]
    else:  # kept decoded: exactly what decoding the text gives
        assert _exactly(flat["properties"]) == _exactly(orjson.loads(text["properties"]))


@settings(max_examples=150, deadline=None)
@given(_custom_or_purchase, _objects, st.sampled_from(PROFILES))
def test_awkward_property_objects_transform_as_the_rules_say(record, value, profile) -> None:
    assert_agree(_with_object(record, value), profile)


@pytest.mark.parametrize(
    "value",
    [
        {"n": float("nan")},
        {"n": 2**64},
        {"n": -(2**63) - 1},
        {"s": "\ud800"},
        {"\udfff": 1},
        {1: "int key"},
        {"t": (1, 2)},
        {"deep": [[[[1]]]]},
        {"x": 1.5, "y": -0.0, "z": "é"},
        [1, 2],
        "text",
        None,
        float("inf"),
    ],
)
def test_each_awkward_value_agrees_with_the_rules(value: Any) -> None:
    record = {
        "event_type": CUSTOM_EVENT,
        "id": "e-1",
        "time": 1_700_000_000,
        "user": {"external_user_id": "u-1", "device_id": "d-1"},
        "properties": {"name": "level_up", "custom_properties": value},
    }
    assert_agree(record, "page")


def test_a_properties_key_beside_the_object_keeps_the_order_of_the_envelope() -> None:
    for props in (
        {"name": "n", "custom_properties": {"a": 1}, "properties": json.dumps({"b": 2})},
        {"name": "n", "properties": json.dumps({"b": 2}), "custom_properties": {"a": 1}},
    ):
        record = {
            "event_type": CUSTOM_EVENT,
            "id": "e-1",
            "time": 1,
            "user": {"external_user_id": "u-1"},
            "properties": props,
        }
        assert http_to_flat_decoded(record) == http_to_flat(record)
        assert_agree(record, "page")
