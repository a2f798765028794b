"""``currents-sim validate``: judge records against the project's JSON Schemas.

Every failing record is printed as ``FILE:LINE: EVENT_TYPE: PATH: MESSAGE`` (one line per
problem). ``--kind amplitude`` accepts Amplitude events, or whole ``/2/httpapi`` request bodies
(``{"api_key", "events": [...]}``) whose events are then judged one by one.
Exit codes: 0 all valid, 1 some invalid, 2 usage or input error (missing file, non-JSON line).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from typing import Any

from cli.inputs import check_inputs, read_all
from simulator.validate import Verdict, validate_amplitude, validate_currents

HELP = "validate Currents or Amplitude records against the JSON Schemas"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="*", metavar="IN", help="files or folders; '-' = stdin")
    parser.add_argument("--kind", choices=("currents", "amplitude"), default="currents",
                        help="what the records are (default: currents)")  # fmt: skip


def _verdicts(data: Any, kind: str) -> Iterator[tuple[str, Verdict]]:
    """(location suffix, verdict) for the record, or each event of a request body."""
    if kind == "currents":
        yield "", validate_currents(data)
    elif isinstance(data, dict) and isinstance(data.get("events"), list):
        for index, event in enumerate(data["events"]):
            yield f"events/{index}/", validate_amplitude(event)
    else:
        yield "", validate_amplitude(data)


def run(args: argparse.Namespace) -> int:
    inputs = check_inputs(args.inputs)
    total = invalid = unreadable = 0
    for record in read_all(inputs):
        where = f"{record.source}:{record.line}"
        if record.error is not None:
            print(f"{where}: {record.error}", file=sys.stderr)
            unreadable += 1
            continue
        for prefix, verdict in _verdicts(record.data, args.kind):
            total += 1
            if verdict.ok:
                continue
            invalid += 1
            for problem in verdict.problems:
                print(f"{where}: {verdict.event_type or '-'}: {prefix}{problem}")
    print(f"validate: {total} records, {invalid} invalid"
          + (f", {unreadable} unreadable" if unreadable else ""), file=sys.stderr)  # fmt: skip
    if unreadable:
        return 2
    return 1 if invalid else 0
