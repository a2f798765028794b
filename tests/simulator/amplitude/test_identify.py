"""Property operations of $identify / $groupidentify and the form-encoded Identify API."""

from __future__ import annotations

import json

import pytest

from simulator.amplitude.identify import apply
from tests.simulator.amplitude.conftest import make_event, upload


@pytest.mark.parametrize(
    ("before", "ops", "after"),
    [
        ({}, {"$set": {"a": 1}}, {"a": 1}),
        ({"a": 1}, {"$setOnce": {"a": 2, "b": 3}}, {"a": 1, "b": 3}),
        ({"n": 1}, {"$add": {"n": 2, "m": 5}}, {"n": 3, "m": 5}),
        ({"l": [1]}, {"$append": {"l": 2, "k": 7}}, {"l": [1, 2], "k": [7]}),
        ({"s": "x"}, {"$append": {"s": "y"}}, {"s": ["x", "y"]}),
        ({"l": [1]}, {"$prepend": {"l": [0]}, "k": 1}, {"l": [0, 1]}),
        ({}, {"$prepend": {"l": 0}}, {"l": [0]}),
        ({"a": 1, "b": 2}, {"$unset": {"a": "-"}}, {"b": 2}),
        ({"l": [1, 2]}, {"$preInsert": {"l": [2, 0]}}, {"l": [0, 1, 2]}),
        ({"l": [1, 2]}, {"$postInsert": {"l": [2, 3]}}, {"l": [1, 2, 3]}),
        ({"l": [1, 2, 1]}, {"$remove": {"l": 1}}, {"l": [2]}),
        ({"a": 1}, {"$clearAll": "-", "$set": {"b": 2}}, {"b": 2}),
        ({"a": 1}, {"plain": True}, {"a": 1, "plain": True}),
    ],
)
def test_operations(before, ops, after):
    props = dict(before)
    apply(props, ops)
    assert props == after


def test_identify_event_updates_user_properties(model):
    ops = {"$set": {"plan": "pro"}, "$add": {"logins": 1}}
    ident = make_event(0, event_type="$identify", user_id="user-0001", user_properties=ops)
    upload(model, [ident])
    upload(model, [{**ident, "insert_id": "another-1"}])
    assert model.user_properties("key-0001", user_id="user-0001") == {"plan": "pro", "logins": 2}
    assert model.user_properties("key-0002", user_id="user-0001") is None


def test_rejected_identify_changes_nothing(model):
    bad = make_event(0, event_type="$identify", user_id="usr", user_properties={"$set": {"a": 1}})
    assert upload(model, [bad]).status == 400
    assert model.user_properties("key-0001", user_id="usr") is None


def test_form_identify_and_groupidentify(model):
    form = {"api_key": "key-0001", "identification": json.dumps(
        [{"user_id": "user-0001", "user_properties": {"$set": {"a": 1}}},
         {"device_id": "device-0002", "user_properties": {"b": 2}}])}  # fmt: skip
    result = model.identify("identify", form, size_bytes=120)
    assert result.status == 200 and result.body["events_ingested"] == 2
    assert model.user_properties("key-0001", user_id="user-0001") == {"a": 1}
    assert model.user_properties("key-0001", device_id="device-0002") == {"b": 2}
    one = {"group_type": "org", "group_value": "acme", "group_properties": {"$set": {"n": 3}}}
    group = {"api_key": "key-0001", "identification": json.dumps(one)}
    assert model.identify("groupidentify", group, size_bytes=90).status == 200
    assert model.group_properties("key-0001", "org", "acme") == {"n": 3}
    assert model.count(event_type="$groupidentify") == 1


@pytest.mark.parametrize("identification", [None, "", "{not json", "[]", "[1]"])
def test_form_identify_without_a_usable_identification_is_missing_event(model, identification):
    form = {"api_key": "key-0001"}
    if identification is not None:
        form["identification"] = identification
    assert model.identify("identify", form, size_bytes=10).body == {
        "code": 400,
        "error": "missing_event",
    }


def test_form_identify_needs_api_key(model):
    body = model.identify("identify", {"identification": "{}"}, size_bytes=10).body
    assert body["missing_field"] == "api_key"
