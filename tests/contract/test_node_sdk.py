"""The official Node SDK (``@amplitude/analytics-node`` 1.5.73, pinned with package-lock.json,
installed by ``make node``) as a judge of the served mock, driven by ``node/driver.js``.

Reactions relied on (analytics-core ``lib/cjs/plugins/destination.js``, AMPLITUDE_API.md
§10.2): 400 drops the listed indices and resends the rest; ``"Invalid API key"`` resolves every
event with 400 and no retry; 413 halves ``flushQueueSize`` and resends; 429 pauses the whole
queue 30 s (the driver shares a virtual clock with the mock instead of sleeping).
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.conftest import REPO
from tests.contract.driver import run_driver

DRIVER = Path(__file__).parent / "node" / "driver.js"
SDK = REPO / "node_modules" / "@amplitude" / "analytics-node"

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


def run_sdk(url: str, key: str, scenario: str, n: int, **extra: Any) -> dict[str, Any]:
    if not SDK.is_dir():
        pytest.fail("the Node SDK is not installed: run `make node` (npm ci)")
    config = {"serverUrl": f"{url}/2/httpapi", "adminUrl": f"{url}/_mock", "apiKey": key,
              "scenario": scenario, "n": n, **extra}  # fmt: skip
    return run_driver(DRIVER, config)


def _ingested(mock) -> Counter[str]:
    return Counter(e["insert_id"] for e in mock.events())


def test_normal_traffic_is_fully_ingested(amplitude_mock):
    result = run_sdk(amplitude_mock.url, amplitude_mock.api_key, "normal", 300)
    assert result["codes"] == {"200": 300}
    assert _ingested(amplitude_mock) == Counter({f"ins-{i:06d}": 1 for i in range(300)})


def test_one_device_over_30_eps_is_throttled_and_the_retry_ingests_everything_once(
    amplitude_mock,
):
    started = amplitude_mock.now_ms()
    result = run_sdk(amplitude_mock.url, amplitude_mock.api_key, "throttle", 1000)
    assert result["codes"] == {"200": 1000}
    statuses = Counter(r["status"] for r in amplitude_mock.requests())
    assert statuses[429] >= 1
    assert amplitude_mock.now_ms() - started >= 30_000  # the SDK's pause ran on the shared clock
    ingested = _ingested(amplitude_mock)
    assert len(ingested) == 1000 and set(ingested.values()) == {1}
    assert len(amplitude_mock.events(outcome="throttled")) >= 1


def test_invalid_events_only_those_are_dropped(amplitude_mock):
    result = run_sdk(amplitude_mock.url, amplitude_mock.api_key, "invalid", 10)
    assert result["byId"]["ins-000003"] == 400 and result["byId"]["ins-000007"] == 400
    assert result["codes"] == {"200": 8, "400": 2}
    assert set(_ingested(amplitude_mock)) == {f"ins-{i:06d}" for i in range(10)} - {
        "ins-000003",
        "ins-000007",
    }


def test_oversize_batch_gets_413_and_the_sdk_split_ingests_all(amplitude_mock):
    result = run_sdk(amplitude_mock.url, amplitude_mock.api_key, "oversize", 200,
                     flushQueueSize=200, flushIntervalMillis=1000)  # fmt: skip
    assert result["codes"] == {"200": 200}
    assert (413, 200) in [(r["status"], r["event_count"]) for r in amplitude_mock.requests()]
    assert set(_ingested(amplitude_mock).values()) == {1}
    assert len(_ingested(amplitude_mock)) == 200


def test_unknown_key_nothing_is_ingested(strict_server):
    result = run_sdk(strict_server.url, "unknown-node-key9", "normal", 20)
    assert result["codes"] == {"400": 20}
    assert result["messages"] == {"Invalid API key: unknown-node-key9": 20}
    admin = f"{strict_server.url}/_mock"
    page = requests.get(f"{admin}/events", params={"api_key": "unknown-node-key9"}, timeout=10)
    assert page.json()["total"] == 0
    log = requests.get(f"{admin}/requests", params={"api_key": "unknown-node-key9"}, timeout=10)
    assert {r["status"] for r in log.json()["requests"]} == {400}


def test_an_injected_429_makes_the_sdk_pause_its_queue_30_s(amplitude_mock):
    amplitude_mock.fault(429)
    started = amplitude_mock.now_ms()
    result = run_sdk(amplitude_mock.url, amplitude_mock.api_key, "normal", 20)
    assert result["codes"] == {"200": 20}
    assert amplitude_mock.now_ms() - started >= 30_000  # the driver's 30 s timer fired
    assert set(_ingested(amplitude_mock).values()) == {1} and len(_ingested(amplitude_mock)) == 20


def test_a_bare_429_fault_is_resent_without_the_pause(amplitude_mock):
    amplitude_mock.fault(429, body="bare")
    started = amplitude_mock.now_ms()
    result = run_sdk(amplitude_mock.url, amplitude_mock.api_key, "normal", 20)
    assert result["codes"] == {"200": 20}
    assert amplitude_mock.now_ms() - started < 30_000  # no throttledEvents: no 30 s timer
