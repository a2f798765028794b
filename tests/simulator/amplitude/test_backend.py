"""The Amplitude model (``simulator/amplitude/backend.py``): its upload contract (checks in DESIGN
§4 order, exact bodies), keys, dedupe across requests, per-key isolation, and waiting."""

from __future__ import annotations

import threading

import pytest

from simulator.amplitude import AmplitudeModel, Limits
from simulator.clock import ManualClock
from tests.simulator.amplitude.conftest import make_event, upload


def test_success_body_has_code_counts_size_and_server_time(model, clock):
    result = model.upload(
        "httpapi", {"api_key": "key-0001", "events": [make_event(0)]}, size_bytes=58
    )
    assert result.status == 200
    assert result.body == {
        "code": 200,
        "events_ingested": 1,
        "payload_size_bytes": 58,
        "server_upload_time": int(clock.now() * 1000),
    }


def test_every_failing_index_is_listed_by_field(model):
    events = [
        make_event(0),
        make_event(1, event_type=None),
        make_event(2, time="2024-01-01T00:00:00Z"),
        make_event(3, device_id="abc"),
        make_event(4, device_id=None),
        make_event(5, user_id="null", device_id=None),
        "not an object",
        make_event(7, event_type=None),
    ]
    result = upload(model, events)
    assert result.status == 400
    assert result.body["code"] == 400
    assert result.body["events_with_missing_fields"] == {"event_type": [1, 7], "user_id": [4]}
    assert result.body["events_with_invalid_fields"] == {"time": [2], "user_id": [5], "event": [6]}
    assert result.body["events_with_invalid_id_lengths"] == {"device_id": [3]}
    assert result.body["error"] == "Invalid field values on some events"
    assert "missing_field" not in result.body
    assert model.count(api_key="key-0001", outcome="ingested") == 0
    assert model.count(outcome="invalid") == 8


def test_short_ids_alone_give_the_id_length_message(model):
    result = upload(model, [make_event(0, user_id="1234", device_id=None)])
    assert result.body == {
        "code": 400,
        "error": "Invalid id length for user_id or device_id",
        "events_with_invalid_id_lengths": {"user_id": [0]},
    }


def test_min_id_length_option_overrides_default(model):
    result = upload(model, [make_event(0, device_id="ab")], options={"min_id_length": 2})
    assert result.status == 200


def test_bad_min_id_length_is_a_400(model):
    result = upload(model, [make_event(0)], options={"min_id_length": "two"})
    assert result.status == 400


@pytest.mark.parametrize(
    "value", ["anonymous", "NULL", "0" * 8 + "-0000-0000-0000-" + "0" * 12, "-1"]
)
def test_blocked_id_values_are_invalid(model, value):
    result = upload(model, [make_event(0, device_id=value)], options={"min_id_length": 1})
    assert result.body["events_with_invalid_fields"] == {"device_id": [0]}


def test_groupidentify_without_ids_is_accepted_by_default(model):
    event = {"event_type": "$groupidentify", "groups": {"org": "acme"},
             "group_properties": {"$set": {"size": 10}}}  # fmt: skip
    assert upload(model, [event]).status == 200
    assert model.group_properties("key-0001", "org", "acme") == {"size": 10}
    strict = AmplitudeModel(ManualClock(0), Limits(groupidentify_needs_id=True))
    assert upload(strict, [event]).status == 400


@pytest.mark.parametrize(
    ("payload", "body"),
    [
        ([], {"code": 400, "error": "Invalid JSON request body"}),
        ({"events": []}, {"code": 400, "error": "Request missing required field",
                          "missing_field": "api_key"}),
        ({"api_key": "key-0001"}, {"code": 400, "error": "Request missing required field",
                                   "missing_field": "events"}),
        ({"api_key": "key-0001", "events": {"a": 1}}, {"code": 400, "error": "Invalid event JSON"}),
    ],
)  # fmt: skip
def test_request_level_errors(model, payload, body):
    assert model.upload("httpapi", payload, size_bytes=10).body == body


def test_configured_keys_refuse_others_with_the_key_in_the_message(clock):
    model = AmplitudeModel(clock, api_keys=["good-key"])
    assert upload(model, [make_event(0)], key="good-key").status == 200
    result = upload(model, [make_event(1)], key="other-key")
    assert result.body == {"code": 400, "error": "Invalid API key: other-key"}
    assert model.count(api_key="other-key", outcome="unauthorized") == 1


def test_key_check_comes_before_size_and_event_checks(clock):
    model = AmplitudeModel(clock, api_keys=["good-key"])
    result = upload(model, [make_event(i, event_type=None) for i in range(2001)], key="bad-key")
    assert result.body["error"] == "Invalid API key: bad-key"


