"""The schema generator (``simulator.currents.schemagen``): the committed JSON Schemas are the
ones it derives from the catalogue, byte for byte."""

from __future__ import annotations

from pathlib import Path

import schemas
from simulator.currents import schemagen


def test_committed_schemas_are_what_the_catalogue_generates() -> None:
    for name, doc in schemagen.generate().items():
        path = Path(schemas.ROOT, f"{name}.json")
        assert path.is_file(), f"missing {path}: run python -m simulator.currents.schemagen"
        assert path.read_text(encoding="utf-8") == schemagen.render(doc), (
            f"{name} is stale: run python -m simulator.currents.schemagen"
        )
