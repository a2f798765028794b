"""Generator speed and memory: events/s writing flat JSON Lines to a file, and RSS while streaming.

Targets (issue 4): >= 100,000 events/s on one core; memory flat while streaming 10M events.
Both run what ``currents-sim generate --format flat --out FILE`` runs (``generate_lines`` into
``write_lines``); the records path (``generate`` then ``orjson.dumps``), which in-process users
of the generator take, is printed beside it. The streaming run is scaled down to what fits in
about two minutes on this machine (the count is printed); flat memory shows as the resident set
no longer growing between checkpoints.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

START = 1_704_067_200.0  # 2024-01-01T00:00:00Z
THROUGHPUT_EVENTS = 200_000
STREAM_TARGET = 10_000_000
STREAM_BUDGET_S = 120.0

_STREAM_CHILD = """
import resource, sys
from cli.generate import write_lines
from simulator.generator import generate_lines

def rss_mb(key):
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

n, start = int(sys.argv[1]), float(sys.argv[2])
marks = {n * k // 5 for k in range(1, 6)}

def watched():
    for i, line in enumerate(generate_lines(n, seed=1, start=start, duration=86400.0), 1):
        yield line
        if i in marks:
            print(f"{i} {rss_mb('VmRSS:'):.1f}", flush=True)

write_lines(watched(), "/dev/null")
print(f"peak {rss_mb('VmHWM:'):.1f}", flush=True)
"""


def _throughput() -> float:
    import orjson

    from simulator.generator import generate, generate_lines

    def lines() -> Iterator[str]:
        return generate_lines(THROUGHPUT_EVENTS, seed=1, start=START)

    def records() -> Iterator[str]:
        events = generate(THROUGHPUT_EVENTS, seed=1, start=START)
        return map(bytes.decode, map(orjson.dumps, events))

    rate, cpu_rate, size = _timed_write(lines)
    print(
        f"   flat JSONL to a file: {rate:>10,.0f} events/s wall, {cpu_rate:,.0f} "
        f"events per CPU-second   (target >= 100,000 events/s on one core)\n"
        f"     {THROUGHPUT_EVENTS:,} events, default mix, {size / THROUGHPUT_EVENTS:.0f} B/event"
    )
    records_rate, _, _ = _timed_write(records)
    print(
        f"   the same through records (generate() + orjson.dumps): {records_rate:,.0f} events/s "
        f"({rate / records_rate:.2f}x faster as lines, in this run)"
    )
    return rate


def _timed_write(make: Callable[[], Iterator[str]]) -> tuple[float, float, int]:
    """Events/s wall and per CPU-second writing ``make()``'s lines to a file as the CLI does,
    and the file's size."""
    from cli.generate import write_lines

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "events.jsonl"
        started, cpu = time.perf_counter(), time.process_time()
        write_lines(make(), str(out))
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        size = out.stat().st_size
    return THROUGHPUT_EVENTS / elapsed, THROUGHPUT_EVENTS / cpu, size


def _memory(rate: float) -> None:
    n = min(STREAM_TARGET, max(100_000, int(rate * STREAM_BUDGET_S) // 100_000 * 100_000))
    scaled = "" if n == STREAM_TARGET else f" (scaled from 10M to fit ~{STREAM_BUDGET_S:.0f} s)"
    print(f"   streaming {n:,} events to /dev/null{scaled}:")
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _STREAM_CHILD, str(n), str(START)],
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed = time.perf_counter() - started
    marks = [line.split() for line in proc.stdout.splitlines()]
    points = [(int(i), float(mb)) for i, mb in marks if i != "peak"]
    for i, mb in points:
        print(f"     after {i:>12,} events: RSS {mb:7.1f} MB")
    peak = next(float(mb) for i, mb in marks if i == "peak")
    growth = points[-1][1] - points[0][1]
    print(
        f"   peak RSS {peak:.1f} MB; growth from the first to the last checkpoint {growth:+.1f} MB "
        f"(target: flat); {n / elapsed:,.0f} events/s in that run"
    )


def main() -> None:
    _memory(_throughput())


if __name__ == "__main__":
    main()
