"""One OpenAPI 3.1 document for the whole served surface (``/_mock/openapi.json``): every route
the app serves is in it, it names nothing that is not served, and its ingestion schemas are
those of ``schemas/``."""

from __future__ import annotations

import re
from typing import Any

import requests

from mocks.app import create_app
from tests.hostile.openapi_embed import embedded_components

IGNORED_METHODS = {"HEAD", "OPTIONS"}  # answered by Flask for every route
# Flask's built-in static route: the mocks ship no static files, so nothing is served there.
UNSERVED_ENDPOINTS = {"static"}
ANY_PREFIX = "/<path:prefix>/"  # ingestion under any prefix: the same operation as without


def _served_operations() -> set[tuple[str, str]]:
    operations = set()
    for rule in create_app().url_map.iter_rules():
        if rule.endpoint in UNSERVED_ENDPOINTS:
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        if rule.rule.startswith(ANY_PREFIX):
            path = "/" + rule.rule.removeprefix(ANY_PREFIX)
        for method in set(rule.methods or ()) - IGNORED_METHODS:
            operations.add((method.lower(), path))
    return operations


def _documented_operations(doc: dict[str, Any]) -> set[tuple[str, str]]:
    methods = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}
    return {(m, path) for path, item in doc["paths"].items() for m in item if m in methods}


def test_every_served_route_is_documented_and_nothing_else(served):
    doc = requests.get(f"{served}/_mock/openapi.json", timeout=10).json()
    served_ops, documented = _served_operations(), _documented_operations(doc)
    assert doc["openapi"].startswith("3.1")
    assert sorted(served_ops - documented) == [], "served but not in /_mock/openapi.json"
    assert sorted(documented - served_ops) == [], "in /_mock/openapi.json but not served"


def test_the_ingestion_schemas_are_those_of_the_schemas_folder(served):
    doc = requests.get(f"{served}/_mock/openapi.json", timeout=10).json()
    components = doc["components"]["schemas"]
    expected = embedded_components()
    assert {name: components.get(name) for name in expected} == expected
