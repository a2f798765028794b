"""Conformance report throughput and memory (issue 8: >= 100,000 events/s on 1M events, in
bounded memory).

- comparison core: reference events vs received events, built on the fly (no JSON parsing, no
  transformer), each run in its own process for its peak RSS: 1M events with the fingerprints
  kept in memory (a budget large enough), 1M and 3M with the default 64 MiB budget (spilled to
  sorted runs on disk): events/s, and peak RSS that must not grow with the input (beside that
  of the same process comparing nothing);
- ``currents-sim conformance`` end to end, produced JSONL (Currents records, so the reference
  transformer runs too) vs received JSONL, 100k and 1M events: events/s and peak RSS;
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
from simulator.conformance import DEFAULT_MEMORY, ContentCheck, Tally
from simulator.transform import exported_events

BIG = 1_000_000
SMALL = 100_000
TEMPLATES = 10_000  # the core's events are copies of these (few, so the child's RSS is the check's)
DEFAULT_MIB = DEFAULT_MEMORY // 2**20


def _stream(reference: list[dict[str, Any]], copies: int) -> Any:
    """Distinct events built on the fly from a few templates (the bench must not hold millions
    of dicts: that would measure this process's memory, not the comparison's)."""
    return lambda: ({**e, "insert_id": f"{i}-{e['insert_id']}"} for i in range(copies)
                    for e in reference)  # fmt: skip


def _feeding(reference: list[dict[str, Any]]) -> float:
    """Seconds just to build the dicts of one 1M comparison (both sides)."""
    events = _stream(reference, BIG // len(reference))
    started = time.perf_counter()
    for _ in range(2):
        for _ in events():
            pass
    return time.perf_counter() - started


def core_child(copies: int, memory_mib: int) -> None:
    """In a child process: compare ``copies`` x the reference with itself; print the seconds,
    the number of events and whether the fingerprints spilled."""
    reference = exported_events(events(TEMPLATES))
    stream = _stream(reference, copies)
    started = time.perf_counter()
    with ContentCheck(pretransformed=True, memory=memory_mib * 2**20) as check:
        result = check.run(stream, stream, Tally())
    seconds = time.perf_counter() - started
    if result.matched != copies * len(reference) or result.mismatched:
        raise SystemExit("bench: the reference did not match itself")
    print(seconds, result.matched, int(check.spilled))


def _core(copies: int, memory_mib: int) -> tuple[float, int, bool, int]:
    """Seconds, events, spilled and peak RSS (KiB) of one core comparison in its own process."""
    code = f"from bench.bench_conformance import core_child; core_child({copies}, {memory_mib})"
    out = subprocess.run([sys.executable, "-c", _CHILD, sys.executable, "-c", code],
                         capture_output=True, text=True, check=True).stdout.split()  # fmt: skip
    return float(out[0]), int(out[1]), out[2] == "1", int(out[4])


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
# The same for the core's child, whose stdout is passed on before the launcher's figures.
_CHILD = """
import os, subprocess, sys
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, text=True)
out = proc.stdout.read()
_, status, usage = os.wait4(proc.pid, 0)
if os.waitstatus_to_exitcode(status):
    sys.exit(out)
print(out.strip(), os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def _run_cli(produced: Path, received: Path) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (KiB) and exit status of one `currents-sim conformance` run."""
    cmd = [sys.executable, "-m", "cli", "conformance", "--produced", str(produced),
           "--received", str(received)]  # fmt: skip
    out = subprocess.run([sys.executable, "-c", _LAUNCHER, *cmd], capture_output=True, text=True,
                         check=True).stdout.split()  # fmt: skip
    return float(out[0]), int(out[1]), out[2]


def main() -> None:
    templates = exported_events(events(TEMPLATES))
    copies = BIG // len(templates)
    feeding = _feeding(templates)
    rows = [("1M, in memory", copies, 1024), ("1M, default budget", copies, DEFAULT_MIB),
            ("3M, default budget", 3 * copies, DEFAULT_MIB)]  # fmt: skip
    base_rss = _core(0, DEFAULT_MIB)[3]
    spilled_1m = 0.0
    for label, n, mib in rows:
        seconds, total, spilled, rss = _core(n, mib)
        how = "spilled to disk" if spilled else "fingerprints in memory"
        spilled_1m = seconds if n == copies and spilled else spilled_1m
        print(f"comparison core {label} ({total:,} reference vs received events, parsed, "
              f"{how}): {total / seconds:,.0f} events/s   target >= 100,000; "
              f"peak RSS {rss / 1024:.0f} MiB")  # fmt: skip
    print(
        f"   peak RSS of the same process comparing nothing: {base_rss / 1024:.0f} MiB "
        f"(the rest is the comparison's: bounded by the budget, flat in the input size)"
    )
    print(f"   of which building the 2M input dicts of a 1M run: {feeding:.1f} s; without it "
          f"{copies * len(templates) / max(spilled_1m - feeding, 1e-9):,.0f} events/s "
          f"(1M, default budget)")  # fmt: skip
    records = events(SMALL)
    reference = exported_events(records)
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
    print(f"CLI conformance JSONL end to end (transformer included, default --memory "
          f"{DEFAULT_MIB}): {SMALL / small_s:,.0f} events/s (100k), {BIG / big_s:,.0f} events/s "
          f"(1M)   (no target: the 100,000 is the comparison core's)")  # fmt: skip
    print(f"   peak RSS: {small_rss / 1024:.0f} MiB for 100k, {big_rss / 1024:.0f} MiB for 1M   "
          f"target: flat")  # fmt: skip
    print(f"   1M events all differing (two passes, every difference explained): "
          f"{BIG / wrong_s:,.0f} events/s, peak RSS {wrong_rss / 1024:.0f} MiB")  # fmt: skip


if __name__ == "__main__":
    main()
