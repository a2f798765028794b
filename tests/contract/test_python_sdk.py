"""The official Python SDK (``amplitude-analytics`` 1.3.0, pinned) as a judge of the served mock.

Reactions relied on (Amplitude-Python ``src/amplitude/processor.py``, AMPLITUDE_API.md §10.1):
400 drops exactly the listed indices and resends the rest; 413 shrinks the batch and resends;
429 requeues ``throttled_events`` with a 30 s delay; ``"Invalid API key:"`` drops silently.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import pytest
import requests
from amplitude import Amplitude, BaseEvent, Config, EventOptions, Identify
from amplitude.storage import InMemoryStorage, InMemoryStorageProvider

from tests.contract.conftest import KNOWN_KEY, wait_until


class Recorder:
    def __init__(self) -> None:
        self.codes: Counter[int] = Counter()
        self.by_id: dict[str, int] = {}
        self.lock = threading.Lock()

    def __call__(self, event: BaseEvent, code: int, message: Any = None) -> None:
        with self.lock:
            self.codes[code] += 1
            self.by_id[event.insert_id] = code


class KeepStorage(InMemoryStorageProvider):
    """The SDK's own in-memory storage, kept visible so a test can see what it holds back."""

    storage: InMemoryStorage | None = None

    def get_storage(self) -> InMemoryStorage:
        self.storage = InMemoryStorage()
        return self.storage


def client_for(url: str, key: str, recorder: Recorder, **config: Any) -> Amplitude:
    settings = {"flush_interval_millis": 100, "flush_queue_size": 100, **config}
    return Amplitude(key, Config(server_url=url, callback=recorder, **settings))


def send(client: Amplitude, events: list[BaseEvent]) -> None:
    for event in events:
        client.track(event)
    client.flush()


def _events(n: int, **fixed: Any) -> list[BaseEvent]:
    out = []
    for i in range(n):
        fields = {"user_id": f"user-{i % 20:04d}", "device_id": f"device-{i % 20:04d}", **fixed}
        out.append(BaseEvent(event_type="Played", insert_id=f"ins-{i:06d}", **fields))
    return out


def _ingested_ids(mock) -> Counter[str]:
    return Counter(e["insert_id"] for e in mock.events())


def test_normal_traffic_is_fully_ingested(amplitude_mock):
    recorder = Recorder()
    client = client_for(amplitude_mock.server_url, amplitude_mock.api_key, recorder)
    send(client, _events(300))
    amplitude_mock.wait(300)
    assert wait_until(lambda: recorder.codes[200] == 300)
    client.shutdown()
    assert _ingested_ids(amplitude_mock) == Counter({f"ins-{i:06d}": 1 for i in range(300)})
    assert recorder.codes == Counter({200: 300})


def test_batch_endpoint_and_prefixed_url_work_too(amplitude_mock):
    recorder = Recorder()
    url = f"{amplitude_mock.url}/some/prefix/batch"
    client = client_for(url, amplitude_mock.api_key, recorder)
    send(client, _events(50))
    amplitude_mock.wait(50)
    client.shutdown()
    assert {r["endpoint"] for r in amplitude_mock.requests()} == {"batch"}


def test_one_device_over_30_eps_is_throttled_and_the_retry_ingests_everything_once(
    amplitude_mock, shared_clock
):
    recorder, provider = Recorder(), KeepStorage()
    client = client_for(
        amplitude_mock.server_url, amplitude_mock.api_key, recorder, storage_provider=provider
    )
    send(client, _events(1000, device_id="device-hot1", user_id="user-hot1"))
    everyone = {f"ins-{i:06d}" for i in range(1000)}

    def held_back() -> set[str]:
        storage = provider.storage
        assert storage is not None
        with storage.lock:
            return (
                {e.insert_id for _, e in storage.buffer_data} if not storage.ready_queue else set()
            )

    # Wait until every event is either ingested or held back by the SDK for its 30 s pause.
    assert wait_until(lambda: set(_ingested_ids(amplitude_mock)) | held_back() == everyone)
    assert wait_until(lambda: recorder.codes[200] == len(_ingested_ids(amplitude_mock)))
    first_pass = _ingested_ids(amplitude_mock)
    assert len(first_pass) <= 900  # 30 ev/s averaged over 30 s
    assert 429 in {r["status"] for r in amplitude_mock.requests()}
    assert {e["insert_id"] for e in amplitude_mock.events(outcome="throttled")} >= held_back()
    shared_clock.advance(31)
    amplitude_mock.wait(1000)
    assert wait_until(lambda: recorder.codes[200] == 1000)
    client.shutdown()
    ingested = _ingested_ids(amplitude_mock)
    assert set(ingested) == everyone and set(ingested.values()) == {1}
    assert amplitude_mock.events(outcome="deduplicated") == []


def test_invalid_events_only_those_are_dropped(amplitude_mock):
    recorder = Recorder()
    client = client_for(amplitude_mock.server_url, amplitude_mock.api_key, recorder)
    events = _events(10)
    events[3].user_id, events[3].device_id = "abc", None
    events[7].user_id, events[7].device_id = "null", None
    send(client, events)
    amplitude_mock.wait(8)
    assert wait_until(lambda: sum(recorder.codes.values()) == 10)
    client.shutdown()
    assert recorder.by_id["ins-000003"] == 400 and recorder.by_id["ins-000007"] == 400
    assert set(_ingested_ids(amplitude_mock)) == {f"ins-{i:06d}" for i in range(10)} - {
        "ins-000003",
        "ins-000007",
    }


