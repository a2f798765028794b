"""``currents-sim transform``: Currents events in, the Amplitude events Braze sends out.

Exit codes: 0 every record transformed or skipped as Braze skips (no ids, storage-only);
1 findings (unknown event types, records too malformed to transform); 2 usage or input error
(missing file, a line that is not JSON). Skips are summed up on stderr; ``--skipped FILE``
writes each one as JSON Lines.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections import Counter
from typing import IO, Any

import orjson

from cli.inputs import check_inputs, read_all
from cli.outputs import STDIO, check_outputs, whole_file
from simulator.transform import MALFORMED, UNKNOWN_TYPE, Skipped, transform

HELP = "transform Currents events (JSONL flat/http, .json, .avro, stdin) into Amplitude events"
FINDINGS = (UNKNOWN_TYPE, MALFORMED)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="*", metavar="IN", help="files or folders; '-' = stdin")
    parser.add_argument("-o", "--out", help="output file (default: stdout)")
    parser.add_argument("--profile", choices=("page", "glossary"), default="page",
                        help="Amplitude naming profile (default: page)")  # fmt: skip
    parser.add_argument("--skipped", metavar="FILE", help="write skipped events as JSON Lines")


# Output buffer: 1 MiB halves the kernel time of writing a large file (vs the 8 KiB default).
OUT_BUFFER = 1 << 20


def run(args: argparse.Namespace) -> int:
    inputs = check_inputs(args.inputs)
    check_outputs(files=[args.out or STDIO, args.skipped], inputs=inputs)
    with contextlib.ExitStack() as stack:
        out = (
            stack.enter_context(whole_file(args.out, buffering=OUT_BUFFER))
            if args.out
            else sys.stdout.buffer
        )
        skipped_out = stack.enter_context(whole_file(args.skipped)) if args.skipped else None
        counts, bad_lines = _transform_all(inputs, args.profile, out, skipped_out)
        out.flush()
    _summary(counts, bad_lines)
    if bad_lines:
        return 2
    return 1 if any(counts[c] for c in FINDINGS) else 0


def _transform_all(
    inputs: list[str], profile: Any, out: IO[bytes], skipped_out: IO[bytes] | None
) -> tuple[Counter[str], int]:
    """Counts by outcome and the number of unreadable lines."""
    counts: Counter[str] = Counter()
    bad_lines = transformed = 0
    write = out.write  # looked up once: this loop runs per line
    for record in read_all(inputs):
        if record.error is not None:
            print(f"{record.source}:{record.line}: {record.error}", file=sys.stderr)
            bad_lines += 1
            continue
        data: Any = record.data
        result = transform(data, profile) if isinstance(data, dict) else None
        if result is None:
            print(f"{record.source}:{record.line}: not a JSON object", file=sys.stderr)
            bad_lines += 1
        elif isinstance(result, Skipped):
            counts[result.code] += 1
            _report_skip(record.source, record.line, result, skipped_out)
        else:
            transformed += 1
            write(orjson.dumps(result.event, option=orjson.OPT_APPEND_NEWLINE))
    counts["transformed"] = transformed
    return counts, bad_lines


def _report_skip(source: str, line: int, skip: Skipped, sink: IO[bytes] | None) -> None:
    if skip.code in FINDINGS:
        print(f"{source}:{line}: {skip.event_type or '-'}: {skip.reason}", file=sys.stderr)
    if sink is not None:
        row = {"source": source, "line": line, "event_type": skip.event_type, "id": skip.event_id,
               "code": skip.code, "reason": skip.reason}  # fmt: skip
        sink.write(orjson.dumps(row) + b"\n")


def _summary(counts: Counter[str], bad_lines: int) -> None:
    skipped = {k: v for k, v in sorted(counts.items()) if k != "transformed"}
    parts = [f"{counts['transformed']} transformed"]
    if skipped:
        parts.append(f"{sum(skipped.values())} skipped (" + ", ".join(
            f"{k}: {v}" for k, v in skipped.items()) + ")")  # fmt: skip
    if bad_lines:
        parts.append(f"{bad_lines} unreadable")
    print("transform: " + "; ".join(parts), file=sys.stderr)
