"""Run every benchmark module (or those named on the command line) in turn."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time

import bench


def _modules(selected: list[str]) -> list[str]:
    found = sorted(
        m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_")
    )
    if not selected:
        return found
    wanted = {f"bench_{s.removeprefix('bench_')}" for s in selected}
    missing = wanted - set(found)
    if missing:
        sys.exit(
            f"bench: no such benchmark: {', '.join(sorted(missing))} (have: {', '.join(found)})"
        )
    return [m for m in found if m in wanted]


def main() -> None:
    # Figures depend on the interpreter's build as much as on our code: say which one ran.
    print(f"python {sys.version.split()[0]} ({sys.base_prefix})", flush=True)
    for name in _modules(sys.argv[1:]):
        print(f"== {name.removeprefix('bench_')} ==", flush=True)
        started = time.perf_counter()
        importlib.import_module(f"bench.{name}").main()
        print(f"   ({time.perf_counter() - started:.1f} s)\n", flush=True)


main()
