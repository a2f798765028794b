"""Served mocks for the hostile-input tests: ``currents-sim serve`` in a subprocess on
127.0.0.1 and a free port, stopped (and reaped) at teardown."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator

import pytest

Serve = Callable[..., str]


def start_serve(procs: list[subprocess.Popen[str]], *options: str) -> str:
    """Start ``currents-sim serve`` with ``options``; its base URL (first stdout line)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", "--port", "0", "--threads", "4", *options],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    procs.append(proc)
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:"), proc.communicate(timeout=10)
    return url


def stop_all(procs: list[subprocess.Popen[str]]) -> None:
    for proc in procs:
        proc.terminate()
        proc.communicate(timeout=10)  # reaps it and closes its pipes


@pytest.fixture
def serve() -> Iterator[Serve]:
    """A factory: ``serve("--max-events", "5")`` -> the URL of a new served mock."""
    procs: list[subprocess.Popen[str]] = []
    yield lambda *options: start_serve(procs, *options)
    stop_all(procs)


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    """One served mock (default options) shared by a module's tests; each uses its own key."""
    procs: list[subprocess.Popen[str]] = []
    yield start_serve(procs)
    stop_all(procs)
