"""The ``amplitude_mock`` fixture: served mock, fresh key per test, helpers, entry point."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
import requests

from tests.conftest import REPO

_keys: list[str] = []


def _send(mock, events):
    body = {"api_key": mock.api_key, "events": events}
    return requests.post(mock.server_url, json=body, timeout=10)


@pytest.mark.parametrize("run", [1, 2])
def test_each_test_gets_a_fresh_key_and_an_empty_journal(amplitude_mock, run):
    assert amplitude_mock.url.startswith("http://127.0.0.1:")
    assert amplitude_mock.api_key not in _keys
    _keys.append(amplitude_mock.api_key)
    assert amplitude_mock.events(outcome="all") == []
    _send(amplitude_mock, [{"event_type": "e", "device_id": "device-0001", "insert_id": "i1"}])
    assert amplitude_mock.wait(1) == 1


def test_helpers_events_advance_fault_wait(amplitude_mock):
    events = [{"event_type": "e", "device_id": "device-0001", "insert_id": f"i{i}"}
              for i in range(901)]  # fmt: skip
    assert _send(amplitude_mock, events).json()["code"] == 429
    assert len(amplitude_mock.events(outcome="throttled")) == 901
    before = amplitude_mock.now_ms()
    assert amplitude_mock.advance(30) - before >= 30_000
    amplitude_mock.fault(503, count=1)
    assert _send(amplitude_mock, events[:1]).json() == {"code": 503, "error": "Service Unavailable"}
    assert _send(amplitude_mock, events[:1]).json()["code"] == 200
    assert [e["insert_id"] for e in amplitude_mock.events(device_id="device-0001")] == ["i0"]
    assert [r["status"] for r in amplitude_mock.requests()] == [429, 503, 200]
    with pytest.raises(AssertionError, match="waited"):
        amplitude_mock.wait(5, timeout_s=0.2)
    assert amplitude_mock.stats()["keys"][amplitude_mock.api_key]["ingested"] == 1


def test_entry_point_registers_the_fixture_in_a_fresh_pytest(tmp_path):
    test = tmp_path / "test_user.py"
    test.write_text(textwrap.dedent("""
        import requests

        def test_mine(amplitude_mock):
            body = {"api_key": amplitude_mock.api_key,
                    "events": [{"event_type": "Signed Up", "user_id": "user-0001"}]}
            assert requests.post(amplitude_mock.server_url, json=body).json()["code"] == 200
            amplitude_mock.wait(1, event_type="Signed Up")
            assert [e["user_id"] for e in amplitude_mock.events()] == ["user-0001"]
    """))  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout


def test_events_and_requests_read_every_page(amplitude_mock):
    for i in range(5):
        _send(amplitude_mock, [{"event_type": "e", "device_id": "d-0001", "insert_id": f"i{i}"}])
    amplitude_mock.admin.page_size = 2
    assert [r["status"] for r in amplitude_mock.requests()] == [200] * 5
    assert [e["insert_id"] for e in amplitude_mock.events()] == [f"i{i}" for i in range(5)]
