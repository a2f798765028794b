"""House rules no module breaks, read by an AST scan of every top-level package of the
repository (each folder with an ``__init__.py``, tests and bench included).

- No module uses another module's ``_private`` names. A private name is one starting with one
  underscore; dunders (``__name__``, ``__code__``) are public. Flagged: ``from x import _name``,
  ``module._name`` and ``obj._name`` on anything but ``self``, ``cls`` or ``super()``.
- One client for the ``/_mock`` admin API (``clients.MockAdmin``): outside ``clients/`` (the
  client) and ``mocks/`` (the server), no module spells a ``/_mock`` path, so no module calls
  the admin API its own way. Tests are outside the rule: they specify the HTTP API itself.
- Tests mirror the modules they test: ``simulator/amplitude/journal.py`` is specified by
  ``tests/simulator/amplitude/test_journal.py``. A module without one is named below with why.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
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


def scan(package: Path, check: Callable[[str, str], list[str]]) -> list[str]:
    """What ``check(source, where)`` finds in every module of ``package``."""
    return [
        problem
        for path in sorted(package.rglob("*.py"))
        for problem in check(path.read_text(encoding="utf-8"), path.relative_to(REPO).as_posix())
    ]


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_no_module_uses_another_modules_private_names(package: Path) -> None:
    assert scan(package, violations) == []


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
    assert scan(package, admin_paths) == []


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


# -- tests mirror the modules they test ----------------------------------------------------------
MIRRORED = ("simulator", "mocks", "cli", "load", "relay", "senders", "clients")
# Files that need no test file of their own, by their nature.
NO_MIRROR_BY_NAME = {
    "__init__.py": "a package marker and its re-exports",
    "__main__.py": "`python -m` runs one call",
}
NO_MIRROR = {
    "load/locustfiles/steady.py": "a Locust entry file (tests/load/test_smoke.py)",
    "load/locustfiles/credential_expiry.py": "a Locust entry file (tests/load/test_smoke.py)",
    "load/locustfiles/misconfigured_device.py": "a Locust entry file (tests/load/test_smoke.py)",
    "load/locustfiles/quota_exhaustion.py": "a Locust entry file (tests/load/test_smoke.py)",
    "load/sut/locustfile.py": "a Locust entry file (tests/load/sut/test_runner.py)",
    "cli/errors.py": "one exception class; the style it carries: tests/cli/test_error_style.py",
}
# Modules whose behaviour is specified today in the tests of the module (or command, or served
# route) that uses them, named here. Each leaves this table when those tests move to a file of
# its own; the table only shrinks (a listed module that has its mirror fails the test).
SPECIFIED_ELSEWHERE = {
    "simulator/amplitude/cohort_api.py": "simulator/amplitude/test_cohorts.py",
    "simulator/amplitude/errors.py": "simulator/amplitude/test_backend.py",
    "simulator/amplitude/export.py": "mocks/amplitude/test_export_routes.py",
    "simulator/amplitude/limits.py": "simulator/amplitude/test_validation.py",
    "simulator/amplitude/profile_data.py": "simulator/amplitude/test_profiles.py",
    "simulator/braze/users.py": "simulator/braze/test_cohort_import.py",
    "simulator/cohorts/inprocess.py": "simulator/cohorts/test_sync.py",
    "simulator/cohorts/scenario.py": "cli/test_cohort_sync.py",
    "simulator/conformance/render.py": "cli/test_conformance.py",
    "simulator/conformance/report.py": "simulator/conformance/test_content.py",
    "simulator/conformance/rules.py": "simulator/conformance/test_content.py",
    "simulator/connector/batching.py": "simulator/connector/test_model.py",
    "simulator/connector/figures.py": "test_readme.py",
    "simulator/connector/sink.py": "simulator/connector/test_model.py",
    "simulator/currents/fields.py": "simulator/currents/test_catalogue.py",
    "simulator/delivery/ledger.py": "simulator/delivery/test_http.py",
    "simulator/generator/draws.py": "simulator/generator/test_provider.py",
    "simulator/generator/ids.py": "simulator/generator/test_provider.py",
    "simulator/generator/makers.py": "simulator/generator/test_provider.py",
    "simulator/generator/plans.py": "simulator/generator/test_lines.py",
    "simulator/relay/tally.py": "simulator/relay/test_engine.py",
    "simulator/validate.py": "cli/test_validate.py",
    "mocks/admin_auth.py": "mocks/test_admin.py",
    "mocks/amplitude/errors.py": "mocks/amplitude/test_routes.py",
    "mocks/amplitude/wire.py": "mocks/amplitude/test_routes.py",
    "mocks/app.py": "mocks/test_server.py",
    "mocks/bounds.py": "hostile/test_admin_bounds.py",
    "mocks/braze/errors.py": "mocks/braze/test_routes.py",
    "mocks/braze/wire.py": "mocks/braze/test_routes.py",
    "mocks/dashboard.py": "sandbox/test_dashboard_views.py",
    "mocks/filters.py": "sandbox/test_dashboard_views.py",
    "mocks/metrics.py": "sandbox/test_metrics.py",
    "mocks/persistence.py": "sandbox/test_persistence.py",
    "mocks/stream.py": "sandbox/test_stream.py",
    "cli/cohort_sync_driver.py": "cli/test_cohort_sync.py",
    "cli/relay.py": "relay/test_relay_process.py",
    "load/connectors.py": "load/test_smoke.py",
    "load/hooks.py": "load/test_smoke.py",
    "load/sut/hooks.py": "load/sut/test_runner.py",
    "load/sut/judge.py": "load/sut/test_runner.py",
    "load/sut/reports.py": "load/sut/test_runner.py",
    "load/sut/streams.py": "load/sut/test_runner.py",
    "load/sut/table.py": "load/sut/test_runner.py",
    "load/sut/users.py": "load/sut/test_runner.py",
    "load/users.py": "load/test_smoke.py",
    "relay/app.py": "relay/test_receiver_http.py",
    "relay/outbox.py": "relay/test_relay_process.py",
    "relay/running.py": "relay/test_relay_process.py",
    "relay/server.py": "relay/test_receiver_http.py",
    "relay/service.py": "relay/test_relay_process.py",
    "senders/driver.py": "cli/test_send.py",
    "senders/storage.py": "cli/test_send_storage.py",
    "clients/cohorts.py": "cli/test_cohort_sync.py",
}
TESTS = REPO / "tests"


def mirror(module: str) -> Path:
    """``a/b/c.py`` -> ``tests/a/b/test_c.py``."""
    folder, _, name = module.rpartition("/")
    return TESTS / folder / f"test_{name}"


def modules() -> list[str]:
    return sorted(
        path.relative_to(REPO).as_posix()
        for package in MIRRORED
        for path in (REPO / package).rglob("*.py")
        if path.name not in NO_MIRROR_BY_NAME
    )


def test_every_module_has_a_test_file_of_its_own_or_says_why_not() -> None:
    unexplained = [
        module
        for module in modules()
        if not mirror(module).is_file() and module not in NO_MIRROR | SPECIFIED_ELSEWHERE
    ]
    assert unexplained == []


def test_a_module_with_a_mirror_leaves_the_tables() -> None:
    """The exemptions only shrink: they name modules that exist and have no mirror yet."""
    listed = set(NO_MIRROR) | set(SPECIFIED_ELSEWHERE)
    stale = sorted(m for m in listed if not (REPO / m).is_file() or mirror(m).is_file())
    assert stale == []


def test_where_a_module_is_specified_today_names_a_test_file() -> None:
    missing = sorted(f for f in SPECIFIED_ELSEWHERE.values() if not (TESTS / f).is_file())
    assert missing == []
