"""End to end with processes, as a team would run it: the served mock (Amplitude), the reference
relay (the connector under test) and Braze's side (``currents-sim send``: Custom HTTP batches of
100 with a bearer token) sending generated Currents events. Every exportable event is ingested
exactly once and the conformance checker, reading the mock, finds nothing wrong; a bad token is
refused by the relay and reported by the sender."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import orjson
import requests

from simulator.transform import Transformed, transform
from tests.relay.helpers import (
    Process,
    generated,
    journal_ids,
    processes,
    relay_settled,
    wait_ingested,
)

KEY = "relay-e2e-key-00001"
TOKEN = "e2e-bearer-token"
EVENTS = 2000


def currents_sim(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args], capture_output=True, text=True, timeout=300
    )


def test_generated_events_through_the_relay_are_ingested_once_and_conform(tmp_path: Path) -> None:
    events = generated(EVENTS, seed=15)
    produced = tmp_path / "produced.jsonl"
    produced.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in events))
    exportable = sorted(e["id"] for e in events if isinstance(transform(e), Transformed))
    assert 0 < len(exportable) < EVENTS  # the mix has storage-only types too

    with processes() as started:
        mock = Process("serve", "--port", "0", "--threads", "4")
        started.append(mock)
        relay = Process("relay", "--listen", "127.0.0.1:0", "--amplitude", mock.url,
                        "--api-key", KEY, "--token", TOKEN, "--flush", "0.2s",
                        "--data-dir", str(tmp_path / "outbox"))  # fmt: skip
        started.append(relay)
        sent = currents_sim("send", "--to", relay.url, "--token", TOKEN, "--from", str(produced),
                            "--max-wait", "0.5s", "--json")  # fmt: skip
        assert sent.returncode == 0, sent.stderr[-2000:]
        ledger = json.loads(sent.stdout)
        assert ledger["acknowledged"] == EVENTS and ledger["undelivered"] == 0
        wait_ingested(mock.url, KEY, len(exportable), timeout_s=120)

        ids = journal_ids(mock.url, KEY)
        assert sorted(ids) == exportable  # each exportable event once, nothing else
        stats = relay_settled(relay.url)
        assert stats["accepted"] == EVENTS and stats["queued"] == 0
        assert stats["delivered"] + stats["skipped"] == EVENTS and stats["dropped"] == 0

        graded = currents_sim("conformance", "--produced", str(produced), "--mock", mock.url,
                              "--api-key", KEY, "--json")  # fmt: skip
        report = json.loads(graded.stdout)
        failed = [r["rule"] for r in report["rules"] if r["passed"] is False]
        assert graded.returncode == 0 and failed == [], (failed, graded.stderr[-2000:])
        assert report["matched"] == report["expected"] == len(exportable)
        assert report["missing"] == report["extra"] == 0


def test_a_bad_token_is_refused_by_the_relay_and_reported_by_the_sender(tmp_path: Path) -> None:
    with processes() as started:
        relay = Process("relay", "--listen", "127.0.0.1:0", "--amplitude", "http://127.0.0.1:9",
                        "--api-key", KEY, "--token", TOKEN)  # fmt: skip
        started.append(relay)
        sent = currents_sim("send", "--to", relay.url, "--token", "not-the-token", "-n", "10")
        assert sent.returncode == 2
        assert sent.stderr.startswith("currents-sim: ") and "401" in sent.stderr
        assert sent.stderr.count("\n") == 1
        stats = requests.get(f"{relay.url}/stats", timeout=10).json()
        assert stats["accepted"] == 0 and stats["refused_requests"] >= 1
