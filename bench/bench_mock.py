"""Amplitude mock: ingest throughput over HTTP and memory with a full journal.

1. ``currents-sim serve`` (waitress, default limits: full validation, throttling, quota, dedupe
   and journal) in a subprocess on 127.0.0.1; 8 client threads, one keep-alive connection each,
   post pre-built 100-event batches (SDK-like events spread over many devices so that nothing
   is throttled) for a bounded time. Prints events/s ingested and p50/p99 request latency.
2. The same with ``serve --data-dir`` (state kept in SQLite by a writer thread), printed beside
   the in-memory figure, wall-clock and per server CPU-second.
3. In-process: an ``AmplitudeModel`` on a manual clock ingests 1,000,000 events; prints the
   process RSS growth (journal + dedupe + windows).
Targets (issue 3): >= 50,000 events/s; RSS with 1M journaled events <= 1 GB. Issue 18: ingest
with ``--data-dir`` >= 50 % of in-memory.
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from typing import Any

import orjson

CONNECTIONS = 8
SERVER_THREADS = 8
BATCH = 100
DURATION_S = 8.0
BODIES = 4000
DEVICES = 100_000
JOURNAL_EVENTS = 1_000_000
API_KEY = "bench-key-0000000000000000000001"


def _event(i: int) -> dict[str, Any]:
    device = i % DEVICES
    return {
        "event_type": "[Appboy] Email Opened",
        "user_id": f"user-{device:08d}",
        "device_id": f"device-{device:08d}-0000-0000-0000-000000000000",
        "insert_id": str(uuid.UUID(int=i)),
        "time": 1_700_000_000_000 + i,
        "library": "Braze",
        "event_properties": {"campaign_id": "c-0001", "dispatch_id": f"d-{i % 977}"},
        "platform": "ios",
    }


def _bodies(count: int, offset: int) -> list[bytes]:
    return [
        orjson.dumps(
            {"api_key": API_KEY, "events": [_event(offset + b * BATCH + j) for j in range(BATCH)]}
        )
        for b in range(count)
    ]


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _start_server(*options: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", "--host", "127.0.0.1", "--port", "0",
         "--threads", str(SERVER_THREADS), *options],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds used so far by process ``pid`` (Linux ``/proc``)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _client(port: int, bodies: list[bytes], stop: float, out: list[tuple[float, int]]) -> None:
    """Post ``bodies`` on one keep-alive connection until ``stop``; (latency, ingested) each.

    A failed request counts as ingesting nothing (-1 marks it) and reconnects."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json"}
    for body in bodies:
        if time.perf_counter() >= stop:
            break
        started = time.perf_counter()
        try:
            conn.request("POST", "/2/httpapi", body=body, headers=headers)
            payload = orjson.loads(conn.getresponse().read())
            ingested = int(payload.get("events_ingested", 0))
        except (OSError, http.client.HTTPException, orjson.JSONDecodeError):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            ingested = -1
        out.append((time.perf_counter() - started, ingested))
    conn.close()


def throughput(*options: str) -> tuple[float, float]:
    """Ingest over HTTP into ``serve *options``; (events/s, events per server CPU-second)."""
    per_client = BODIES // CONNECTIONS
    bodies = _bodies(BODIES, 0)
    proc, url = _start_server(*options)
    try:
        port = int(url.rsplit(":", 1)[1])
        warm: list[tuple[float, int]] = []
        _client(port, _bodies(5, 10_000_000), time.perf_counter() + 5, warm)
        results: list[list[tuple[float, int]]] = [[] for _ in range(CONNECTIONS)]
        cpu_before = _cpu_s(proc.pid)
        started = time.perf_counter()
        stop = started + DURATION_S
        threads = [
            threading.Thread(
                target=_client,
                args=(port, bodies[i * per_client : (i + 1) * per_client], stop, results[i]),
            )
            for i in range(CONNECTIONS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        server_cpu = _cpu_s(proc.pid) - cpu_before
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    flat = [r for rs in results for r in rs]
    latencies = sorted(lat for lat, _ in flat)
    ingested = sum(n for _, n in flat if n > 0)
    failed = sum(1 for _, n in flat if n < 0)
    p50 = latencies[len(latencies) // 2] * 1000
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
    print(f"   served mock {' '.join(options) or '(in memory)'}, {CONNECTIONS} loopback "
          f"connections, {BATCH}-event batches, {len(flat)} requests in {elapsed:.1f} s, "
          f"{failed} failed")  # fmt: skip
    print(f"   ingest: {ingested / elapsed:>10,.0f} events/s   (target >= 50,000)")
    print(f"   latency: p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    per_cpu = ingested / max(server_cpu, 1e-9)
    load = os.getloadavg()[0]
    print(f"   server CPU: {server_cpu:.1f} s ({per_cpu:,.0f} events per CPU-second; "
          f"load average {load:.1f} on {os.cpu_count()} CPUs)")  # fmt: skip
    return ingested / elapsed, per_cpu


def data_dir_beside_memory(in_memory: tuple[float, float]) -> None:
    """The same run with ``--data-dir`` (a fresh directory), as a share of in-memory."""
    with tempfile.TemporaryDirectory(prefix="bench-data-dir-") as directory:
        stored = throughput("--data-dir", directory)
    wall, cpu = stored[0] / in_memory[0], stored[1] / in_memory[1]
    print(f"   --data-dir / in memory: {wall:.0%} of events/s, {cpu:.0%} of events per "
          f"server CPU-second   (target >= 50%)")  # fmt: skip


def memory() -> None:
    from simulator.amplitude import AmplitudeModel, Limits
    from simulator.clock import ManualClock

    clock = ManualClock(1_700_000_000.0)
    model = AmplitudeModel(clock, Limits(max_journal=JOURNAL_EVENTS))
    before = _rss_mb()
    spent = 0.0
    for b in range(JOURNAL_EVENTS // BATCH):
        events = [_event(b * BATCH + j) for j in range(BATCH)]
        started = time.process_time()
        result = model.upload("httpapi", {"api_key": API_KEY, "events": events}, size_bytes=0)
        spent += time.process_time() - started
        assert result.status == 200, result.body
        clock.advance(0.002)
    elapsed = spent
    after = _rss_mb()
    size = len(model.journal.entries)
    print(f"   in-process model: {size:,} journaled events, {elapsed:.1f} CPU-s in upload() "
          f"({size / elapsed:,.0f} events per CPU-second without HTTP)")  # fmt: skip
    print(f"   RSS: {after:,.0f} MB total, +{after - before:,.0f} MB for the journal "
          f"(target <= 1,024 MB)")  # fmt: skip


def main() -> None:
    os.environ.setdefault("PYTHONHASHSEED", "0")
    in_memory = throughput()
    data_dir_beside_memory(in_memory)
    memory()


if __name__ == "__main__":
    main()
