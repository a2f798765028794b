"""Soak: mixed hostile traffic at a served mock for a bounded time, then what must still hold.

``python -m load.soak --duration 30m`` (``make soak``; ``make test`` runs 60 s of it). It starts
``currents-sim serve`` on 127.0.0.1 (a free port) and drives, from ``WORKERS`` threads, the mix
of ``ACTIONS``: valid uploads, invalid ones, oversize declarations, throttled and over-quota
devices, injected faults (5xx and dropped connections, on their own key), resets of a key of
their own, admin queries, connections dropped mid-request and trickling clients. Then it checks:

- no 5xx but the injected ones;
- nothing accepted is lost: per key, the journal's ingested count equals the sum of the 200s'
  ``events_ingested``;
- the server's RSS stays under ``rss_budget_mb(max_events, pairs)`` (the journal is bounded by
  ``--max-events``);
- its thread and file-descriptor counts are back to their baseline once the traffic stops.
Only 127.0.0.1, bounded in time; it stops by itself. Exit 1 when a check fails.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

from cli.durations import positive_duration
from clients.admin import MockAdmin
from clients.transport import MockAdminError

WORKERS = 4
BATCH = 20
MAX_EVENTS = 20_000
FAULT_KEY = "soak-faults"
RESET_KEY = "soak-resets"
VALID_KEY = "soak-valid"
KB_PER_EVENT = 4  # journal entry + windows, generously (bench_mock: ~0.7 KB)
# Every ingested (device_id, insert_id) pair is remembered for Amplitude's 7-day dedupe horizon,
# whatever --max-events says: about 100 bytes each (simulator/amplitude/dedupe.py).
BYTES_PER_DEDUPE_PAIR = 100
# The devices valid traffic spreads over. The mock keeps each device's quota window for a day (by
# design, like the dedupe pairs): over a million random devices that state alone grew ~150 B per
# event for the whole soak; over this many it stays a few MB, so a leak cannot hide behind it.
DEVICES = 10_000
RSS_SLACK_MB = 160  # interpreter, Flask, numpy and friends
SETTLE_S = 8.0  # after the traffic: slow connections time out (--request-timeout 2s) and close
ADMIN_PAGE = 20  # items an admin query of the mix asks for
ADMIN_TIMEOUT_S = 60.0


def rss_budget_mb(max_events: int, dedupe_pairs: int = 0) -> float:
    """The most the served mock may hold: the interpreter, a full journal, and the dedupe
    pairs of what it ingested (30 minutes of soak ingest ~650,000: ~65 MB)."""
    journal_mb = max_events * KB_PER_EVENT / 1024
    return RSS_SLACK_MB + journal_mb + dedupe_pairs * BYTES_PER_DEDUPE_PAIR / 2**20


@dataclass
class Tally:
    """What the clients saw: statuses per action, events ingested per key, unexpected 5xx."""

    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    ingested: Counter[str] = field(default_factory=Counter)
    unexpected_5xx: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, action: str, key: str, response: requests.Response) -> None:
        with self.lock:
            self.statuses[(action, response.status_code)] += 1
            if response.status_code == 200 and response.headers.get("Content-Type", "").startswith(
                "application/json"
            ):
                body = response.json()
                self.ingested[key] += int(body.get("events_ingested", 0))
            if response.status_code >= 500 and key != FAULT_KEY:
                self.unexpected_5xx.append(f"{action}: {response.status_code} {response.text[:80]}")

    def record_admin(self, action: str, status: int, error: str = "") -> None:
        """An admin call: 200 when it answered as documented, else its status (0: no answer)."""
        with self.lock:
            self.statuses[(action, status)] += 1
            if status >= 500:
                self.unexpected_5xx.append(f"{action}: {status} {error[:80]}")


class Traffic:
    """One worker's client side: a session, a seeded random, the shared tally."""

    def __init__(self, url: str, tally: Tally, seed: int) -> None:
        self.url, self.tally, self.rng = url, tally, random.Random(seed)
        self.http = requests.Session()
        self.mock = MockAdmin(
            url, session=self.http, timeout_s=ADMIN_TIMEOUT_S, page_size=ADMIN_PAGE
        )

    def admin_call(self, action: str, call: Callable[[], object]) -> None:
        try:
            call()
        except MockAdminError as exc:
            self.tally.record_admin(action, exc.status, str(exc))
        else:
            self.tally.record_admin(action, 200)

    def events(self, n: int, device: str | None = None) -> list[dict[str, Any]]:
        return [
            {"event_type": "Soak", "insert_id": uuid.uuid4().hex,
             "device_id": device or f"device-{self.rng.randrange(DEVICES):07d}"}
            for _ in range(n)
        ]  # fmt: skip

    def upload(self, action: str, key: str, events: list[dict[str, Any]]) -> None:
        body: dict[str, Any] = {"api_key": key, "events": events}
        self.tally.record(
            action, key, self.http.post(f"{self.url}/2/httpapi", json=body, timeout=60)
        )

    def valid(self) -> None:
        self.upload("valid", VALID_KEY, self.events(BATCH))

    def invalid(self) -> None:
        bad = self.http.post(f"{self.url}/batch", data=b'{"api_key": "x", "events": [', timeout=60)
        self.tally.record("invalid", "invalid", bad)
        self.upload("invalid", VALID_KEY, [{"event_type": "", "device_id": "d"}])

    def oversize(self) -> None:
        with _connect(self.url) as sock:
            sock.sendall(b"POST /batch HTTP/1.1\r\nHost: x\r\nContent-Length: 52428800\r\n\r\n{")
            head = sock.recv(64)
        with self.tally.lock:
            self.tally.statuses[("oversize", int(head.split(b" ")[1]) if head else 0)] += 1

    def throttled(self) -> None:
        self.upload("throttled", VALID_KEY, self.events(40, device="device-hot-0001"))

    def quota(self) -> None:
        self.upload("quota", VALID_KEY, self.events(BATCH, device="device-quota-01"))

    def fault(self) -> None:
        rule: dict[str, Any] = {"status": 503, "count": 1, "api_key": FAULT_KEY}
        if self.rng.random() < 0.3:
            rule = {"drop": True, "count": 1, "api_key": FAULT_KEY}
        self.admin_call("fault rule", lambda: self.mock.add_faults([rule]))
        try:
            self.upload("fault", FAULT_KEY, self.events(5))
        except requests.RequestException:
            with self.tally.lock:
                self.tally.statuses[("fault", 0)] += 1

    def reset(self) -> None:
        self.upload("reset", RESET_KEY, self.events(5))
        self.admin_call("reset key", lambda: self.mock.reset(RESET_KEY))

    def admin(self) -> None:
        """Admin queries: the stats, a page of the journal and of the request log, the keys."""
        for query in (
            self.mock.stats,
            lambda: next(self.mock.iter_events(api_key=VALID_KEY, outcome="all"), None),
            lambda: next(self.mock.iter_requests(api_key=VALID_KEY), None),
            self.mock.keys,
        ):
            self.admin_call("admin", query)

    def dropped(self) -> None:
        with _connect(self.url) as sock:
            sock.sendall(b"POST /2/httpapi HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{")

    def slow(self) -> None:
        """A client trickling its headers for longer than the server's request timeout."""
        with _connect(self.url) as sock:
            try:
                for _ in range(12):
                    sock.sendall(b"X-Slow: 1\r\n" if _ else b"GET /_mock/health HTTP/1.1\r\n")
                    time.sleep(0.25)
            except OSError:
                pass
        with self.tally.lock:
            self.tally.statuses[("slow", 0)] += 1


