"""The ingestion schemas of ``schemas/amplitude`` as OpenAPI components: what
``mocks/openapi.json`` must hold (``test_openapi.py`` compares the two).

A file becomes a component named after it (``httpapi_request`` -> ``HttpapiRequest``); its
``$defs`` become components of their own and every ``$ref`` is rewritten to the component."""

from __future__ import annotations

from typing import Any

import schemas

FILES = (
    "amplitude/httpapi_request",
    "amplitude/responses/success",
    "amplitude/responses/invalid_request",
    "amplitude/responses/invalid_api_key",
    "amplitude/responses/payload_too_large",
    "amplitude/responses/throttled",
    "amplitude/responses/error",
)
DROPPED = ("$schema", "$id", "$defs")


def camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.replace("-", "_").split("_"))


def embedded_components() -> dict[str, Any]:
    """Component name -> schema, for every file in ``FILES`` and its ``$defs``."""
    found: dict[str, Any] = {}
    for name in FILES:
        doc = schemas.schema(name)
        found[camel(name.rsplit("/", 1)[1])] = _rewrite({k: v for k, v in doc.items()
                                                          if k not in DROPPED})  # fmt: skip
        for def_name, schema in doc.get("$defs", {}).items():
            found[camel(def_name)] = _rewrite(schema)
    return found


def _rewrite(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _ref(v) if k == "$ref" else _rewrite(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_rewrite(item) for item in node]
    return node


def _ref(target: str) -> str:
    """``#/$defs/event`` -> ``#/components/schemas/Event``."""
    return "#/components/schemas/" + camel(target.rsplit("/", 1)[1].removesuffix(".json"))
