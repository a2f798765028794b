"""Schemathesis against ``currents-sim serve``: every operation of ``/_mock/openapi.json``,
checks ``all``, a fixed seed and bounded examples. Any failure fails the test: no baseline of
known failures (0 server errors, undocumented statuses, schema-valid requests rejected,
schema-violating requests accepted, responses that break their schema).

Part of ``make test`` (about two minutes on 2 cores beside the rest of the suite; figures in
README); ``make fuzz`` runs it with more examples (``CURRENTS_SIM_FUZZ_EXAMPLES``). The served
mock has a data directory (the snapshot routes work) and a known Basic pair for the cohort and
export APIs (``schemathesis.toml``). ``schemathesis_hooks.py`` keeps one generated case from
changing what later ones are owed; ``schemathesis.toml`` names each rule the document can only
state in words.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
EXAMPLES = int(os.environ.get("CURRENTS_SIM_FUZZ_EXAMPLES", "5"))  # per operation and phase
SEED = 0
# The pair schemathesis.toml gives the Basic-auth operations. In sandbox mode a key without a
# registered secret takes any secret (simulator.amplitude.cohort_api), so the key of
# schemathesis's wrong-credentials probe gets a secret too, one the probe does not send.
SECRETS = ("schemathesis-reader:reader-secret", "SCHEMATHESIS-INVALID-VALUE:not-the-probe-one")


@pytest.mark.fuzz
def test_the_served_mock_conforms_to_its_openapi_document(serve, tmp_path):
    secrets = [arg for pair in SECRETS for arg in ("--secret-key", pair)]
    url = serve("--threads", "8", "--eps", "1000000", "--batch-eps", "1000000",
                "--daily-quota", "0", "--data-dir", str(tmp_path / "data"), *secrets)  # fmt: skip
    st = Path(sys.executable).parent / "st"
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.hostile.schemathesis_hooks",
           "PYTHONPATH": str(ROOT)}  # fmt: skip
    run = subprocess.run(
        [str(st), "--no-color", "--config-file", str(HERE / "schemathesis.toml"), "run",
         f"{url}/_mock/openapi.json", "--url", url, "--checks", "all", "-n", str(EXAMPLES),
         "--seed", str(SEED), "--workers", "1", "--max-response-time", "30",
         "--request-timeout", "20", "--generation-database", "none",
         "--report-dir", str(tmp_path / "report")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]
