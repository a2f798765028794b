"""Line builders: a stream written as JSON text is orjson.dumps of its records, byte for byte."""

from __future__ import annotations

import dataclasses
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator import codegen
from simulator.currents.catalogue import CATALOGUE
from simulator.generator import generate, generate_lines, make_provider
from simulator.generator.campaigns import Campaign
from simulator.generator.lines import (
    NULL,
    LineBuilders,
    Rendered,
    json_texts,
    line_source,
    rendered_users,
)
from simulator.generator.plans import Slot
from simulator.generator.provider import CurrentsProvider
from tests.conftest import T0

TYPES = sorted(CATALOGUE)
DISPATCH = "d" * 24
# Text orjson must escape, or that a Python literal must: quotes, backslash, braces, control
# characters, non-ASCII and a line separator.
AWKWARD = 'O\'Brien "{x}" \\ \t\n é 中 \u2028 %s {{'


def _dumps(events: Any) -> list[str]:
    return [orjson.dumps(e).decode() for e in events]


@pytest.mark.parametrize(
    ("mix", "n", "extra"),
    [
        ("default", 6000, {}),
        ("messaging", 3000, {}),
        ("behaviors", 3000, {}),
        ("all", 3000, {}),
        ("misconfigured", 5000, {}),
        ("quota", 4000, {"duration": 7200.0}),
        ("default", 3000, {"identity": {"identified": 0.2, "anonymous": 0.2, "neither": 0.6}}),
    ],
)
def test_a_stream_of_lines_is_the_stream_of_records_encoded(
    mix: str, n: int, extra: dict[str, Any]
) -> None:
    args = {"seed": 11, "start": T0, "mix": mix, **extra}
    assert list(generate_lines(n, **args)) == _dumps(generate(n, **args))


@settings(max_examples=12, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    n=st.integers(0, 400),
    shares=st.tuples(st.floats(0, 1), st.floats(0, 1), st.floats(0.01, 1)),
    mix=st.sampled_from(["default", "all", "messaging"]),
)
def test_lines_match_records_for_any_seed_size_and_identity_shares(
    seed: int, n: int, shares: tuple[float, float, float], mix: str
) -> None:
    identity = dict(zip(("identified", "anonymous", "neither"), shares, strict=True))
    args: dict[str, Any] = {"seed": seed, "start": T0, "mix": mix, "identity": identity}
    assert list(generate_lines(n, **args)) == _dumps(generate(n, **args))


def _twins(seed: int = 3) -> tuple[CurrentsProvider, CurrentsProvider]:
    """Two providers in the same state: one builds records, the other lines, drawing alike."""
    return make_provider(seed), make_provider(seed)


def _awkward(campaign: Campaign) -> Campaign:
    message = {**campaign.message, "campaign_name": AWKWARD, "canvas_step_name": AWKWARD}
    return dataclasses.replace(campaign, message=message, builders={})


@pytest.mark.parametrize("event_type", TYPES)
def test_every_type_with_and_without_a_campaign_and_extras_gives_the_records_text(
    event_type: str,
) -> None:
    records, lines = _twins()
    contexts = [
        p.currents_context(user={**p.currents_user(), "home_city": AWKWARD})
        for p in (records, lines)
    ]
    user = rendered_users([contexts[1]])[0]
    builders = LineBuilders(lines.records)
    extra = {"session_id": AWKWARD, "duration": 12.5, "name": AWKWARD, "properties": "{}"}
    for channel in ("push", "email"):
        for index in (0, 1, 2):  # a campaign, an entry Canvas step, a triggered campaign
            pair = [_awkward(p.currents_campaigns(channel)[index]) for p in (records, lines)]
            for campaign, given_extra in [(None, None), (None, extra), (0, None), (1, extra)]:
                c_record = None if campaign is None else pair[0]
                c_line = None if campaign is None else pair[1]
                record = records.records.builder(event_type, c_record)(
                    T0 + 0.7, contexts[0], DISPATCH, given_extra
                )
                line = builders.builder(event_type, c_line)(T0 + 0.7, user, DISPATCH, given_extra)
                assert line == orjson.dumps(record).decode()


def test_a_user_missing_a_required_field_takes_the_record_builder_and_gets_it_made() -> None:
    records, lines = _twins()
    contexts = [{**p.currents_context(message={}), "user_id": None} for p in (records, lines)]
    user = rendered_users([contexts[1]])[0]
    record = records.records.builder("users.behaviors.CustomEvent", None)(
        T0, contexts[0], None, None
    )
    line = LineBuilders(lines.records).builder("users.behaviors.CustomEvent", None)(
        T0, user, None, None
    )
    assert line == orjson.dumps(record).decode()
    assert orjson.loads(line)["user_id"]  # made, as the record builder makes it


def test_users_texts_are_orjsons_and_equal_values_share_one_object() -> None:
    provider = make_provider(4)
    device = provider.currents_device()
    contexts = [provider.currents_context(message={}, device=device) for _ in range(3)]
    users = rendered_users(contexts)
    for user in users:
        assert isinstance(user, Rendered)
        values = [v for v in user.ctx.values()]
        assert list(user.texts) == [orjson.dumps(v).decode() for v in values]
    platform = list(contexts[0]).index("platform")
    assert users[0].texts[platform] is users[2].texts[platform]
    assert all(
        t is NULL for t, v in zip(users[0].texts, contexts[0].values(), strict=True) if v is None
    )


@given(values=st.lists(st.one_of(st.none(), st.text()), max_size=40))
def test_a_column_of_any_strings_is_encoded_as_orjson_encodes_each(
    values: list[str | None],
) -> None:
    texts = json_texts(values)
    assert texts == [orjson.dumps(v).decode() for v in values]
    assert all(t is NULL for t, v in zip(texts, values, strict=True) if v is None)


def test_a_field_mixing_true_and_one_keeps_each_text() -> None:
    provider = make_provider(4)
    contexts = [provider.currents_context(message={}) for _ in range(2)]
    contexts[0]["ad_tracking_enabled"], contexts[1]["ad_tracking_enabled"] = True, 1
    column = list(contexts[0]).index("ad_tracking_enabled")
    assert [u.texts[column] for u in rendered_users(contexts)] == ["true", "1"]


def test_line_source_is_readable_and_keeps_campaign_values_out_of_the_code() -> None:
    provider = make_provider(2)
    builders = LineBuilders(provider.records)
    campaign = provider.currents_campaigns("push")[0]
    source = builders.source("users.messages.pushnotification.Send", campaign)
    assert source.startswith("def line(at, user, dispatch_id, extra):")
    assert '"event_type":"users.messages.pushnotification.Send"' in source
    assert dict(campaign.fields)["campaign_name"] not in source  # read from a global instead
    other = provider.currents_campaigns("push")[2]
    assert builders.source("users.messages.pushnotification.Send", other) == source


def test_literal_text_of_any_characters_is_written_exactly() -> None:
    slots: list[Slot] = [("event_type", "const", 0), ("campaign_name", "const", 0)]
    template = {"event_type": AWKWARD, "campaign_name": None}
    source, texts = line_source(slots, template)
    assert not texts  # the event type and null are in the code itself
    line = codegen.compile_function(source, "awkward", {"NULL": NULL})
    assert line(T0, Rendered({}, ()), None, None) == orjson.dumps(template).decode()


def test_a_field_name_that_cannot_be_compiled_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot be compiled"):
        line_source(
            [("event_type", "const", 0), ("bad-name", "const", 0)],
            {"event_type": "x", "bad-name": 1},
        )
