"""Findings, their tally per rule, and the report every output format renders.

A ``Finding`` is one verdict with its reason: the rule, the event id (or ``None`` for a
request-level finding) and a one-line explanation. ``Tally`` counts findings per rule and
keeps the first few as examples, so memory stays flat however many events fail.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from simulator.conformance.rules import RULES, Rule

DEFAULT_EXAMPLES = 5


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    event_id: str | None
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        return {"event_id": self.event_id, "explanation": self.explanation}


@dataclass
class Tally:
    examples_per_rule: int = DEFAULT_EXAMPLES
    counts: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[Finding]] = field(default_factory=dict)

    def add(self, finding: Finding) -> None:
        self.counts[finding.rule] += 1
        kept = self.examples.setdefault(finding.rule, [])
        if len(kept) < self.examples_per_rule:
            kept.append(finding)

    def bump(self, rule: str, n: int) -> None:
        """Count ``n`` more findings of ``rule`` whose examples are not needed."""
        if n > 0:
            self.counts[rule] += n


@dataclass(frozen=True, slots=True)
class RuleResult:
    rule: Rule
    count: int
    examples: tuple[Finding, ...]
    skipped: str | None = None  # why the rule could not be evaluated

    @property
    def passed(self) -> bool | None:
        return None if self.skipped is not None else self.count == 0

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule.id,
            "title": self.rule.title,
            "severity": self.rule.severity,
            "kind": self.rule.kind,
            "passed": self.passed,
            "count": self.count,
            "examples": [f.to_dict() for f in self.examples],
        }
        if self.skipped is not None:
            out["skipped"] = self.skipped
        return out


@dataclass(frozen=True)
class Report:
    results: tuple[RuleResult, ...]
    summary: dict[str, Any]

    @property
    def failed(self) -> tuple[RuleResult, ...]:
        return tuple(r for r in self.results if r.passed is False)

    @property
    def clean(self) -> bool:
        return not self.failed

    def count(self, rule: str) -> int:
        return next(r.count for r in self.results if r.rule.id == rule)

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.summary,
            "passed": self.clean,
            "failed_rules": [r.rule.id for r in self.failed],
            "rules": [r.to_dict() for r in self.results],
        }


def build_report(
    tally: Tally, summary: dict[str, Any], not_evaluated: dict[str, str] | None = None
) -> Report:
    """One ``RuleResult`` per rule of ``RULES``; ``not_evaluated`` maps a rule kind (or id) to
    the reason it could not run (e.g. behaviour rules without a request log)."""
    not_evaluated = not_evaluated or {}
    results = []
    for rule in RULES:
        why = not_evaluated.get(rule.id) or not_evaluated.get(rule.kind)
        count = tally.counts[rule.id]
        results.append(
            RuleResult(rule, count, tuple(tally.examples.get(rule.id, ())), None if count else why)
        )
    return Report(tuple(results), summary)
