"""Braze's receiver contract (BRAZE_CURRENTS.md §4.3), as the pure function the relay serves."""

import orjson
from hypothesis import given
from hypothesis import strategies as st

from simulator.relay import receive

ENVELOPE = {
    "event_type": "users.messages.email.Open",
    "id": "a1b2c3d4-0000-0000-0000-000000000001",
    "time": 1_700_000_000,
    "user": {"user_id": "5f0000000000000000000001", "external_user_id": "user-0001"},
    "properties": {"campaign_id": "c-1"},
}


def body(*events):
    return orjson.dumps({"events": list(events)})


def test_a_batch_with_the_right_token_is_accepted_with_its_events():
    answer = receive(body(ENVELOPE, ENVELOPE), "Bearer s3cret", "s3cret")
    assert answer.status == 200 and answer.accepted
    assert answer.events == [ENVELOPE, ENVELOPE]


def test_the_bearer_scheme_is_case_insensitive():
    assert receive(body(ENVELOPE), "bearer s3cret", "s3cret").status == 200


def test_a_wrong_token_is_refused_with_401_and_a_bearer_challenge():
    answer = receive(body(ENVELOPE), "Bearer nope", "s3cret")
    assert answer.status == 401 and not answer.accepted
    assert dict(answer.headers)["WWW-Authenticate"].startswith("Bearer")


def test_a_missing_or_non_bearer_authorization_is_refused():
    assert receive(body(ENVELOPE), None, "s3cret").status == 401
    assert receive(body(ENVELOPE), "Basic czNjcmV0", "s3cret").status == 401


def test_a_bad_token_is_refused_even_on_an_empty_batch():
    assert receive(b"", "Bearer nope", "s3cret").status == 401
    assert receive(body(), "Bearer nope", "s3cret").status == 401


def test_a_bad_token_is_refused_even_on_a_malformed_body():
    assert receive(b"{not json", "Bearer nope", "s3cret").status == 401


def test_without_a_configured_token_any_authorization_is_accepted():
    assert receive(body(ENVELOPE), None, None).status == 200
    assert receive(body(ENVELOPE), "Bearer whatever", None).status == 200


def test_an_empty_body_or_zero_events_is_a_2xx_no_op():
    for empty in (b"", b"  \n", body(), b"{}"):
        answer = receive(empty, None, None)
        assert answer.status == 200 and not answer.accepted and answer.events == []


def test_malformed_bodies_get_400():
    for bad in (b"{x", b"[1, 2]", b'"events"', b'{"events": 3}', b'{"events": [1]}'):
        answer = receive(bad, None, None)
        assert answer.status == 400 and not answer.accepted, bad
        assert answer.body["error"]


def test_unknown_fields_and_event_types_are_accepted():
    odd = {**ENVELOPE, "event_type": "users.messages.hologram.Beam", "brand_new": {"x": 1}}
    answer = receive(orjson.dumps({"events": [odd], "schema_hint": 2}), None, None)
    assert answer.status == 200 and answer.events == [odd]


@given(st.binary(max_size=200))
def test_any_bytes_get_an_answer_never_an_exception(raw):
    assert receive(raw, None, None).status in (200, 400)
