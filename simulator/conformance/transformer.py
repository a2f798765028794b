"""Grade a team's own transformer function, in process, against the reference transformer.

``check_transformer(fn, types=..., n=..., seed=...)`` is for a team whose connector has a
function "Currents event in, Amplitude event out": it makes ``n`` events of each type (every
exported catalogue type by default) with the seeded generator, hands each to ``fn`` (a copy, so
``fn`` may mutate it), and grades what ``fn`` returned with the same content rules as
``currents-sim conformance`` (``simulator.conformance.compare``). The result is that report:
``report.clean``, ``report.failed``, ``report.to_dict()``; ``render.junit`` / ``render.terminal``
print it.

What ``fn`` may return for one event: an Amplitude event (a dict), a list of them, or None (it
chose to send nothing: graded as "missing" when the reference exports the event). An exception
it raises is counted under the summary's ``raised`` (with the first few messages) and the event
is graded as not sent, so one bad type never hides the others.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any, Literal

from simulator.conformance import compare
from simulator.conformance.report import Report
from simulator.currents.catalogue import CATALOGUE, EXPORTED, Profile
from simulator.generator import make_provider

TransformerFn = Callable[[dict[str, Any]], Any]
InputShape = Literal["flat", "http"]

DEFAULT_START = 1_700_000_000.0  # 2023-11-14T22:13:20Z: the events' first instant
RAISED_EXAMPLES = 5


def check_transformer(
    fn: TransformerFn,
    *,
    types: Iterable[str] | None = None,
    n: int = 10,
    seed: int = 0,
    profile: Profile = "page",
    shape: InputShape = "flat",
    start: float = DEFAULT_START,
) -> Report:
    """The conformance report of ``fn`` on ``n`` generated events of each of ``types``."""
    chosen = _types(types)
    if n < 1:
        raise ValueError("n must be >= 1")
    produced = list(_events(chosen, n, seed, shape, start))
    received: list[Any] = []
    raised: list[str] = []
    raised_count = 0
    for record in produced:
        try:
            out = fn(copy.deepcopy(record))
        except Exception as exc:  # the team's code: report it, never crash
            raised_count += 1
            if len(raised) < RAISED_EXAMPLES:
                raised.append(f"{record.get('event_type')} {record.get('id')}: {exc!r}")
            continue
        received.extend(_outputs(out))
    report = compare(produced, received, profile=profile)
    summary = {**report.summary, "types": len(chosen)}
    summary["raised"] = {"count": raised_count, "examples": raised}
    return replace(report, summary=summary)


def _types(types: Iterable[str] | None) -> tuple[str, ...]:
    chosen = EXPORTED if types is None else tuple(types)
    unknown = [t for t in chosen if t not in CATALOGUE]
    if unknown:
        raise ValueError(f"not Currents event types: {', '.join(unknown)}")
    if not chosen:
        raise ValueError("types is empty")
    return chosen


def _events(
    types: tuple[str, ...], n: int, seed: int, shape: InputShape, start: float
) -> Iterator[dict[str, Any]]:
    provider = make_provider(seed)
    at = start
    for event_type in types:
        for _ in range(n):
            yield provider.currents_event(event_type, at=at, shape=shape)
            at += 1.0


def _outputs(out: Any) -> list[Any]:
    if out is None:
        return []
    if isinstance(out, list | tuple):
        return list(out)
    return [out]
