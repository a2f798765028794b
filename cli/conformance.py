"""``currents-sim conformance``: grade what Amplitude received against the reference.

Inputs: ``--produced`` the Currents events (JSON Lines flat/http, ``.json``, ``.avro``, folders,
``-``); then either ``--received`` what Amplitude got (JSON Lines of events, of ``/2/httpapi``
request bodies or of mock journal entries; ``.gz`` JSON Lines; Amplitude Export API ``.zip``
archives of gzipped JSON lines) or ``--mock URL --api-key K`` (the live mock's journal and
request log, which also enables the behaviour rules).

Outputs: a terminal summary (stdout, or stderr with ``--json``), ``--json`` (one object on
stdout), ``--junit FILE``, ``--html FILE``. Exit 0 clean, 1 when any rule fails, 2 on bad input.
``--memory MIB`` bounds the comparison's memory whatever the input size (see
``simulator.conformance.content``).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from cli.conformance_export import download, is_url
from cli.errors import CliError
from cli.inputs import check_inputs, read
from cli.outputs import check_outputs, write_text

RECEIVED_SUFFIXES = (".jsonl", ".ndjson", ".json", ".gz", ".zip")  # files taken from a folder
HELP = "grade a connector's output (and, with --mock, its behaviour) against the reference"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--produced",
        nargs="+",
        metavar="FILE",
        required=True,
        help="Currents events produced (JSONL flat/http, .json, .avro, folders, '-')",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--received",
        nargs="+",
        metavar="FILE",
        help="what Amplitude received: JSONL events, /2/httpapi bodies or mock journal "
        "entries, .gz, Export API .zip files, or a served mock's URL (read through its Export "
        "API; needs --api-key and --secret-key)",
    )
    source.add_argument(
        "--mock",
        metavar="URL",
        help="read a live mock's journal and request log (enables the behaviour rules), "
        "e.g. http://127.0.0.1:8080",
    )
    parser.add_argument(
        "--api-key", metavar="K", help="with --mock or a --received URL: the API key to read"
    )
    parser.add_argument(
        "--secret-key", metavar="S", help="with a --received URL: the project's secret key"
    )
    parser.add_argument(
        "--profile",
        choices=("page", "glossary"),
        default="page",
        help="Amplitude naming profile of the reference (default: page)",
    )
    parser.add_argument(
        "--examples", type=int, default=5, metavar="N", help="examples kept per rule (default: 5)"
    )
    parser.add_argument(
        "--memory",
        type=float,
        default=64,
        metavar="MIB",
        help="memory for the comparison, in MiB (default: 64); beyond it fingerprints spill to "
        "sorted runs in a temporary directory ($TMPDIR), same result",
    )
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")
    parser.add_argument("--junit", metavar="FILE", help="write JUnit XML (one test case per rule)")
    parser.add_argument("--html", metavar="FILE", help="write a self-contained HTML report")


def _produced(paths: list[str]) -> Iterator[Any]:
    for path in paths:
        for record in read(path):
            if record.error is not None:
                raise CliError(f"{record.source}:{record.line}: {record.error}")
            yield record.data


def _json_lines(stream: Iterable[bytes], source: str) -> Iterator[Any]:
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            yield orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise CliError(f"{source}:{number}: invalid JSON: {exc}") from exc


def _export_zip(path: Path) -> Iterator[Any]:
    """An Amplitude Export API archive: a zip of (usually gzipped) JSON Lines files."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise CliError(f"{path}: not a zip archive ({exc})") from exc
    with archive:
        for member in sorted(archive.namelist()):
            if member.endswith("/"):
                continue
            source = f"{path}!{member}"
            with archive.open(member) as raw, contextlib.ExitStack() as stack:
                stream: Iterable[bytes] = raw
                if member.endswith(".gz"):
                    stream = stack.enter_context(gzip.GzipFile(fileobj=raw))
                try:
                    yield from _json_lines(stream, source)
                except (OSError, EOFError, zipfile.BadZipFile) as exc:
                    raise CliError(f"{source}: unreadable ({exc})") from exc


