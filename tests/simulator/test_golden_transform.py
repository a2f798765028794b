"""Golden files: for every exported type, a hand-written Currents event and the exact Amplitude
event the `page` profile must produce (tests/golden/transform/<type>/<case>.{input,expected}.json).

`pytest --update-golden` rewrites the expected files from the current transformer; review the
diff before committing it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.currents.catalogue import EXPORTED
from simulator.transform import Transformed, transform

GOLDEN = Path(__file__).parents[1] / "golden" / "transform"
CASES = sorted(GOLDEN.glob("*/*.input.json"))


def test_every_exported_type_has_a_golden_case() -> None:
    assert {p.parent.name for p in CASES} == set(EXPORTED)


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name[:-11]}")
def test_golden(case: Path, update_golden: bool) -> None:
    record = json.loads(case.read_text(encoding="utf-8"))
    result = transform(record, "page")
    assert isinstance(result, Transformed), result
    expected_path = case.with_name(case.name.replace(".input.", ".expected."))
    rendered = json.dumps(result.event, indent=2, ensure_ascii=False) + "\n"
    if update_golden:
        expected_path.write_text(rendered, encoding="utf-8")
    assert expected_path.is_file(), f"no {expected_path.name}: run pytest --update-golden"
    assert json.loads(expected_path.read_text(encoding="utf-8")) == result.event
