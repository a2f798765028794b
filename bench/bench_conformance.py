"""Conformance report throughput and memory (issue 8 target: >= 100,000 events/s on 1M events).

- comparison core: reference events vs received events, both already in memory (no JSON
  parsing, no transformer), 1M events: events/s;
- ``currents-sim conformance`` end to end, produced JSONL (Currents records, so the reference
  transformer runs too) vs received JSONL, 100k and 1M events: events/s and peak RSS (the 1M
  run must not need ~10x the memory of the 100k run);
- the same 1M run where every received event differs (time in seconds): the second pass that
  explains each difference.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

from bench.bench_transform import events
from simulator.conformance import ContentCheck, Tally
from simulator.transform import exported_events

BIG = 1_000_000
SMALL = 100_000


def _stream(reference: list[dict[str, Any]]) -> Any:
    """1M distinct events built on the fly from 100k (the bench must not hold 1M dicts: that
    would measure this process's memory pressure, not the comparison)."""
    copies = BIG // len(reference)
    return lambda: ({**e, "insert_id": f"{i}-{e['insert_id']}"} for i in range(copies)
                    for e in reference)  # fmt: skip


def _core(reference: list[dict[str, Any]]) -> tuple[float, float, int]:
    """Seconds for ~1M pairs compared, seconds just to build the dicts fed to it, and the count
    (a whole number of copies of the reference, which is what the generator left after skips)."""
    events = _stream(reference)
    started = time.perf_counter()
    for _ in range(2):
        for _ in events():
            pass
    feeding = time.perf_counter() - started
    started = time.perf_counter()
    with ContentCheck(pretransformed=True) as check:
        result = check.run(events, events, Tally())
    total = (BIG // len(reference)) * len(reference)
    if result.matched != total:
        raise SystemExit("bench: the reference did not match itself")
    return time.perf_counter() - started, feeding, total


def _write(path: Path, rows: list[dict[str, Any]], copies: int, *, seconds: bool = False) -> None:
    with path.open("wb") as stream:
        for copy in range(copies):
            for original in rows:
                key = "id" if "id" in original else "insert_id"
                row = {**original, key: f"{copy}-{original[key]}"}
                if seconds:
                    row["time"] //= 1000
                stream.write(orjson.dumps(row) + b"\n")


# As bench_transform's launcher (the CLI's own peak RSS, not the parent's), with the CLI's stdout
# discarded so only the launcher's figures are read.
_LAUNCHER = """
import os, subprocess, sys, time
started = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(proc.pid, 0)
print(time.perf_counter() - started, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def _run_cli(produced: Path, received: Path) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (KiB) and exit status of one `currents-sim conformance` run."""
    cmd = [sys.executable, "-m", "cli", "conformance", "--produced", str(produced),
           "--received", str(received)]  # fmt: skip
    out = subprocess.run([sys.executable, "-c", _LAUNCHER, *cmd], capture_output=True, text=True,
                         check=True).stdout.split()  # fmt: skip
    return float(out[0]), int(out[1]), out[2]


def main() -> None:
    records = events(SMALL)
    reference = exported_events(records)
    seconds, feeding, total = _core(reference)
    print(f"comparison core ({total:,} reference vs received events, parsed): "
          f"{total / seconds:,.0f} "
          f"events/s   target >= 100,000")  # fmt: skip
    print(f"   of which building the 2M input dicts: {feeding:.1f} s of {seconds:.1f} s; "
          f"without it {total / max(seconds - feeding, 1e-9):,.0f} events/s")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        produced_s, received_s = Path(tmp, "p100k.jsonl"), Path(tmp, "r100k.jsonl")
        produced_b, received_b = Path(tmp, "p1m.jsonl"), Path(tmp, "r1m.jsonl")
        wrong_b = Path(tmp, "w1m.jsonl")
        _write(produced_s, records, 1)
        _write(received_s, reference, 1)
        _write(produced_b, records, 10)
        _write(received_b, reference, 10)
        _write(wrong_b, reference, 10, seconds=True)
        small_s, small_rss, small_status = _run_cli(produced_s, received_s)
        big_s, big_rss, big_status = _run_cli(produced_b, received_b)
        wrong_s, wrong_rss, wrong_status = _run_cli(produced_b, wrong_b)
    if (small_status, big_status, wrong_status) != ("0", "0", "1"):
        print(f"   unexpected exit statuses: {small_status}, {big_status}, {wrong_status}")
    print(f"CLI conformance JSONL end to end (transformer included): {SMALL / small_s:,.0f} "
          f"events/s (100k), {BIG / big_s:,.0f} events/s (1M)   target >= 100,000")  # fmt: skip
    print(f"   peak RSS: {small_rss / 1024:.0f} MiB for 100k, {big_rss / 1024:.0f} MiB for 1M   "
          f"target: flat")  # fmt: skip
    print(f"   1M events all differing (two passes, every difference explained): "
          f"{BIG / wrong_s:,.0f} events/s, peak RSS {wrong_rss / 1024:.0f} MiB")  # fmt: skip


if __name__ == "__main__":
    main()
