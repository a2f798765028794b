"""The README's table of seed-0 figures, computed: ``python -m simulator.connector.figures``.

The README shows what each failure story costs with the default sizes and seed 0. Those figures
are printed here, as the markdown rows the README holds between its ``figures`` markers, and a
test (``tests/test_readme.py``) runs this module and compares: a change to the model that moves
a figure fails that test until the README is updated with this output, so the two cannot drift.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simulator.connector.scenarios import SCENARIOS, run_scenario

HEADER = ("| scenario | braze | per-device |", "|---|---|---|")
STRATEGIES = ("braze", "per-device")


def _num(value: Any) -> str:
    if value is None:
        return "-"
    number = float(value)  # whole from 100 up (10,726 s), one decimal below (82.4 s)
    return f"{round(number):,}" if number >= 100 or number.is_integer() else f"{number:,.1f}"


def _delays(figures: dict[str, Any]) -> str:
    return " / ".join(_num(figures[k]) for k in ("delay_p50_s", "delay_p95_s", "delay_max_s"))


def _misconfigured(report: dict[str, Any]) -> tuple[str, list[str]]:
    alone = _delays(report["strategies"]["braze"]["other_devices_without_hot_device"])
    label = f"misconfigured-device: other devices (without the hot device: {alone})"
    return label, [_delays(report["strategies"][s]["other_devices"]) for s in STRATEGIES]


def _credentials(report: dict[str, Any]) -> tuple[str, list[str]]:
    window = report["lost_window_h"] or {"first": 0.0, "last": 0.0}
    label = (
        f"credential-expiry, {_num(report['parameters']['outage_h'])} h outage: events lost of "
        f"{report['produced']:,} (produced between hours {window['first']:.2f} and "
        f"{window['last']:.1f})"
    )
    return label, [_num(report["strategies"][s]["lost"]) for s in STRATEGIES]


def _quota(report: dict[str, Any]) -> tuple[str, list[str]]:
    quota = report["parameters"].get("daily_quota", 0)
    label = f"quota-exhaustion (quota scaled to {_num(quota)}/day): other devices"
    return label, [_delays(report["strategies"][s]["other_devices"]) for s in STRATEGIES]


def _storm(report: dict[str, Any]) -> tuple[str, list[str]]:
    cells = [
        f"{_num(report['strategies'][s]['duplicates'])} = "
        f"{_num(report['strategies'][s]['deduplicated_by_insert_id'])}"
        for s in STRATEGIES
    ]
    return "amplitude-5xx-storm: duplicates = dropped again by insert_id", cells


ROWS: dict[str, Callable[[dict[str, Any]], tuple[str, list[str]]]] = {
    "misconfigured-device": _misconfigured,
    "credential-expiry": _credentials,
    "quota-exhaustion": _quota,
    "amplitude-5xx-storm": _storm,
}


def table(seed: int = 0) -> str:
    """The markdown table (header and one row per scenario), seed ``seed``, default sizes."""
    lines = list(HEADER)
    for name, row in ROWS.items():
        report, _ = run_scenario(SCENARIOS[name], seed=seed)
        label, cells = row(report)
        lines.append(f"| {label} | {' | '.join(cells)} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    print(table(), end="")


if __name__ == "__main__":
    main()