# (action, weight): the mix each worker draws from.
ACTIONS = (("valid", 30), ("invalid", 8), ("oversize", 3), ("throttled", 6), ("quota", 6),
           ("fault", 6), ("reset", 4), ("admin", 6), ("dropped", 4), ("slow", 1))  # fmt: skip


def _connect(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=30)


def _worker(url: str, tally: Tally, seed: int, deadline: float) -> None:
    traffic = Traffic(url, tally, seed)
    names, weights = zip(*ACTIONS, strict=True)
    with traffic.http:
        while time.monotonic() < deadline:
            getattr(traffic, traffic.rng.choices(names, weights)[0])()


@dataclass(frozen=True)
class Gauges:
    threads: int
    fds: int
    rss_mb: float


def gauges(pid: int) -> Gauges:
    """The served process's thread count, open descriptors and resident memory."""
    fields = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            name, _, value = line.partition(":")
            fields[name] = value.split()
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    return Gauges(int(fields["Threads"][0]), fds, int(fields["VmRSS"][0]) / 1024)


def _serve(max_events: int) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", "--port", "0", "--threads", "8",
         "--max-events", str(max_events), "--daily-quota", "400", "--request-timeout", "2s"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


def soak(duration_s: float, max_events: int = MAX_EVENTS, seed: int = 0) -> list[str]:
    """Run the soak; the failed checks (empty when everything held). Prints the figures."""
    proc, url = _serve(max_events)
    try:
        tally = Tally()
        warm = Traffic(url, tally, seed)
        with warm.http:
            warm.admin()  # every route imported, every thread started
        time.sleep(1)  # the server closes the warm-up connection
        before = gauges(proc.pid)
        deadline = time.monotonic() + duration_s
        workers = [threading.Thread(target=_worker, args=(url, tally, seed + i, deadline))
                   for i in range(WORKERS)]  # fmt: skip
        for worker in workers:
            worker.start()
        peak = before
        while any(w.is_alive() for w in workers):
            time.sleep(1)
            now = gauges(proc.pid)
            peak = now if now.rss_mb > peak.rss_mb else peak
        time.sleep(SETTLE_S)
        after = gauges(proc.pid)
        with MockAdmin(url, timeout_s=ADMIN_TIMEOUT_S) as mock:
            stats = mock.stats()
    finally:
        proc.terminate()
        proc.communicate(timeout=30)
    return _checks(tally, stats, before, after, peak, max_events, duration_s)


