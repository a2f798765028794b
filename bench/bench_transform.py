"""Transformer and CLI throughput (issue 2 targets).

- transformer, dict -> dict, one core: >= 150,000 events/s; printed beside the cost of
  ``orjson.loads`` + ``orjson.dumps`` of the same events (a ratio from the same run, so the
  machine's noise cancels out). Both are timed as a stream consumes them (each result dropped
  once made, as ``currents-sim transform`` and the connector do). Keeping all 100k results in a
  list is printed too: that figure is mostly Python's cyclic GC walking the growing pile of
  live dicts (a full collection every few thousand events), not the transformer;
- ``currents-sim transform`` JSONL -> JSONL end to end: >= 50,000 events/s;
- peak RSS streaming 100k vs 1M lines: flat (the 1M run must not need ~10x the memory).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

from simulator.generator import generate
from simulator.transform import transform

N = 100_000
START = 1_767_225_600.0  # 2026-01-01T00:00:00Z


def events(n: int) -> list[dict[str, Any]]:
    """n generated flat events (default mix), held in memory so only the transformer is timed."""
    return list(generate(n, seed=0, start=START))


def _best_of(runs: int, fn: Any) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def _write_jsonl(path: Path, records: list[dict[str, Any]], copies: int) -> None:
    lines = b"".join(orjson.dumps(r) + b"\n" for r in records)
    with path.open("wb") as stream:
        for _ in range(copies):
            stream.write(lines)


# Linux carries a parent's peak RSS into a forked child's ru_maxrss, so the CLI is started from a
# tiny launcher process: what it reports is then the CLI's own peak.
_LAUNCHER = """
import os, subprocess, sys, time
started = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(proc.pid, 0)
print(time.perf_counter() - started, usage.ru_maxrss, status)
"""


def _run_cli(src: Path, dst: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one `currents-sim transform` run."""
    cmd = [sys.executable, "-m", "cli", "transform", str(src), "-o", str(dst)]
    out = subprocess.run([sys.executable, "-c", _LAUNCHER, *cmd], capture_output=True, text=True,
                         check=True).stdout.split()  # fmt: skip
    if out[2] != "0":
        raise SystemExit(f"bench: transform exited with status {out[2]}")
    return float(out[0]), int(out[1])


_CALLGRIND_RUN = """
import pickle, sys
from simulator.transform import transform
events = pickle.load(open(sys.argv[1], "rb"))
for _ in range(int(sys.argv[2])):
    for e in events:
        transform(e)
"""


def instructions_per_event(batch: list[dict[str, Any]]) -> float | None:
    """Instructions per transform counted by callgrind: repeatable whatever the machine's load
    (two runs differ only by one pass of transforms, so start-up and the first pass, which
    compiles each type's builder, cancel out). None without valgrind."""
    import pickle
    import shutil

    if not shutil.which("valgrind"):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp, "events.pkl")
        data.write_bytes(pickle.dumps(batch[:2000]))
        counts = []
        for rounds in ("1", "2"):
            cmd = [
                "valgrind",
                "--tool=callgrind",
                "--callgrind-out-file=/dev/null",
                sys.executable,
                "-c",
                _CALLGRIND_RUN,
                str(data),
                rounds,
            ]
            err = subprocess.run(
                cmd, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"}
            ).stderr
            counts += [int(line.split()[-1]) for line in err.splitlines() if "Collected" in line]
    return (counts[1] - counts[0]) / 2000 if len(counts) == 2 else None


def _transform_each(batch: list[dict[str, Any]]) -> None:
    for event in batch:
        transform(event)


def _round_trip_each(encoded: list[bytes]) -> None:
    """``orjson.loads`` + ``orjson.dumps`` of each event, from its bytes (encoded beforehand,
    so that a third orjson call per event does not pad the figure we compare against)."""
    for raw in encoded:
        orjson.dumps(orjson.loads(raw))


def main() -> None:
    batch = events(N)
    print(f"   ({N:,} generated flat events, default mix)")
    seconds = _best_of(3, lambda: _transform_each(batch))
    encoded = [orjson.dumps(e) for e in batch]
    json_seconds = _best_of(3, lambda: _round_trip_each(encoded))
    kept_seconds = _best_of(3, lambda: [transform(e) for e in batch])
    rate = N / seconds
    print(f"transformer (dict->dict, 1 core): {rate:,.0f} events/s   target >= 150,000")
    per_event = instructions_per_event(batch)
    if per_event is not None:
        print(
            f"   {per_event:,.0f} instructions per event (callgrind; repeatable on a busy machine)"
        )
    print(f"   ratio to orjson loads+dumps of the same events: {seconds / json_seconds:.2f}x "
          f"(orjson round trip {N / json_seconds:,.0f} events/s)")  # fmt: skip
    print(f"   keeping all {N:,} results in one list instead: {N / kept_seconds:,.0f} events/s "
          "(mostly the cyclic GC walking the live results)")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        small, big, out = Path(tmp, "100k.jsonl"), Path(tmp, "1m.jsonl"), Path(tmp, "out.jsonl")
        _write_jsonl(small, batch, 1)
        _write_jsonl(big, batch, 10)
        small_s, small_rss = _run_cli(small, out)
        big_s, big_rss = _run_cli(big, out)
    print(f"CLI transform JSONL->JSONL end to end: {N / small_s:,.0f} events/s (100k), "
          f"{10 * N / big_s:,.0f} events/s (1M)   target >= 50,000")  # fmt: skip
    print(f"   peak RSS: {small_rss / 1024:.0f} MiB for 100k lines, {big_rss / 1024:.0f} MiB "
          f"for 1M lines   target: flat")  # fmt: skip


if __name__ == "__main__":
    main()
