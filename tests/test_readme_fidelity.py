"""The README's fidelity table: every row names a documented behaviour, the mock's and a source,
and the behaviours this issue settled are all there."""

from __future__ import annotations

from tests.conftest import REPO

MUST_COVER = (
    "429 throttle body", "Payload too large", "Events silenced", "Invalid request path",
    "Access-Control-Allow-Origin", "identify creates no event", "Export API", "cohort upload",
    "100,000 ids", "600 requests/minute", "troubleshooting table", "250,000 requests/hour",
    "only cohorts synced", "derives one from `user_id`",
)  # fmt: skip


def _rows() -> list[list[str]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Fidelity", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("| ")][1:]  # no header
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines]


def test_every_row_has_a_behaviour_the_mock_and_a_source():
    rows = _rows()
    assert len(rows) >= len(MUST_COVER)
    assert all(len(row) == 3 and all(row) for row in rows), rows


def test_the_table_covers_every_settled_behaviour():
    documented = " ".join(row[0] for row in _rows())
    assert [item for item in MUST_COVER if item not in documented] == []
