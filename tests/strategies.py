"""Hypothesis strategies for Currents events, built from the catalogue (no field list repeated)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from simulator.currents.catalogue import CATALOGUE, CUSTOM_EVENT, PURCHASE, EventSpec, Field
from simulator.currents.shapes import flat_to_http

_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=12)
_json_value = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | _text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=6,
)


def _value(f: Field) -> st.SearchStrategy[Any]:
    base: st.SearchStrategy[Any]
    if f.type == "int":
        base = st.integers(0, 2**31 - 1)
    elif f.type == "long":
        base = st.integers(0, 2**40)
    elif f.type == "float":
        base = st.floats(-1e6, 1e6, allow_nan=False)
    elif f.type == "boolean":
        base = st.booleans()
    elif f.type == "string[]":
        item = st.none() | _text if f.items_nullable else _text
        base = st.lists(item, max_size=3)
    else:
        base = _text
    return st.none() | base if f.nullable else base


def _properties_json() -> st.SearchStrategy[str]:
    return st.dictionaries(_text, _json_value, max_size=4).map(json.dumps)


def flat_event(spec: EventSpec) -> st.SearchStrategy[dict[str, Any]]:
    """Schema-valid flat records of one type (nullable fields sometimes null)."""
    fields: dict[str, st.SearchStrategy[Any]] = {"event_type": st.just(spec.name)}
    for f in spec.fields:
        fields[f.name] = _value(f)
        if f.name == "time":
            fields[f.name] = st.integers(0, 2**31 - 1)
    if spec.name in (CUSTOM_EVENT, PURCHASE):
        fields["properties"] = _properties_json()
    return st.fixed_dictionaries(fields)


def any_event(shape: str = "flat") -> st.SearchStrategy[dict[str, Any]]:
    events = st.sampled_from(sorted(CATALOGUE)).flatmap(lambda name: flat_event(CATALOGUE[name]))
    return events.map(flat_to_http) if shape == "http" else events
