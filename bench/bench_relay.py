"""The reference relay end to end: Currents in -> mock ingested, durability on; and its memory.

``currents-sim serve`` (the mock) and ``currents-sim relay --data-dir TMP`` (SQLite outbox, WAL)
run as subprocesses on 127.0.0.1. Client threads post Custom HTTP batches of 100 envelopes on
keep-alive connections, as Braze does, events spread over many devices so that the mock's 30
events/s per device throttle is never hit. Figures:

1. events/s from the first post until the mock has ingested every event (target >= 20,000),
   with the CPU per event of each process in the same run (relay, mock, and this process posting
   as Braze), so a figure under target says which side set the pace (the machine is shared);
   then the same with ``--batch-size 1000`` (Amplitude requests of 1000 events: one relay request
   is in flight at a time, so on a busy machine the round trip, not the CPU, sets the pace);
2. the relay's RSS sampled every 100,000 events accepted over 1,000,000 events, and once all are
   ingested (target: flat, i.e. the last sample within 10 % of the one at 200,000: the engine
   and the ready queue each hold at most two Amplitude batches of prepared events, at least
   1,000, ``relay.delivery.budget``; the rest waits in the outbox, and nothing per event is kept
   once delivered).

Bounded: each phase stops posting after its time budget and reports what it covered.
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable

import orjson

from clients.admin import MockAdmin

TARGET_EPS = 20_000
BATCH = 100
DEVICES = 500_000
CLIENTS = 4
WIDE = 1000  # events per Amplitude request in the second run (Amplitude takes up to 2000)
THROUGHPUT_EVENTS = 200_000
RSS_EVENTS = 1_000_000
RSS_EVERY = 100_000
BUDGET_S = 120.0  # posting stops after this; then at most 120 s more for the mock to ingest
API_KEY = "bench-relay-key-000000000000001"
T0 = 1_700_000_000


def _body(index: int) -> bytes:
    """Request ``index``: 100 custom-event envelopes, ids and devices unique to it."""
    first = index * BATCH
    return orjson.dumps(
        {
            "events": [
                {
                    "event_type": "users.behaviors.CustomEvent",
                    "id": f"bench-{n:012d}",
                    "time": T0 + n // 1000,
                    "user": {
                        "user_id": f"5f{n % DEVICES:022x}",
                        "external_user_id": f"user-{n % DEVICES:08d}",
                        "device_id": f"device-{n % DEVICES:08d}",
                    },
                    "properties": {
                        "name": "level_complete",
                        "app_id": "app-0001",
                        "platform": "ios",
                        "custom_properties": {"level": n % 50, "score": n % 977},
                    },
                }
                for n in range(first, first + BATCH)
            ]
        }
    )


def _start(*args: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", *args],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


def _proc_field(pid: int, name: str) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(name):
                return int(line.split()[1]) / 1024
    return float("nan")


def _cpu_s(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


class Poster:
    """``CLIENTS`` threads posting bodies ``[start, start + count)`` until done or ``stop``."""

    def __init__(self, port: int, start: int, count: int, stop: float) -> None:
        self.port, self.stop = port, stop
        self.next, self.end = start, start + count
        self.lock = threading.Lock()
        self.accepted = 0
        self.failed = 0

    def _take(self) -> int | None:
        with self.lock:
            if self.next >= self.end or time.perf_counter() >= self.stop:
                return None
            self.next += 1
            return self.next - 1

    def _client(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Content-Type": "application/json", "Braze-Currents-Version": "1"}
        while (index := self._take()) is not None:
            try:
                conn.request("POST", "/", body=_body(index), headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                ok = False
            with self.lock:
                self.accepted += BATCH if ok else 0
                self.failed += not ok
        conn.close()

    def run(self) -> None:
        threads = [threading.Thread(target=self._client) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def _ingested(mock_port: int) -> int:
    with MockAdmin(f"http://127.0.0.1:{mock_port}", timeout_s=30) as admin:
        stats = admin.stats()
    return int(stats["keys"].get(API_KEY, {}).get("ingested", 0))


def _wait_ingested(mock_port: int, count: int, stop: float) -> int:
    seen = _ingested(mock_port)
    while seen < count and time.perf_counter() < stop:
        time.sleep(0.05)
        seen = _ingested(mock_port)
    return seen


def _phase(
    relay_port: int, mock_port: int, start: int, events: int, on_tick: Callable[[int], None]
) -> tuple[int, int, float]:
    """Post ``events`` (from body ``start``) in slices of ``RSS_EVERY``; (accepted, ingested,
    seconds from the first post until the mock had them all)."""
    began = time.perf_counter()
    stop = began + BUDGET_S
    accepted = 0
    base = _ingested(mock_port)
    for offset in range(0, events, RSS_EVERY):
        poster = Poster(relay_port, start + offset // BATCH, RSS_EVERY // BATCH, stop)
        poster.run()
        accepted += poster.accepted
        on_tick(accepted)
        if time.perf_counter() >= stop:
            break
    ingested = _wait_ingested(mock_port, base + accepted, stop + BUDGET_S) - base
    return accepted, ingested, time.perf_counter() - began


def main() -> None:
    mock, mock_url = _start("serve", "--port", "0", "--threads", "8", "--max-events", "200000")
    try:
        mock_port = _port(mock_url)
        default = _throughput(mock_url, mock_port, mock.pid, 0, BATCH)
        print(f"   relay end to end Currents in -> mock ingested with durability on, Amplitude "
              f"requests of {BATCH} (the default): "
              f"{default} (target >= {TARGET_EPS:,} ev/s)", flush=True)  # fmt: skip
        wide = _throughput(mock_url, mock_port, mock.pid, THROUGHPUT_EVENTS // BATCH, WIDE)
        print(f"   the same with --batch-size {WIDE} (fewer round trips per event): {wide}",
              flush=True)  # fmt: skip
        _memory(mock_url, mock_port, 2 * THROUGHPUT_EVENTS // BATCH)
    finally:
        mock.terminate()
        mock.wait(timeout=30)


def _relay(mock_url: str, data_dir: str, batch_size: int) -> tuple[subprocess.Popen[str], int]:
    relay, url = _start(
        "relay", "--listen", "127.0.0.1:0", "--amplitude", mock_url, "--api-key", API_KEY,
        "--data-dir", data_dir, "--flush", "0.2s", "--batch-size", str(batch_size),
    )  # fmt: skip
    return relay, _port(url)


def _throughput(mock_url: str, mock_port: int, mock_pid: int, start: int, batch_size: int) -> str:
    """Post ``THROUGHPUT_EVENTS`` through a fresh relay; its figures as text."""
    with tempfile.TemporaryDirectory(prefix="bench-relay-") as data_dir:
        relay, relay_port = _relay(mock_url, data_dir, batch_size)
        try:
            cpu = (_cpu_s(relay.pid), _cpu_s(mock_pid), time.process_time())
            accepted, ingested, wall = _phase(
                relay_port, mock_port, start, THROUGHPUT_EVENTS, lambda n: None
            )
            relay_cpu, mock_cpu = _cpu_s(relay.pid) - cpu[0], _cpu_s(mock_pid) - cpu[1]
            poster_cpu = time.process_time() - cpu[2]
        finally:
            relay.terminate()
            relay.wait(timeout=30)
    eps = ingested / wall
    verdict = "ok" if eps >= TARGET_EPS and ingested == accepted else "UNDER TARGET"
    per_event = 1e6 / max(ingested, 1)
    return (
        f"{ingested:,} of {accepted:,} events ingested in {wall:.1f} s = {eps:,.0f} ev/s "
        f"({verdict}); CPU us/event: relay {relay_cpu * per_event:.0f}, mock "
        f"{mock_cpu * per_event:.0f}, Braze side (this process: {CLIENTS} keep-alive clients "
        f"posting 100-event batches) {poster_cpu * per_event:.0f}"
    )


def _memory(mock_url: str, mock_port: int, start: int) -> None:
    """The relay's RSS while 1,000,000 events go through it (Amplitude requests of ``WIDE``)."""
    with tempfile.TemporaryDirectory(prefix="bench-relay-") as data_dir:
        relay, relay_port = _relay(mock_url, data_dir, WIDE)
        try:
            samples: list[tuple[int, float]] = [(0, _proc_field(relay.pid, "VmRSS:"))]

            def sample(done: int) -> None:
                samples.append((done, _proc_field(relay.pid, "VmRSS:")))

            accepted, ingested, wall = _phase(relay_port, mock_port, start, RSS_EVENTS, sample)
            samples.append((accepted, _proc_field(relay.pid, "VmRSS:")))
            peak = _proc_field(relay.pid, "VmHWM:")
        finally:
            relay.terminate()
            relay.wait(timeout=30)
    at_200k = next((rss for n, rss in samples if n >= 200_000), samples[-1][1])
    growth = samples[-1][1] / at_200k - 1
    flat = abs(growth) <= 0.10
    curve = ", ".join(f"{n // 1000}k: {rss:.0f}" for n, rss in samples)
    print(
        f"   relay RSS (MiB) by events accepted: {curve} (the last at the end of the run); "
        f"{growth:+.1%} after 200k (target flat, within 10 %: {'flat' if flat else 'NOT FLAT'});"
        f" peak {peak:.0f} MiB; {accepted:,} events accepted, {ingested:,} of them ingested by "
        f"the mock within the {wall:.0f} s budget (the rest waited in the outbox, not in memory)",
        flush=True,
    )