def _checks(
    tally: Tally, stats: dict[str, Any], before: Gauges, after: Gauges, peak: Gauges,
    max_events: int, duration_s: float,
) -> list[str]:  # fmt: skip
    journal = {key: counts.get("ingested", 0) for key, counts in stats["keys"].items()}
    budget_mb = rss_budget_mb(max_events, sum(journal.values()))
    print(f"soak: {duration_s:.0f} s, {sum(tally.statuses.values())} requests")
    for (action, status), n in sorted(tally.statuses.items()):
        print(f"   {action:<10} {status:>3}: {n}")
    print(f"   ingested (200s): {dict(tally.ingested)}; journal: {journal}")
    print(f"   threads {before.threads} -> {after.threads}, fds {before.fds} -> {after.fds}, "
          f"RSS {before.rss_mb:.0f} MB -> peak {peak.rss_mb:.0f} MB "
          f"(budget {budget_mb:.0f} MB)")  # fmt: skip
    failed = [f"unexpected 5xx: {line}" for line in tally.unexpected_5xx[:10]]
    for key in (VALID_KEY,):
        if journal.get(key, 0) != tally.ingested[key]:
            failed.append(f"{key}: journal {journal.get(key, 0)} != 200s {tally.ingested[key]}")
    if peak.rss_mb > budget_mb:
        failed.append(f"RSS {peak.rss_mb:.0f} MB over {budget_mb:.0f} MB")
    if (after.threads, after.fds) != (before.threads, before.fds):
        failed.append(f"threads/fds {before.threads}/{before.fds} -> {after.threads}/{after.fds}")
    return failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m load.soak", description=__doc__)
    parser.add_argument("--duration", type=positive_duration, default=1800.0)
    parser.add_argument("--max-events", type=int, default=MAX_EVENTS)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    failed = soak(args.duration, args.max_events, args.seed)
    for line in failed:
        print(f"soak: FAILED {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
