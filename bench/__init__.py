"""Benchmarks: each ``bench/bench_*.py`` has ``main() -> None`` printing figures beside targets.

They assert nothing (the machine is shared and noisy); ``make bench`` runs them all.
Run one with ``python -m bench NAME`` (e.g. ``python -m bench transform``).
"""
