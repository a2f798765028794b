"""Journal filters with several values each, read from a query string: the dashboard's journal
view (``/_mock/journal``) and the event stream (``/_mock/stream``) share them."""

from __future__ import annotations

from typing import Any

from simulator.amplitude import OUTCOMES
from simulator.amplitude.journal import FILTERS, MultiFilters


def multi_filters(args: Any) -> MultiFilters:
    """``FILTERS`` from ``args`` (a werkzeug ``MultiDict``), each repeatable and
    comma-separated; any value of a filter matches. ValueError on an unknown outcome."""
    found: MultiFilters = {}
    for name in FILTERS:
        values = {v.strip() for raw in args.getlist(name) for v in raw.split(",") if v.strip()}
        if values:
            found[name] = frozenset(values)
    unknown = found.get("outcome", frozenset()) - set(OUTCOMES)
    if unknown:
        raise ValueError(f"outcome must be among {', '.join(OUTCOMES)} (got {sorted(unknown)})")
    return found