def _received_file(path: Path) -> Iterator[Any]:
    if path.suffix == ".zip":
        yield from _export_zip(path)
    elif path.suffix == ".gz":
        try:
            with gzip.open(path, "rb") as stream:
                yield from _json_lines(stream, str(path))
        except (OSError, EOFError) as exc:
            raise CliError(f"{path}: not a readable gzip file ({exc})") from exc
    else:
        for record in read(str(path)):
            if record.error is not None:
                raise CliError(f"{record.source}:{record.line}: {record.error}")
            yield record.data


def _received(paths: list[str]) -> Iterator[Any]:
    for item in paths:
        path = Path(item)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.suffix in RECEIVED_SUFFIXES):
                yield from _received_file(child)
        else:
            yield from _received_file(path)


def _spool_stdin(paths: list[str], stack: contextlib.ExitStack) -> list[str]:
    """Inputs are read twice when differences must be explained: stdin goes to a temp file."""
    if "-" not in paths:
        return paths
    spool = stack.enter_context(tempfile.NamedTemporaryFile(suffix=".jsonl", delete=True))  # noqa: SIM115 (closed by the stack)
    shutil.copyfileobj(sys.stdin.buffer, spool)
    spool.flush()
    return [spool.name if p == "-" else p for p in paths]


def run(args: argparse.Namespace) -> int:
    from simulator.conformance import NEEDS_REQUEST_LOG, ContentCheck, Tally, summary
    from simulator.conformance.report import build_report

    if args.examples < 0:
        raise CliError("--examples must be >= 0")
    if not args.memory > 0:
        raise CliError("--memory must be > 0 (MiB)")
    if args.mock is not None and not args.api_key:
        raise CliError("--mock needs --api-key (the tenant whose journal to read)")
    produced = check_inputs(args.produced)
    urls = [item for item in args.received or [] if is_url(item)]
    if urls and not (args.api_key and args.secret_key):
        raise CliError("a --received URL needs --api-key and --secret-key (Export API auth)")
    files = [item for item in args.received or [] if not is_url(item)]
    received = check_inputs(files) if files else []
    if "-" in produced and "-" in received:
        raise CliError("only one of --produced and --received can read stdin")
    check_outputs(files=[args.junit, args.html], inputs=[*produced, *received])
    tally = Tally(args.examples)
    extra: dict[str, Any] = {}
    not_evaluated = {"behaviour": NEEDS_REQUEST_LOG}
    with contextlib.ExitStack() as stack:
        produced = _spool_stdin(produced, stack)
        received = _spool_stdin(received, stack)
        if urls:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            for n, url in enumerate(urls):
                archive = download(url, args.api_key, args.secret_key, folder / str(n))
                received += [str(archive)] if archive is not None else []
        check = stack.enter_context(ContentCheck(args.profile, memory=int(args.memory * 2**20)))
        if args.mock is None:
            result = check.run(lambda: _produced(produced), lambda: _received(received), tally)
        else:
            from cli.conformance_mock import MockReader

            reader = MockReader(args.mock, args.api_key)
            result = check.run(lambda: _produced(produced), reader.journal, tally)
            extra["requests"] = _behaviour(reader, tally)
            not_evaluated = {}
    report = build_report(tally, {**summary(result), **extra}, not_evaluated)
    _write_outputs(report, args)
    return 0 if report.clean else 1


def _behaviour(reader: Any, tally: Any) -> int:
    from simulator.conformance.behaviour import check_behaviour, requests_from_log

    sent = requests_from_log(reader.requests(), reader.journal())
    return check_behaviour(sent, tally, observed_until=reader.now_ms())


def _write_outputs(report: Any, args: argparse.Namespace) -> None:
    from simulator.conformance.render import html_page, junit, terminal

    if args.junit:
        write_text(args.junit, junit(report))
    if args.html:
        write_text(args.html, html_page(report))
    if args.json:
        sys.stderr.write(terminal(report))
        sys.stdout.buffer.write(orjson.dumps(report.to_dict(), option=orjson.OPT_INDENT_2) + b"\n")
        sys.stdout.flush()
    else:
        sys.stdout.write(terminal(report))
