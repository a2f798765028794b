"""One headless Chromium for the whole module (``driver.mjs``: Debian's ``/usr/bin/chromium``
driven by npm ``playwright-core``, installed by ``make browser``), one served mock, and the
official Python SDK to send events the way an app would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from amplitude import Amplitude, BaseEvent, Config

from mocks.app import create_app
from mocks.server import Server
from tests.conftest import REPO

DRIVER = Path(__file__).with_name("driver.mjs")
CHROMIUM = Path("/usr/bin/chromium")
PLAYWRIGHT = REPO / "node_modules" / "playwright-core"
# Where the screenshots go: reports/ by default (a run leaves the committed ones alone);
# CURRENTS_SCREENSHOTS=docs/screenshots refreshes the ones the README shows.
SCREENSHOTS = REPO / os.environ.get("CURRENTS_SCREENSHOTS", "reports/screenshots")


class Browser:
    """Commands to the driver, one JSON line each way."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            ["node", str(DRIVER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            cwd=REPO,
        )  # fmt: skip
        self._read()  # "ready": the browser is up

    def _read(self) -> Any:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError(f"the browser driver exited ({self.proc.wait(timeout=10)})")
        reply = json.loads(line)
        if not reply["ok"]:
            raise AssertionError(f"browser: {reply['error']}")
        return reply["value"]

    def __call__(self, op: str, **args: Any) -> Any:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"op": op, **args}) + "\n")
        self.proc.stdin.flush()
        return self._read()

    def wait(self, expression: str, timeout_ms: int = 15_000) -> Any:
        """Until ``expression`` (JavaScript, run in the page) is truthy; its value."""
        return self("wait", expression=expression, timeout=timeout_ms)

    def close(self) -> None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps({"op": "close"}) + "\n")
        self.proc.stdin.close()
        self.proc.wait(timeout=20)
        self.proc.stdout.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists() or not PLAYWRIGHT.is_dir() or shutil.which("node") is None:
        pytest.fail("Chromium or playwright-core is missing: run `make browser`")
    driver = Browser()
    yield driver
    driver.close()


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Server]:
    """The mock on real time (a person watches it), on a free port."""
    with Server(create_app(seed=0), threads=8).start() as server:
        yield server


@pytest.fixture
def key() -> str:
    return f"browser-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def page(browser: Browser, sandbox: Server, key: str) -> Browser:
    """A fresh 1280x800 page following ``key``, live (its stream connected)."""
    browser("open", width=1280, height=800)
    browser("goto", url=f"{sandbox.url}/?key={key}")
    browser.wait("document.getElementById('link').textContent === 'live'")
    browser("eval", expression="window.notReloaded = true")
    return browser


def send_with_sdk(url: str, key: str, events: list[BaseEvent]) -> list[int]:
    """Events through the official Python SDK; the status codes its callback saw."""
    codes: list[int] = []
    client = Amplitude(
        key,
        Config(
            server_url=f"{url}/2/httpapi",
            flush_queue_size=500,
            flush_interval_millis=100,
            callback=lambda event, code, message=None: codes.append(code),
        ),
    )
    for event in events:
        client.track(event)
    client.flush()
    client.shutdown()
    return codes


def shot(browser: Browser, name: str, full_page: bool = False) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    browser("screenshot", path=str(path), fullPage=full_page)
    return path
