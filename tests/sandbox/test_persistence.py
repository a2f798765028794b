"""``serve --data-dir``: real processes stopped (SIGTERM, ``kill -9``) and started again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

# What the README promises about kill -9: requests answered this long before it are kept.
KILL_LOSS_BOUND_S = 1.0


class Served:
    """One `currents-sim serve` process (``.url``), stoppable by signal."""

    def __init__(self, *options: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "cli", "serve", "--host", "127.0.0.1", "--port", "0",
             "--threads", "4", *options],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        assert self.url.startswith("http://"), self.proc.communicate(timeout=10)

    def stop(self, sig: int = signal.SIGTERM) -> str:
        """Send ``sig``, reap the process; its stderr."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, sig)
        _, err = self.proc.communicate(timeout=20)
        return err


@pytest.fixture
def serve() -> Iterator[Callable[..., Served]]:
    started: list[Served] = []

    def start(*options: str) -> Served:
        started.append(Served(*options))
        return started[-1]

    yield start
    for served in started:
        served.stop(signal.SIGKILL)


def _post(url: str, key: str, events: list[dict[str, Any]]) -> requests.Response:
    return requests.post(f"{url}/2/httpapi", json={"api_key": key, "events": events}, timeout=10)


def _played(n: int, start: int = 0, device: str = "device-hot1") -> list[dict[str, Any]]:
    return [{"event_type": "Played", "device_id": device, "insert_id": f"ins-{start + i}"}
            for i in range(n)]  # fmt: skip


def _admin(url: str, method: str, path: str, **kw: Any) -> Any:
    response = requests.request(method, f"{url}/_mock/{path}", timeout=10, **kw)
    return response.json()


def _journal(url: str, key: str) -> list[dict[str, Any]]:
    return list(_admin(url, "GET", "events", params={"api_key": key, "outcome": "all",
                                                      "limit": 10_000})["events"])  # fmt: skip


def _prepare(url: str) -> None:
    """State of every kind: a filled window, a revoked key, properties, a cohort, a frozen
    clock moved forward."""
    _admin(url, "POST", "clock", json={"scale": 0})
    _admin(url, "POST", "clock", json={"advance_s": 3600})
    assert _post(url, "key-aaaa", _played(50)).json()["code"] == 200
    assert _post(url, "key-aaaa", _played(20, start=100)).json()["code"] == 429
    identify = {"event_type": "$identify", "user_id": "user-0001",
                "user_properties": {"$set": {"plan": "pro"}, "$add": {"logins": 2}}}  # fmt: skip
    assert _post(url, "key-aaaa", [identify]).json()["code"] == 200
    _admin(url, "DELETE", "keys/key-gone")
    cohort = {"api_key": "key-aaaa", "name": "Players",
              "rule": {"type": "did_event", "event_type": "Played", "days": 7}}  # fmt: skip
    requests.post(f"{url}/_mock/amplitude/cohorts", json=cohort, timeout=10).raise_for_status()


def _picture(url: str) -> dict[str, Any]:
    """What a restart must keep, as the admin API shows it."""
    return {
        "journal": _journal(url, "key-aaaa"),
        "requests": _admin(url, "GET", "requests", params={"api_key": "key-aaaa"})["requests"],
        "stats": _admin(url, "GET", "stats"),
        "clock": _admin(url, "GET", "clock"),
        "keys": _admin(url, "GET", "keys"),
        "limits": _admin(url, "GET", "limits", params={"api_key": "key-aaaa"}),
        "properties": _admin(url, "GET", "properties",
                             params={"api_key": "key-aaaa", "user_id": "user-0001"}),
        "cohorts": _admin(url, "GET", "cohorts", params={"api_key": "key-aaaa"}),
    }  # fmt: skip


def test_a_restart_resumes_every_kind_of_state_where_it_stopped(serve, tmp_path):
    first = serve("--data-dir", str(tmp_path), "--eps", "2")
    _prepare(first.url)
    before = _picture(first.url)
    first.stop(signal.SIGTERM)
    second = serve("--data-dir", str(tmp_path), "--eps", "2")
    assert _picture(second.url) == before
    assert before["cohorts"]["cohorts"][0]["size"] == 1
    # The window still holds 50 of 60 events; the dedupe set still knows ins-0; the key is
    # still revoked.
    assert _post(second.url, "key-aaaa", _played(11, start=200)).json()["code"] == 429
    again = _post(second.url, "key-aaaa", _played(1)).json()
    assert again["code"] == 200
    assert _journal(second.url, "key-aaaa")[-1]["outcome"] == "deduplicated"
    assert _post(second.url, "key-gone", _played(1)).json()["code"] == 400


