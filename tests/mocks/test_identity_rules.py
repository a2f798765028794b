"""Identity, dedupe and identify edge rules on the served mock (real HTTP):

- an event without ``device_id`` is deduplicated on the device id Amplitude derives from its
  ``user_id`` ([V2]/[BATCH] event table), so two users never collide on an ``insert_id``;
- identify and group-identify calls are not events ([IDENT] "no event is created"): journaled
  as ``identified``, never counted toward the throttle window or exported;
- a silenced device gets [V2]'s documented 400 "Events silenced for device_id";
- a path Amplitude does not serve answers [V2]'s 400 "Invalid request path".
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import requests


def _post(mock, events, path: str = "2/httpapi") -> requests.Response:
    body = {"api_key": mock.api_key, "events": events}
    return requests.post(f"{mock.url}/{path}", json=body, timeout=10)


def test_two_users_without_device_id_never_collide_on_an_insert_id(amplitude_mock):
    events = [{"event_type": "e", "user_id": f"user-{i:04d}", "insert_id": "same"} for i in (1, 2)]
    assert _post(amplitude_mock, events).status_code == 200
    assert [e["user_id"] for e in amplitude_mock.events()] == ["user-0001", "user-0002"]


def test_one_user_without_device_id_resending_an_insert_id_is_deduplicated(amplitude_mock):
    event = {"event_type": "e", "user_id": "user-0001", "insert_id": "same"}
    _post(amplitude_mock, [event])
    _post(amplitude_mock, [event])
    assert len(amplitude_mock.events()) == 1
    assert len(amplitude_mock.events(outcome="deduplicated")) == 1


def test_identify_events_are_journaled_as_identified_not_ingested(amplitude_mock):
    identify = {"event_type": "$identify", "user_id": "user-0001",
                "user_properties": {"$set": {"plan": "pro"}}}  # fmt: skip
    assert _post(amplitude_mock, [identify]).status_code == 200
    who = json.dumps({"user_id": "user-0002", "user_properties": {"a": 1}})
    form = {"api_key": amplitude_mock.api_key, "identification": who}
    assert requests.post(f"{amplitude_mock.url}/identify", data=form, timeout=10).ok
    assert amplitude_mock.events() == []
    assert [e["user_id"] for e in amplitude_mock.events(outcome="identified")] == [
        "user-0001",
        "user-0002",
    ]
    assert amplitude_mock.properties(user_id="user-0001") == {"plan": "pro"}


def test_identify_calls_do_not_count_toward_the_throttle(amplitude_mock):
    identifies = [{"event_type": "$identify", "device_id": "device-hot1",
                   "user_properties": {"$add": {"n": 1}}} for _ in range(900)]  # fmt: skip
    assert _post(amplitude_mock, identifies).status_code == 200
    events = [{"event_type": "e", "device_id": "device-hot1"} for _ in range(900)]
    assert _post(amplitude_mock, events).status_code == 200  # the window held no identify
    assert _post(amplitude_mock, identifies[:1]).status_code == 200  # nor is one checked
    assert _post(amplitude_mock, events[:1]).status_code == 429  # while events are throttled


def test_identify_calls_are_not_exported(amplitude_mock):
    _post(amplitude_mock, [{"event_type": "$identify", "user_id": "user-0001"}])
    clock = requests.get(f"{amplitude_mock.url}/_mock/clock", timeout=10).json()["now_ms"]
    hour = datetime.fromtimestamp(clock / 1000, UTC).strftime("%Y%m%dT%H")
    answer = requests.get(f"{amplitude_mock.url}/api/2/export", params={"start": hour, "end": hour},
                          auth=(amplitude_mock.api_key, "s"), timeout=10)  # fmt: skip
    assert answer.status_code == 404


def _silence(mock, device_id: str, silenced: bool = True) -> dict:
    body = {"api_key": mock.api_key, "silenced": silenced}
    return requests.put(f"{mock.url}/_mock/devices/{device_id}", json=body, timeout=10).json()


def test_a_silenced_device_gets_the_documented_400(amplitude_mock):
    assert _silence(amplitude_mock, "device-spam1")["silenced"] is True
    events = [{"event_type": "e", "device_id": "device-good1"},
              {"event_type": "e", "device_id": "device-spam1"}]  # fmt: skip
    answer = _post(amplitude_mock, events)
    assert answer.status_code == 400
    assert answer.json() == {
        "code": 400,
        "error": "Events silenced for device_id",
        "eps_threshold": 30,
        "exceeded_daily_quota_devices": {},
        "silenced_devices": ["device-spam1"],
        "silenced_events": [1],
        "throttled_devices": {},
        "throttled_events": [],
    }
    assert amplitude_mock.events() == []  # the whole request is refused


def test_an_unsilenced_device_is_ingested_again(amplitude_mock):
    _silence(amplitude_mock, "device-spam1")
    assert _silence(amplitude_mock, "device-spam1", False)["silenced"] is False
    assert _post(amplitude_mock, [{"event_type": "e", "device_id": "device-spam1"}]).ok


def test_silence_needs_an_api_key_and_a_boolean(amplitude_mock):
    url = f"{amplitude_mock.url}/_mock/devices/device-0001"
    assert requests.put(url, json={"silenced": True}, timeout=10).status_code == 400
    bad = {"api_key": amplitude_mock.api_key, "silenced": "yes"}
    assert requests.put(url, json=bad, timeout=10).status_code == 400


def test_a_path_amplitude_does_not_serve_is_400_invalid_request_path(amplitude_mock):
    answer = _post(amplitude_mock, [], path="2/nothttpapi")
    assert answer.status_code == 400
    assert answer.json() == {"code": 400, "error": "Invalid request path"}