def test_oversize_batch_gets_413_and_the_sdk_split_ingests_all(amplitude_mock):
    recorder = Recorder()
    client = client_for(
        amplitude_mock.server_url,
        amplitude_mock.api_key,
        recorder,
        flush_queue_size=200,
        flush_interval_millis=60_000,  # one explicit flush of all 200 (about 1.4 MB)
    )
    padding = {"blob": "x" * 1000, "more": ["y" * 1000] * 6}
    for event in _events(200, event_properties=padding):
        client.track(event)
    client.configuration.flush_interval_millis = 100  # resend quickly after the 413
    client.flush()
    amplitude_mock.wait(200, timeout_s=30)
    assert wait_until(lambda: recorder.codes[200] == 200)
    client.shutdown()
    statuses = [(r["status"], r["event_count"]) for r in amplitude_mock.requests()]
    assert statuses[0] == (413, 200)
    assert set(_ingested_ids(amplitude_mock).values()) == {1}
    assert len(amplitude_mock.events(outcome="payload_too_large")) == 200


def test_unknown_key_nothing_is_ingested(strict_server):
    recorder = Recorder()
    client = client_for(f"{strict_server.url}/2/httpapi", "unknown-py-key9", recorder)
    send(client, _events(20))
    admin = f"{strict_server.url}/_mock"
    query = {"api_key": "unknown-py-key9", "outcome": "unauthorized", "count": 20, "timeout_s": 10}
    assert requests.post(f"{admin}/wait", json=query, timeout=15).json()["ok"]
    client.shutdown()
    page = requests.get(f"{admin}/events", params={"api_key": "unknown-py-key9"}, timeout=10)
    assert page.json()["total"] == 0
    log = requests.get(f"{admin}/requests", params={"api_key": "unknown-py-key9"}, timeout=10)
    assert [r["body"]["error"] for r in log.json()["requests"]] == [
        "Invalid API key: unknown-py-key9"
    ]
    assert recorder.codes == Counter()  # Python 1.3.0 drops them with a log line only


@pytest.mark.parametrize("key", [KNOWN_KEY])
def test_known_key_on_the_strict_server_is_ingested(strict_server, key):
    recorder = Recorder()
    client = client_for(f"{strict_server.url}/2/httpapi", key, recorder)
    send(client, _events(5))
    assert wait_until(lambda: recorder.codes[200] == 5)
    client.shutdown()


def test_identify_and_group_identify_update_properties(amplitude_mock):
    recorder = Recorder()
    client = client_for(amplitude_mock.server_url, amplitude_mock.api_key, recorder)
    who = EventOptions(user_id="user-0001", device_id="device-0001")
    client.identify(Identify().set("plan", "pro").add("logins", 2).append("tags", "a"), who)
    client.group_identify("org", "acme", Identify().set("size", 10))
    client.flush()
    amplitude_mock.wait(1, event_type="$identify", outcome="identified")
    amplitude_mock.wait(1, event_type="$groupidentify", outcome="identified")
    client.shutdown()
    assert amplitude_mock.properties(user_id="user-0001") == {
        "plan": "pro",
        "logins": 2,
        "tags": ["a"],
    }
    assert amplitude_mock.properties(group_type="org", group_value="acme") == {"size": 10}


def _paused(provider: KeepStorage, now_ms: int) -> set[str]:
    """insert_ids the SDK holds back until at least 29 s from ``now_ms`` (its 30 s pause after
    a 429; an ordinary retry waits 100 ms, ``storage.py`` ``_get_retry_delay``)."""
    storage = provider.storage
    assert storage is not None
    with storage.lock:
        return {e.insert_id for due, e in storage.buffer_data if due >= now_ms + 29_000}


def test_an_injected_429_makes_the_sdk_pause_30_s_before_resending(amplitude_mock, shared_clock):
    recorder, provider = Recorder(), KeepStorage()
    client = client_for(
        amplitude_mock.server_url, amplitude_mock.api_key, recorder, storage_provider=provider
    )
    amplitude_mock.fault(429)
    sent_at = shared_clock.now_ms()
    send(client, _events(10))
    everyone = {f"ins-{i:06d}" for i in range(10)}
    assert wait_until(lambda: _paused(provider, sent_at) == everyone)
    assert amplitude_mock.events() == []  # paused: nothing resent until the 30 s pass
    shared_clock.advance(31)
    amplitude_mock.wait(10)
    assert wait_until(lambda: recorder.codes[200] == 10)
    client.shutdown()
    assert _ingested_ids(amplitude_mock) == Counter(dict.fromkeys(everyone, 1))


def test_a_bare_429_fault_is_resent_at_once_without_the_pause(amplitude_mock, shared_clock):
    recorder = Recorder()
    client = client_for(amplitude_mock.server_url, amplitude_mock.api_key, recorder)
    amplitude_mock.fault(429, body="bare")
    send(client, _events(10))
    amplitude_mock.wait(10)  # no throttled_events: the SDK retries without waiting 30 s
    client.shutdown()
    assert [r["status"] for r in amplitude_mock.requests()][:2] == [429, 200]
