"""The JSON Schemas: well-formed, derived from the catalogue, and strict where they should be."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import schemas
from simulator.currents.catalogue import CATALOGUE, EXPORTED


@pytest.mark.parametrize("name", schemas.names())
def test_every_schema_passes_check_schema(name: str) -> None:
    Draft202012Validator.check_schema(schemas.schema(name))


def test_every_catalogue_row_has_its_schemas_and_no_schema_lacks_a_row() -> None:
    flat = {n.removeprefix("currents/flat/") for n in schemas.names("currents/flat/")}
    http = {n.removeprefix("currents/http/") for n in schemas.names("currents/http/")}
    amplitude = {n.removeprefix("amplitude/events/") for n in schemas.names("amplitude/events/")}
    assert flat == http == set(CATALOGUE)
    assert amplitude == set(EXPORTED)


def email_open() -> dict[str, object]:
    return {
        "event_type": "users.messages.email.Open",
        "id": "e1",
        "user_id": "b1",
        "time": 1_700_000_000,
        "email_address": "a@example.com",
    }


def test_a_valid_record_has_no_problems() -> None:
    assert schemas.validate("currents/flat/users.messages.email.Open", email_open()) == []


def test_wrong_type_is_rejected_with_its_path() -> None:
    record = {**email_open(), "is_amp": "yes"}
    problems = schemas.validate("currents/flat/users.messages.email.Open", record)
    assert problems and problems[0].startswith("is_amp: ")


def test_missing_required_field_is_rejected_and_named() -> None:
    record = email_open()
    del record["email_address"]
    problems = schemas.validate("currents/flat/users.messages.email.Open", record)
    assert problems == ["(root): 'email_address' is a required property"]


def test_unknown_property_is_rejected_in_flat_records() -> None:
    record = {**email_open(), "surprise": 1}
    problems = schemas.validate("currents/flat/users.messages.email.Open", record)
    assert any("surprise" in p and "Additional properties" in p for p in problems)


def test_unknown_event_property_is_rejected_in_amplitude_events() -> None:
    event = {
        "event_type": "[Appboy] Email Open",
        "insert_id": "e1",
        "time": 1,
        "library": "Braze",
        "user_id": "user-1",
        "event_properties": {"email_address": "a@b.c", "timezone": "X"},
    }
    problems = schemas.validate("amplitude/events/users.messages.email.Open", event)
    assert any(p.startswith("event_properties: ") and "timezone" in p for p in problems)


def test_nested_problem_path_is_readable() -> None:
    record = {
        "event_type": "users.messages.email.Open",
        "id": "e1",
        "time": 1,
        "user": {"user_id": 7},
        "properties": {"email_address": "a@b.c"},
    }
    problems = schemas.validate("currents/http/users.messages.email.Open", record)
    assert problems[0] == "user/user_id: 7 is not of type 'string'"


def test_purchase_requires_product_id_and_price_top_level() -> None:
    event = {
        "event_type": "[Appboy] Purchase",
        "insert_id": "e1",
        "time": 1,
        "library": "Braze",
        "user_id": "user-1",
        "event_properties": {"currency": "USD"},
    }
    problems = schemas.validate("amplitude/events/users.behaviors.Purchase", event)
    assert {
        "(root): 'productId' is a required property",
        "(root): 'price' is a required property",
    } <= set(problems)


def test_schema_files_are_json_with_their_own_id() -> None:
    for name in schemas.names():
        doc = json.loads(Path(schemas.ROOT, f"{name}.json").read_text(encoding="utf-8"))
        if "$id" in doc:
            assert doc["$id"] == f"{schemas.BASE}{name}.json"
