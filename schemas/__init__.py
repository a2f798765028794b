"""JSON Schema (2020-12) files for Currents and Amplitude shapes, and one cached registry.

Each schema's ``$id`` is ``BASE + <path below this folder>``; a schema is named by that path
without ``.json`` (``"amplitude/httpapi_request"``, ``"currents/flat/users.messages.email.Open"``).
Currents and Amplitude event schemas are generated from the event catalogue
(``python -m simulator.currents.schemagen``); the request and response schemas are hand-written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource

ROOT = Path(__file__).parent
BASE = "https://currents-sim.invalid/schemas/"


def _files() -> Iterator[Path]:
    return (p for p in sorted(ROOT.rglob("*.json")) if p.is_file())


def name_of(path: Path) -> str:
    return path.relative_to(ROOT).with_suffix("").as_posix()


@cache
def registry() -> Registry[Any]:
    """Every schema file, addressed by its ``$id``."""
    resources = []
    for path in _files():
        doc = json.loads(path.read_text(encoding="utf-8"))
        resources.append((BASE + name_of(path) + ".json", Resource.from_contents(doc)))
    return Registry().with_resources(resources)


def names(prefix: str = "") -> list[str]:
    """Names of every schema below ``prefix`` (e.g. ``"currents/flat/"``)."""
    return [n for n in (name_of(p) for p in _files()) if n.startswith(prefix)]


@cache
def schema(name: str) -> dict[str, Any]:
    path = ROOT / f"{name}.json"
    if not path.is_file():
        raise KeyError(f"no schema named {name!r}")
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return doc


@cache
def validator(name: str) -> Draft202012Validator:
    """One validator per schema, built once."""
    return Draft202012Validator(schema(name), registry=registry())


def _where(error: ValidationError) -> str:
    return "/".join(str(p) for p in error.absolute_path) or "(root)"


def validate(name: str, document: Any) -> list[str]:
    """Every problem as ``"PATH: MESSAGE"``, the clearest first; empty when valid."""
    errors = list(validator(name).iter_errors(document))
    if not errors:
        return []
    first = best_match(errors)
    rest = [e for e in errors if e is not first]
    return [f"{_where(e)}: {e.message}" for e in [first, *rest]]


def is_valid(name: str, document: Any) -> bool:
    return bool(validator(name).is_valid(document))
