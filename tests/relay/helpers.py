"""Processes and payloads for the relay's tests: a served mock and relays as subprocesses (URL
read from their first stdout line), and Custom HTTP Currents batches."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson
import requests

from simulator.currents.shapes import flat_to_http
from simulator.generator import generate

T0 = 1_700_000_000


def envelope(n: int, event_type: str = "users.behaviors.CustomEvent", device: int = 0) -> dict:
    """One Custom HTTP envelope (a custom event on device ``device``), id ``ev-<n>``."""
    return {
        "event_type": event_type,
        "id": f"ev-{n:08d}",
        "time": T0 + n // 1000,
        "user": {
            "user_id": "5f0000000000000000000001",
            "external_user_id": f"user-{device:06d}",
            "device_id": f"device-{device:06d}",
        },
        "properties": {"name": "tap", "custom_properties": {"n": n}},
    }


def batch(start: int, size: int = 100, devices: int = 1000) -> bytes:
    return orjson.dumps(
        {"events": [envelope(n, device=n % devices) for n in range(start, start + size)]}
    )


def generated(n: int, seed: int) -> list[dict[str, Any]]:
    """Generated Currents events in the Custom HTTP shape."""
    return [flat_to_http(record) for record in generate(n, seed=seed, start=T0)]


def post(
    url: str, body: bytes, token: str | None = None, session: Any = requests, **kw: Any
) -> requests.Response:
    headers = {"Content-Type": "application/json", "Braze-Currents-Version": "1"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return session.post(url, data=body, headers=headers, timeout=10, **kw)


class Process:
    """A ``currents-sim`` subprocess whose first stdout line is its URL."""

    def __init__(self, *args: str) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "cli", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http://"):
            self.stop()
            raise AssertionError(f"no URL on stdout; stderr: {self.stderr}")
        self.stderr = ""

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self._reap()

    def terminate(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        return self._reap()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
        self._reap()

    def _reap(self) -> int:
        _, self.stderr = self.proc.communicate(timeout=30)
        return self.proc.returncode


@contextmanager
def processes() -> Iterator[list[Process]]:
    """Every process appended to the list is stopped at the end, whatever happens."""
    started: list[Process] = []
    try:
        yield started
    finally:
        for process in reversed(started):
            process.stop()


def mock_stats(mock_url: str, key: str) -> dict[str, int]:
    stats = requests.get(f"{mock_url}/_mock/stats", timeout=10).json()
    return dict(stats["keys"].get(key, {}))


def journal_ids(mock_url: str, key: str) -> list[str]:
    """insert_ids of every event the mock ingested for ``key`` (each stored once)."""
    params: dict[str, Any] = {"api_key": key, "limit": 10_000}
    ids: list[str] = []
    while True:
        page = requests.get(f"{mock_url}/_mock/events", params=params, timeout=30).json()
        ids.extend(e["insert_id"] for e in page["events"])
        if page["next_cursor"] is None:
            return ids
        params["cursor"] = page["next_cursor"]


def wait_ingested(mock_url: str, key: str, count: int, timeout_s: float = 60.0) -> None:
    body = {"api_key": key, "count": count, "timeout_s": timeout_s}
    result = requests.post(f"{mock_url}/_mock/wait", json=body, timeout=timeout_s + 10).json()
    assert result["ok"], f"waited {timeout_s} s for {count} events, saw {result['matched']}"


def relay_settled(relay_url: str, timeout_s: float = 30.0) -> dict[str, Any]:
    """A relay's ``/stats`` once it holds nothing (its figures lag a delivery by one step)."""
    deadline = time.monotonic() + timeout_s
    while True:
        stats: dict[str, Any] = requests.get(f"{relay_url}/stats", timeout=10).json()
        if not stats["queued"] or time.monotonic() >= deadline:
            return stats
        time.sleep(0.02)
