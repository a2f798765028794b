"""The QA conformance report (issue 8): what a connector sent Amplitude, graded against the
reference transformer (content) and against the delivery rules (behaviour).

Pure core: no HTTP, no printing. Inputs arrive as parsed JSON values; ``content.ContentCheck``
keeps 24 bytes per event per side up to a memory budget and spills them beyond it as sorted runs
(``spill``), and keeps the events it must explain in a temporary SQLite file, so its memory is
bounded whatever the input size.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from simulator.conformance.content import DEFAULT_MEMORY, ContentCheck, ContentResult
from simulator.conformance.report import DEFAULT_EXAMPLES, Finding, Report, Tally, build_report
from simulator.conformance.rules import RULES, RULES_BY_ID, Rule
from simulator.currents.catalogue import Profile

NEEDS_REQUEST_LOG = "needs the mock's request log (--mock URL --api-key K)"

__all__ = [
    "DEFAULT_MEMORY",
    "NEEDS_REQUEST_LOG",
    "RULES",
    "RULES_BY_ID",
    "ContentCheck",
    "Finding",
    "Report",
    "Rule",
    "Tally",
    "compare",
    "summary",
]


def summary(content: ContentResult) -> dict[str, Any]:
    return {
        "produced": content.produced,
        "expected": content.expected,
        "skipped": dict(sorted(content.skipped.items())),
        "received": content.received,
        "matched": content.matched,
        "missing": content.missing,
        "extra": content.extra,
        "duplicated": content.duplicated,
        "mismatched": content.mismatched,
    }


def compare(
    produced: Iterable[Any],
    received: Iterable[Any],
    *,
    profile: Profile = "page",
    examples: int = DEFAULT_EXAMPLES,
    memory: int = DEFAULT_MEMORY,
) -> Report:
    """Content-only report of in-memory inputs (behaviour rules marked not evaluated);
    ``memory`` is the comparison's budget in bytes (see ``ContentCheck``)."""
    tally = Tally(examples)
    produced, received = list(produced), list(received)
    with ContentCheck(profile, memory=memory) as check:
        result = check.run(lambda: produced, lambda: received, tally)
    return build_report(tally, summary(result), {"behaviour": NEEDS_REQUEST_LOG})
