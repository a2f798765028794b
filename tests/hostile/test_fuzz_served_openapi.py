"""Schemathesis against ``currents-sim serve``: every operation of ``/_mock/openapi.json``,
checks ``all``, a fixed seed and bounded examples (about a minute on 2 cores).

It fails on any failure that is not in ``schemathesis-baseline.json``: the failures known when
the fuzz run was added, each one a named piece of work (listed in the issue's closing note). A
fixed one is simply no longer reported; a new one fails the run.

Not yet in ``make test`` (marker ``fuzz``, ``make fuzz``): on the shared 2-core machine one run
took about 6 minutes and a few failures showed up in one run and not the next, so it cannot gate
every ``make test`` until the baseline's entries are fixed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
EXAMPLES = 5  # per operation and phase
SEED = 0


@pytest.mark.fuzz
def test_the_served_mock_conforms_to_its_openapi_document(serve, tmp_path):
    url = serve("--threads", "8", "--eps", "1000000", "--batch-eps", "1000000",
                "--daily-quota", "0")  # fmt: skip
    st = Path(sys.executable).parent / "st"
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.hostile.schemathesis_hooks",
           "PYTHONPATH": str(ROOT)}  # fmt: skip
    run = subprocess.run(
        [str(st), "--no-color", "--config-file", str(HERE / "schemathesis.toml"), "run",
         f"{url}/_mock/openapi.json", "--url", url, "--checks", "all", "-n", str(EXAMPLES),
         "--seed", str(SEED), "--workers", "1", "--max-response-time", "30",
         "--generation-database", "none", "--report-dir", str(tmp_path / "report"),
         "--baseline", str(HERE / "schemathesis-baseline.json")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
