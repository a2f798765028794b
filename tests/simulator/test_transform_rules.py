"""The compiled transformer equals the readable rules (``simulator.transform_rules``): same
result, same skip and reason, same keys in the same order, on every input we can think of."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator import transform_rules
from simulator.currents.catalogue import CATALOGUE, PROFILES, Profile
from simulator.currents.shapes import flat_to_http
from simulator.generator import make_provider
from simulator.transform import Result, Transformed, transform
from tests.conftest import T0
from tests.strategies import any_event

GOLDEN = sorted((Path(__file__).parents[1] / "golden" / "transform").glob("*/*.input.json"))


def assert_agree(record: dict[str, Any], profile: Profile) -> Result:
    """Both transformers' results for ``record``: equal, and equal to the byte when sent."""
    expected = transform_rules.transform(record, profile)
    result = transform(record, profile)
    assert result == expected
    if isinstance(result, Transformed) and isinstance(expected, Transformed):
        assert orjson.dumps(result.event) == orjson.dumps(expected.event)  # key order too
    return result


IDENTITIES = ("identified", "anonymous", "neither")


@cache
def generated() -> dict[tuple[str, str], dict[str, Any]]:
    """A generated event of every catalogue type from a user of every identity (users with
    neither id have no device), by (type, identity)."""
    provider = make_provider(0)
    contexts = {
        identity: provider.currents_context(
            provider.currents_user(identity),  # type: ignore[arg-type]
            {} if identity == "neither" else None,
        )
        for identity in IDENTITIES
    }
    return {
        (name, identity): provider.currents_event(name, at=T0, context=ctx)
        for name in CATALOGUE
        for identity, ctx in contexts.items()
    }


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("event_type", sorted(CATALOGUE))
def test_every_catalogue_type_agrees_for_every_kind_of_user(
    event_type: str, profile: Profile
) -> None:
    for identity in IDENTITIES:
        record = generated()[event_type, identity]
        assert_agree(record, profile)
        assert_agree(flat_to_http(record), profile)


def test_the_comparison_covers_sent_and_every_kind_of_skipped_event() -> None:
    results = [assert_agree(record, "page") for record in generated().values()]
    assert {getattr(result, "code", "sent") for result in results} == {
        "sent",
        "no_ids",
        "not_exported",
    }


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("case", GOLDEN, ids=lambda p: f"{p.parent.name}/{p.name[:-11]}")
def test_golden_inputs_agree(case: Path, profile: Profile) -> None:
    assert isinstance(assert_agree(orjson.loads(case.read_bytes()), profile), Transformed)


@settings(max_examples=400, deadline=None)
@given(any_event("flat") | any_event("http"), st.sampled_from(PROFILES))
def test_any_valid_event_agrees(record: dict[str, Any], profile: Profile) -> None:
    assert_agree(record, profile)


_BAD_VALUES = st.none() | st.just("") | st.integers(-5, 5) | st.text(max_size=3) | st.booleans()
_DAMAGEABLE = ("id", "time", "event_type", "external_user_id", "device_id", "name", "properties")


@settings(max_examples=400, deadline=None)
@given(
    any_event("flat"),
    st.dictionaries(st.sampled_from(_DAMAGEABLE), _BAD_VALUES, max_size=3),
    st.sets(st.sampled_from(_DAMAGEABLE), max_size=2),
    st.sampled_from(PROFILES),
)
def test_damaged_events_are_skipped_alike(
    record: dict[str, Any], changes: dict[str, Any], removed: set[str], profile: Profile
) -> None:
    record.update(changes)
    for key in removed:
        record.pop(key, None)
    assert_agree(record, profile)


@pytest.mark.parametrize(
    "record",
    [
        {"event_type": "users.messages.pigeon.Send", "id": "e", "time": 1},
        {"event_type": 7, "id": "e", "time": 1},
        {"id": "e", "time": 1},
        {"event_type": "users.behaviors.CustomEvent", "id": "e", "time": 1, "device_id": "d"},
        {
            "event_type": "users.behaviors.Purchase",
            "id": "e",
            "time": 1,
            "external_user_id": "u",
            "properties": "[1, 2]",
        },
    ],
)
def test_unknown_and_broken_records_agree(record: dict[str, Any]) -> None:
    assert_agree(record, "page")
