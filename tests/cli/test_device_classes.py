"""One spelling of each device class: ``simulate`` and ``load`` name events without a device
the same way (``simulator.generator.NO_DEVICE``)."""

from __future__ import annotations

import json

from cli.main import main
from load.truth import summarize
from simulator.generator import NO_DEVICE


def test_simulate_and_load_name_the_no_device_class_alike(capsys) -> None:
    assert NO_DEVICE == "no-device"  # the CLI's spelling: words joined by hyphens
    argv = ["simulate", "amplitude-5xx-storm", "--json", "--events", "400", "--hours", "1h"]
    assert main(argv) == 0
    simulated = set(json.loads(capsys.readouterr().out)["classes"])
    entry = {"outcome": "ingested", "insert_id": "e1", "time": 1000, "received_at": 3000}
    loaded = {k.split(".", 1)[1] for k in summarize([entry]) if k.startswith("delivered.")}
    assert NO_DEVICE in simulated and loaded == {NO_DEVICE}