def test_a_reset_key_stays_forgotten_after_a_restart(serve, tmp_path):
    first = serve("--data-dir", str(tmp_path))
    _post(first.url, "key-aaaa", _played(3))
    _post(first.url, "key-bbbb", _played(2))
    _admin(first.url, "POST", "reset", json={"api_key": "key-aaaa"})
    _post(first.url, "key-aaaa", _played(1, start=10))  # likely in the reset's flush period
    first.stop(signal.SIGTERM)
    second = serve("--data-dir", str(tmp_path))
    assert [e["insert_id"] for e in _journal(second.url, "key-aaaa")] == ["ins-10"]
    assert len(_journal(second.url, "key-bbbb")) == 2


def test_after_kill_9_every_request_answered_a_second_before_is_kept(serve, tmp_path):
    first = serve("--data-dir", str(tmp_path))
    answered: list[tuple[float, int]] = []  # (monotonic time of the answer, batch number)
    stop = threading.Event()

    def send() -> None:
        batch = 0
        with requests.Session() as http:
            while not stop.is_set():
                body = {
                    "api_key": "key-kill",
                    "events": _played(10, start=batch * 10, device=f"device-{batch:05d}"),
                }
                try:
                    response = http.post(f"{first.url}/2/httpapi", json=body, timeout=5)
                except requests.RequestException:
                    return  # the server died
                if response.status_code == 200:
                    answered.append((time.monotonic(), batch))
                batch += 1

    sender = threading.Thread(target=send)
    sender.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # until 20+ requests are answered a second before now
        time.sleep(0.2)
        if sum(1 for at, _ in list(answered) if at <= time.monotonic() - KILL_LOSS_BOUND_S) > 20:
            break
    killed_at = time.monotonic()
    first.stop(signal.SIGKILL)
    stop.set()
    sender.join(timeout=10)
    second = serve("--data-dir", str(tmp_path))
    kept = {e["insert_id"] for e in _journal(second.url, "key-kill")}
    old_enough = [b for at, b in answered if at <= killed_at - KILL_LOSS_BOUND_S]
    assert len(old_enough) > 20  # the sender did run for a while
    missing = [b for b in old_enough if f"ins-{b * 10}" not in kept]
    assert missing == []
    # Nothing is kept twice or out of order: the replayed journal is what was answered.
    assert len(kept) == len(_journal(second.url, "key-kill"))


def test_a_named_snapshot_restores_journal_windows_and_clock(serve, tmp_path):
    served = serve("--data-dir", str(tmp_path), "--eps", "2")
    _admin(served.url, "POST", "clock", json={"scale": 0})
    _post(served.url, "key-aaaa", _played(50))
    taken = requests.post(f"{served.url}/_mock/snapshots", json={"name": "half-full"}, timeout=10)
    assert taken.status_code == 201 and taken.json()["snapshots"] == ["half-full"]
    before = _picture(served.url)
    _admin(served.url, "POST", "clock", json={"advance_s": 60})  # the window empties
    assert _post(served.url, "key-aaaa", _played(50, start=100)).json()["code"] == 200
    restored = requests.post(f"{served.url}/_mock/snapshots/half-full/restore", timeout=10)
    assert restored.status_code == 200
    after = _picture(served.url)
    assert after["journal"] == before["journal"] and after["clock"] == before["clock"]
    assert after["limits"] == before["limits"]
    assert _post(served.url, "key-aaaa", _played(11, start=300)).json()["code"] == 429


def test_snapshots_need_a_data_dir_and_a_known_name(serve, tmp_path):
    memory = serve()
    answer = requests.post(f"{memory.url}/_mock/snapshots", json={"name": "x"}, timeout=10)
    assert answer.status_code == 404 and "--data-dir" in answer.json()["error"]
    stored = serve("--data-dir", str(tmp_path))
    unknown = requests.post(f"{stored.url}/_mock/snapshots/nope/restore", timeout=10)
    assert unknown.status_code == 404 and "no snapshot named 'nope'" in unknown.json()["error"]
    bad = requests.post(f"{stored.url}/_mock/snapshots", json={"name": "../x"}, timeout=10)
    assert bad.status_code == 400


def test_a_data_dir_that_is_a_file_is_a_one_line_usage_error(tmp_path):
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    done = subprocess.run(
        [sys.executable, "-m", "cli", "serve", "--port", "0", "--data-dir", str(not_a_dir)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert (
        done.stderr.startswith("currents-sim: cannot use --data-dir")
        and done.stderr.count("\n") == 1
    )
    assert Path(not_a_dir).read_text() == "x"  # the input is untouched
