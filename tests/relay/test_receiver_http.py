"""The relay's receiver contract over a real socket (Braze's side, BRAZE_CURRENTS.md §4.3), and
its delivery to a served Amplitude mock."""

from __future__ import annotations

import gzip
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import requests

from relay.outbox import FILE_NAME
from relay.running import Relay
from simulator.connector import ConnectorConfig
from tests.relay.helpers import batch, envelope, post, relay_settled

TOKEN = "braze-currents-token-1"


@pytest.fixture
def relay(amplitude_mock: Any) -> Iterator[Relay]:
    config = ConnectorConfig(batch_wait_s=0.05)
    with Relay(amplitude_mock.url, amplitude_mock.api_key, config=config, token=TOKEN) as served:
        served.start()
        yield served


def stats(relay: Relay) -> dict[str, Any]:
    return dict(requests.get(f"{relay.url}/stats", timeout=10).json())


def test_an_accepted_batch_is_delivered_to_amplitude(relay: Relay, amplitude_mock: Any) -> None:
    answer = post(relay.url, batch(0, 100), TOKEN)
    assert answer.status_code == 200 and answer.json()["accepted"] == 100
    amplitude_mock.wait(100)
    events = amplitude_mock.events()
    assert sorted(e["insert_id"] for e in events) == [f"ev-{n:08d}" for n in range(100)]
    assert {e["event_type"] for e in events} == {"[Appboy] [Custom Event] tap"}


def test_a_bad_token_is_refused_with_401(relay: Relay) -> None:
    answer = post(relay.url, batch(0, 5), "wrong-token")
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert post(relay.url, batch(0, 5)).status_code == 401  # no Authorization at all
    assert stats(relay)["accepted"] == 0 and stats(relay)["refused_requests"] == 2


def test_a_bad_token_is_refused_even_on_an_empty_batch(relay: Relay) -> None:
    assert post(relay.url, b"", "wrong-token").status_code == 401
    assert post(relay.url, b'{"events": []}', "wrong-token").status_code == 401


def test_an_empty_batch_is_a_2xx_no_op(relay: Relay) -> None:
    for empty in (b"", b'{"events": []}'):
        answer = post(relay.url, empty, TOKEN)
        assert answer.status_code == 200 and answer.json()["accepted"] == 0
    assert stats(relay)["accepted"] == 0


def test_a_malformed_body_gets_400_and_nothing_is_accepted(relay: Relay) -> None:
    for bad in (b"{nope", b'{"events": {}}', b'{"events": [1, 2]}', b"[]"):
        assert post(relay.url, bad, TOKEN).status_code == 400, bad
    assert stats(relay)["accepted"] == 0 and stats(relay)["rejected_requests"] == 4


def test_unknown_event_types_and_fields_pass_and_are_counted(
    relay: Relay, amplitude_mock: Any
) -> None:
    known = {**envelope(0), "a_field_from_the_future": 1}
    unknown = envelope(1, event_type="users.messages.hologram.Beam")
    storage_only = envelope(2, event_type="users.profile.Update")
    body = orjson.dumps({"events": [known, unknown, storage_only], "new_top_level": True})
    assert post(relay.url, body, TOKEN).status_code == 200
    amplitude_mock.wait(1)
    figures = relay_settled(relay.url)
    assert figures["accepted"] == 3 and figures["delivered"] == 1
    assert figures["skipped_by_reason"] == {"unknown_type": 1, "not_exported": 1}


def test_health_and_stats_answer_get(relay: Relay, amplitude_mock: Any) -> None:
    assert requests.get(f"{relay.url}/health", timeout=10).json()["status"] == "ok"
    post(relay.url, batch(0, 10), TOKEN)
    amplitude_mock.wait(10)
    figures = stats(relay)
    for key in ("accepted", "queued", "delivered", "dropped_by_reason", "skipped_by_reason"):
        assert key in figures
    assert figures["accepted"] == 10


def test_a_batch_is_in_the_outbox_before_the_2xx(tmp_path: Path) -> None:
    """Amplitude unreachable (a closed port): nothing leaves, so the row must be there."""
    unreachable = "http://127.0.0.1:9"
    with Relay(unreachable, "key-00001", data_dir=tmp_path) as relay:
        relay.start()
        assert post(relay.url, batch(0, 100)).status_code == 200
        with sqlite3.connect(tmp_path / FILE_NAME) as db:
            rows = db.execute("SELECT events, body FROM outbox").fetchall()
        db.close()
        assert rows == [(100, batch(0, 100))]


def test_a_get_on_the_receiver_path_is_405(relay: Relay) -> None:
    assert requests.get(relay.url, timeout=10).status_code == 405


def test_gzip_bodies_are_accepted(relay: Relay, amplitude_mock: Any) -> None:
    answer = requests.post(
        relay.url,
        data=gzip.compress(batch(0, 10)),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Encoding": "gzip"},
        timeout=10,
    )
    assert answer.status_code == 200 and answer.json()["accepted"] == 10
    amplitude_mock.wait(10)
