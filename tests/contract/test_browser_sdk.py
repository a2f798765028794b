"""The official browser SDK (``@amplitude/analytics-browser`` 2.48.1, pinned with
package-lock.json) as a judge of the served mock, in headless Debian chromium driven by
``playwright-core`` (``browser/driver.js``; ``make test`` installs chromium where missing).

The page is served by the driver on its own port, so each call to the mock is cross-origin and
needs the mock's CORS answers (``mocks/cors.py``); without them ``track()`` resolves with
"Event rejected due to exceeded retry count" after five resends.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.conftest import REPO
from tests.contract.driver import run_driver

DRIVER = Path(__file__).parent / "browser" / "driver.js"
CHROMIUM = Path("/usr/bin/chromium")
PLAYWRIGHT = REPO / "node_modules" / "playwright-core"

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


def run_browser(mock_url: str, key: str, events: list[dict[str, str]]) -> dict[str, Any]:
    if not CHROMIUM.exists() or not PLAYWRIGHT.is_dir():
        pytest.fail("chromium or playwright-core is missing: run `make browser` (make test does)")
    config = {"mockUrl": mock_url, "apiKey": key, "events": events}
    return run_driver(DRIVER, config)


def _event(n: int, device: str = "browser-device-1") -> dict[str, str]:
    return {"insert_id": f"browser-ins-{n:04d}", "device_id": device, "user_id": "browser-user-1"}


def test_track_from_another_origin_resolves_200_and_is_journaled_once(amplitude_mock):
    result = run_browser(amplitude_mock.url, amplitude_mock.api_key, [_event(1)])
    assert result["origin"] != amplitude_mock.url  # the page is on another origin
    assert [r["code"] for r in result["results"]] == [200]
    ingested = amplitude_mock.events()
    assert [e["insert_id"] for e in ingested] == ["browser-ins-0001"]
    assert ingested[0]["event_type"] == "Played"


def test_a_throttled_device_is_retried_by_the_sdk_and_ingested_once(amplitude_mock):
    # Fill the device's 30 s window to the threshold (30 ev/s x 30 s = 900): one more is a 429.
    fill = [{"event_type": "fill", "device_id": "browser-hot-1", "insert_id": f"fill-{i}"}
            for i in range(900)]  # fmt: skip
    body = {"api_key": amplitude_mock.api_key, "events": fill}
    assert requests.post(amplitude_mock.server_url, json=body, timeout=10).status_code == 200
    started = amplitude_mock.now_ms()
    result = run_browser(amplitude_mock.url, amplitude_mock.api_key, [_event(2, "browser-hot-1")])
    assert [r["code"] for r in result["results"]] == [200]
    assert amplitude_mock.now_ms() - started >= 30_000  # the SDK's 30 s pause ran
    assert [e["insert_id"] for e in amplitude_mock.events(outcome="throttled")] == [
        "browser-ins-0002"
    ]
    assert [e["insert_id"] for e in amplitude_mock.events(event_type="Played")] == [
        "browser-ins-0002"
    ]
