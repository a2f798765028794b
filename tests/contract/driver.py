"""Run one of the Node drivers (``node/driver.js``, ``browser/driver.js``) with its JSON
configuration; the driver's answer is the JSON object on its last line of output."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from tests.conftest import REPO

TIMEOUT_S = 120


def run_driver(driver: Path, config: dict[str, Any]) -> dict[str, Any]:
    done = subprocess.run(
        ["node", str(driver), json.dumps(config)],
        cwd=REPO, capture_output=True, text=True, timeout=TIMEOUT_S, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
