"""The README runs: every shell example in README.md is run as printed and must exit 0, and its
seed-0 figures are the output of the script that computes them.

- Shell examples are the ```sh, ```console and ```bash blocks (``$ `` prompts are dropped, a line
  ending in ``\\`` continues on the next). Each block runs line by line in a fresh folder that
  holds ``events.jsonl`` and, unless the block writes it, ``export/`` (an Avro export), with the
  venv's ``bin`` first on ``PATH``: as after ``make install`` and ``. .venv/bin/activate``.
- The one tolerance: a block preceded by ``<!-- readme-test: needs a running service -->`` (a
  running mock, a receiver) is not run. Every other block is.
- Sizes: to keep the suite short, counts are made small by the ``SMALLER`` table below
  (``-n 525000`` -> ``-n 2000``, ``load --size full`` -> ``--size ci``, ...). The environment
  switch ``CURRENTS_SIM_README_FULL=1`` runs every example exactly as printed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
MARKER = "<!-- readme-test: needs a running service -->"
FIGURES = re.compile(r"<!-- figures: python -m (\S+) -->\n(.*?)<!-- /figures -->\n", re.S)
FULL = os.environ.get("CURRENTS_SIM_README_FULL") == "1"
LINE_TIMEOUT_S = 600

# Examples that run Locust go to the load phase of `make test` (run alone, after the rest); the
# other examples are seconds each and run in the parallel phase.
LOCUST = re.compile(r"currents-sim load\b|make load\b")

# (pattern, replacement) applied to each command unless CURRENTS_SIM_README_FULL=1.
SMALLER: list[tuple[str, str]] = [
    (r"(-n) \d{4,}", r"\1 2000"),  # generate/send counts
    (r"^(currents-sim simulate \S+)", r"\1 --events 1000"),  # default scenarios: 20,000 events
    (r"^(currents-sim send .*--duration) \S+", r"\1 5s"),  # live sends run on the wall clock
    (r"--size full", "--size ci"),  # a load scenario's smoke size (each under a minute)
    # Every scenario is run by tests/load/test_smoke.py already; here `load all` runs one.
    (r"^currents-sim load all\b", "currents-sim load steady"),
]


@dataclass(frozen=True)
class Example:
    line: int  # where its block starts in README.md
    commands: list[str]
    needs_service: bool


def examples(text: str) -> list[Example]:
    found, lines, i = [], text.splitlines(), 0
    while i < len(lines):
        fence = re.fullmatch(r"```(sh|console|bash)", lines[i].strip())
        if fence is None:
            i += 1
            continue
        start, body = i + 1, []
        marked = i > 0 and lines[i - 1].strip() == MARKER
        i += 1
        while not lines[i].startswith("```"):
            body.append(lines[i])
            i += 1
        found.append(Example(start, _commands(body), marked))
    return found


def _commands(body: list[str]) -> list[str]:
    commands: list[str] = []
    pending = ""
    for raw in body:
        line = raw.removeprefix("$ ").rstrip()
        if not pending and (not line or line.lstrip().startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        commands.append(pending + line.strip())
        pending = ""
    return commands


def smaller(command: str) -> str:
    if FULL:
        return command
    command = command.replace(".venv/bin/currents-sim", "currents-sim")
    for pattern, replacement in SMALLER:
        command = re.sub(pattern, replacement, command)
    return command


ALL = examples(README.read_text())
RUN = [e for e in ALL if not e.needs_service]


def test_the_readme_has_shell_examples_and_marks_only_service_ones() -> None:
    assert len(RUN) >= 5
    for example in ALL:
        if example.needs_service:
            assert any(re.search(r"127\.0\.0\.1|URL|serve|--to", c) for c in example.commands)


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``events.jsonl`` and ``export/`` that the examples read."""
    folder = tmp_path_factory.mktemp("readme-fixtures")
    cli = [sys.executable, "-m", "cli"]
    subprocess.run([*cli, "generate", "-n", "300", "-o", "events.jsonl"], cwd=folder, check=True)
    subprocess.run([*cli, "generate", "-n", "300", "--format", "avro", "--out", "export"],
                   cwd=folder, check=True)  # fmt: skip
    return folder


def _param(example: Example) -> object:
    runs_locust = any(LOCUST.search(command) for command in example.commands)
    marks = [pytest.mark.load] if runs_locust else []
    return pytest.param(example, marks=marks, id=f"README.md:{example.line}")


@pytest.mark.parametrize("example", [_param(e) for e in RUN])
def test_every_shell_example_runs(example: Example, fixtures: Path, tmp_path: Path) -> None:
    shutil.copy(fixtures / "events.jsonl", tmp_path)
    if not any(re.search(r"(--out|-o|--to-dir) export/", c) for c in example.commands):
        shutil.copytree(fixtures / "export", tmp_path / "export")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for command in map(smaller, example.commands):
        done = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, text=True,
                              capture_output=True, timeout=LINE_TIMEOUT_S)  # fmt: skip
        said = [line for line in done.stdout.splitlines() if "BREACHED" in line or "FAILED" in line]
        assert done.returncode == 0, (
            f"README.md:{example.line}: {command}\n{done.stderr[-2000:]}\n" + "\n".join(said)
        )


def test_the_seed_0_figures_are_what_the_script_prints() -> None:
    found = FIGURES.findall(README.read_text())
    assert found, "README.md lost its figures markers"
    for module, table in found:
        printed = subprocess.run([sys.executable, "-m", module], capture_output=True, text=True,
                                 check=True, cwd=REPO).stdout  # fmt: skip
        assert table == printed, f"update README.md with `python -m {module}`"


def test_make_help_prints_values_not_make_variables() -> None:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    out = subprocess.run([make, "-s", "help"], cwd=REPO, capture_output=True, text=True).stdout
    assert "make run" in out and "$(" not in out
    assert "127.0.0.1:8080" in out