def test_sandbox_accepts_any_key_but_not_revoked_or_expired_ones(model, clock):
    assert upload(model, [make_event(0)], key="anything-goes").status == 200
    model.revoke_key("anything-goes")
    assert upload(model, [make_event(1)], key="anything-goes").status == 400
    model.add_key("expiring", expires_at=clock.now() + 60)
    assert upload(model, [make_event(2)], key="expiring").status == 200
    clock.advance(60)
    assert upload(model, [make_event(3)], key="expiring").body["error"] == (
        "Invalid API key: expiring"
    )
    model.add_key("anything-goes")
    assert upload(model, [make_event(4)], key="anything-goes").status == 200


def test_an_expired_key_is_accepted_again_from_its_restore_instant(model, clock):
    start = clock.now()
    model.add_key("outage", expires_at=start + 10, restores_at=start + 70)
    statuses = []
    for offset in (0, 10, 69, 70):
        clock.set(start + offset)
        statuses.append(upload(model, [make_event(offset)], key="outage").status)
    assert statuses == [200, 400, 400, 200]


def test_a_restore_must_come_after_the_expiry(model, clock):
    with pytest.raises(ValueError, match="restores_at must come after expires_at"):
        model.add_key("k", expires_at=clock.now(), restores_at=clock.now())
    with pytest.raises(ValueError, match="restores_at must come after expires_at"):
        model.add_key("k", restores_at=clock.now())


def test_more_than_2000_events_is_413_and_2000_is_not(model):
    too_many = [make_event(i, device_id=f"device-{i:05d}") for i in range(2001)]
    result = upload(model, too_many)
    assert result.body == {"code": 413, "error": "Payload too large"}
    assert model.count(outcome="payload_too_large") == 2001
    assert upload(model, too_many[:2000]).status == 200


def test_byte_cap_differs_by_endpoint(model):
    payload = {"api_key": "key-0001", "events": [make_event(0)]}
    size = 2 * 1024 * 1024
    assert model.upload("httpapi", payload, size_bytes=size).status == 413
    assert model.upload("batch", payload, size_bytes=size).status == 200
    assert model.upload("batch", payload, size_bytes=21 * 1024 * 1024).status == 413


def test_dedupe_within_seven_days_then_not(model, clock):
    event = make_event(0)
    assert upload(model, [event]).body["events_ingested"] == 1
    clock.advance(7 * 24 * 3600 - 1)
    assert upload(model, [event]).status == 200
    assert model.count(outcome="ingested") == 1
    assert model.count(outcome="deduplicated") == 1
    clock.advance(1)
    upload(model, [event])
    assert model.count(outcome="ingested") == 2


def test_dedupe_is_per_device(model):
    upload(model, [make_event(0, device_id="device-aaaa")])
    upload(model, [make_event(0, device_id="device-bbbb")])
    assert model.count(outcome="ingested") == 2


def test_duplicates_can_be_left_out_of_events_ingested(clock):
    model = AmplitudeModel(clock, Limits(count_duplicates_as_ingested=False))
    upload(model, [make_event(0)])
    assert upload(model, [make_event(0), make_event(1)]).body["events_ingested"] == 1


def test_state_is_isolated_per_key(model):
    upload(model, [make_event(i) for i in range(900)], key="key-aaaa")
    assert upload(model, [make_event(1000)], key="key-aaaa").status == 429
    assert upload(model, [make_event(0)], key="key-bbbb").status == 200
    assert model.count(api_key="key-bbbb", outcome="ingested") == 1


def test_reset_one_key_leaves_others(model):
    upload(model, [make_event(i) for i in range(900)], key="key-aaaa")
    upload(model, [make_event(0)], key="key-bbbb")
    model.reset("key-aaaa")
    assert model.count(api_key="key-aaaa", outcome="ingested") == 0
    assert upload(model, [make_event(0)], key="key-aaaa").status == 200
    assert model.count(api_key="key-bbbb", outcome="ingested") == 1
    model.reset()
    assert model.count() == 0
    assert model.stats()["outcomes"]["ingested"] == 0


def test_wait_for_returns_at_once_when_enough_entries_match(model):
    upload(model, [make_event(i) for i in range(3)])
    assert model.wait_for(2, {"api_key": "key-0001"}, timeout_s=0) == 3


def test_wait_for_gives_up_after_the_timeout_with_what_matched(model):
    upload(model, [make_event(0)])
    assert model.wait_for(5, {"event_type": "Played"}, timeout_s=0.05) == 1


def test_wait_for_wakes_when_an_upload_brings_the_count(model):
    later = threading.Timer(0.05, lambda: upload(model, [make_event(i) for i in range(2)]))
    later.start()
    try:
        assert model.wait_for(2, {"api_key": "key-0001"}, timeout_s=30) == 2
    finally:
        later.join()
