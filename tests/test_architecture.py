"""The house rule no module breaks: no module uses another module's ``_private`` names.

Read by an AST scan of every top-level package of the repository (each folder with an
``__init__.py``, tests and bench included). A private name is one starting with one underscore;
dunders (``__name__``, ``__code__``) are public. Flagged: ``from x import _name``,
``module._name`` and ``obj._name`` on anything but ``self``, ``cls`` or ``super()``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGES = sorted(p for p in REPO.iterdir() if (p / "__init__.py").is_file())
# Public API that happens to start with an underscore: namedtuple's documented methods.
PUBLIC_BY_DESIGN = frozenset({"_replace", "_asdict", "_fields", "_field_defaults", "_make"})
OWN = ("self", "cls")


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.endswith("__") and name not in PUBLIC_BY_DESIGN


def is_own(value: ast.expr) -> bool:
    """``self``, ``cls`` or ``super()``: the object's own names."""
    if isinstance(value, ast.Name):
        return value.id in OWN
    return isinstance(value, ast.Call) and ast.unparse(value.func) == "super"


def violations(source: str, where: str) -> list[str]:
    """Each use of another module's private name in ``source``, as ``where:line: code``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            names = [alias.name for alias in node.names if is_private(alias.name)]
            found += [f"{where}:{node.lineno}: from {node.module} import {n}" for n in names]
        elif isinstance(node, ast.Attribute) and is_private(node.attr) and not is_own(node.value):
            found.append(f"{where}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_every_package_is_scanned() -> None:
    names = {p.name for p in PACKAGES}
    assert {"simulator", "mocks", "load", "cli", "schemas", "bench", "tests"} <= names


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_no_module_uses_another_modules_private_names(package: Path) -> None:
    found = [
        problem
        for path in sorted(package.rglob("*.py"))
        for problem in violations(path.read_text(encoding="utf-8"), str(path.relative_to(REPO)))
    ]
    assert found == []


@pytest.mark.parametrize(
    "source",
    [
        "from simulator.transform import _plan",
        "import provider\nprovider._builder('x')",
        "def f(p):\n    return p._r()",
        "x = obj.attr._cache",
    ],
)
def test_the_scan_finds_each_kind_of_use(source: str) -> None:
    assert violations(source, "m.py")


@pytest.mark.parametrize(
    "source",
    [
        "self._cache = {}",
        "cls._registry",
        "super()._setup()",
        "f.__code__.co_filename",
        "point._replace(x=1)",
        "def _helper():\n    return _CONSTANT",
    ],
)
def test_own_names_dunders_and_namedtuple_methods_are_allowed(source: str) -> None:
    assert violations(source, "m.py") == []
