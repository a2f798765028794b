"""House rules no module breaks, read by an AST scan of every top-level package of the
repository (each folder with an ``__init__.py``, tests and bench included).

- No module uses another module's ``_private`` names. A private name is one starting with one
  underscore; dunders (``__name__``, ``__code__``) are public. Flagged: ``from x import _name``,
  ``module._name`` and ``obj._name`` on anything but ``self``, ``cls`` or ``super()``.
- One client for the ``/_mock`` admin API (``clients.MockAdmin``): outside ``clients/`` (the
  client) and ``mocks/`` (the server), no module spells a ``/_mock`` path, so no module calls
  the admin API its own way. Tests are outside the rule: they specify the HTTP API itself.
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


# -- one client for the admin API ----------------------------------------------------------------
ADMIN_PATH_OWNERS = ("clients", "mocks", "tests")  # the client, the server, the specification
ADMIN_PATH_STARTS = ("/_mock", "_mock/")
# Literals that name an admin path without calling it, each with why.
ADMIN_PATH_MENTIONS = {
    # serve's start-up banner tells the user where the admin API is
    ("cli/serve.py", "/_mock/braze/...)"),
    ("cli/serve.py", "/_mock/openapi.json); keys: "),
}


def admin_paths(source: str, where: str) -> list[str]:
    """Each string literal (f-string parts included) of ``source`` that starts an admin path,
    as ``where:line: 'literal'``; messages that merely mention one in their text pass."""
    return [
        f"{where}:{node.lineno}: {node.value!r}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.startswith(ADMIN_PATH_STARTS)
        and (where, node.value) not in ADMIN_PATH_MENTIONS
    ]


@pytest.mark.parametrize(
    "package",
    [p for p in PACKAGES if p.name not in ADMIN_PATH_OWNERS],
    ids=lambda p: p.name,
)
def test_only_the_admin_client_spells_an_admin_path(package: Path) -> None:
    found = [
        problem
        for path in sorted(package.rglob("*.py"))
        for problem in admin_paths(
            path.read_text(encoding="utf-8"), path.relative_to(REPO).as_posix()
        )
    ]
    assert found == []


@pytest.mark.parametrize(
    "source",
    [
        'requests.get(url + "/_mock/stats")',
        'session.get(f"{url}/_mock/clock")',
        'conn.request("GET", "/_mock/stats")',
        'urljoin(url, "_mock/events")',
        'f"{base}/_mock/{path}"',
    ],
)
def test_the_admin_path_scan_finds_each_way_to_build_one(source: str) -> None:
    assert admin_paths(source, "m.py")


@pytest.mark.parametrize(
    "source",
    [
        'raise CliError(f"{url}: not a currents-sim mock (no /_mock/health)")',
        '"""Reads ``/_mock/events`` through MockAdmin."""',
        "admin.stats()",
    ],
)
def test_a_message_that_mentions_an_admin_path_passes(source: str) -> None:
    assert admin_paths(source, "m.py") == []
