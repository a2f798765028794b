"""Pass/fail thresholds on a run's summary: pure data and one pure function (no locust import).

A threshold names a metric of the summary (``load.truth.summarize`` plus Locust's own
``error_ratio``), a comparison and a value, and says why it matters. ``evaluate`` returns every
breach with the value seen; an absent metric is a breach too (a run that measured nothing must
not pass). Overrides come from the command line as ``METRIC<=VALUE`` (``--threshold``).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

_OPS: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le,
    ">=": operator.ge,
    "<": operator.lt,
    ">": operator.gt,
    "==": operator.eq,
}
_OVERRIDE = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*(<=|>=|==|<|>)\s*(-?[\d.]+(?:e-?\d+)?)\s*$")


@dataclass(frozen=True)
class Threshold:
    metric: str
    op: str
    value: float
    why: str = ""

    def holds(self, actual: float) -> bool:
        return _OPS[self.op](actual, self.value)

    def __str__(self) -> str:
        return f"{self.metric} {self.op} {self.value:g}"


@dataclass(frozen=True)
class Breach:
    threshold: Threshold
    actual: float | None

    def __str__(self) -> str:
        seen = "not measured" if self.actual is None else f"was {self.actual:g}"
        why = f" ({self.threshold.why})" if self.threshold.why else ""
        return f"{self.threshold}: {seen}{why}"


def evaluate(summary: Mapping[str, object], thresholds: Iterable[Threshold]) -> list[Breach]:
    """Every threshold the summary breaks, in the order given."""
    breaches = []
    for t in thresholds:
        actual = summary.get(t.metric)
        if not isinstance(actual, int | float) or isinstance(actual, bool):
            breaches.append(Breach(t, None))
        elif not t.holds(float(actual)):
            breaches.append(Breach(t, float(actual)))
    return breaches


def parse(text: str) -> Threshold:
    """``"delay_p95_s.normal>=30"`` -> Threshold; ValueError with the accepted form otherwise."""
    match = _OVERRIDE.match(text)
    if not match:
        raise ValueError(f"bad threshold {text!r}: expected METRIC<=VALUE (or >=, <, >, ==)")
    metric, op, value = match.groups()
    return Threshold(metric, op, float(value), "set on the command line")


def merge(base: Iterable[Threshold], overrides: Iterable[Threshold]) -> list[Threshold]:
    """Overrides replace the base thresholds on the same metric and add new ones."""
    overrides = list(overrides)
    replaced = {t.metric for t in overrides}
    return [t for t in base if t.metric not in replaced] + overrides
