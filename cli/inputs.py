"""Reading Currents or Amplitude records from JSON Lines, JSON documents, Avro files or stdin.

Streaming: JSON Lines and Avro are read record by record (constant memory); a ``.json`` file
holding one document (an object or an array, as Braze's samples are) is read whole. A line that
is not JSON becomes a ``Record`` with an ``error`` so the caller can report ``FILE:LINE`` and go
on with the rest of the file.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson

from cli.errors import CliError

INPUT_SUFFIXES = (".avro", ".jsonl", ".json", ".ndjson")
READ_BUFFER = 1 << 20  # JSON Lines read in 1 MiB chunks: fewer system calls than the 8 KiB default
AVRO_NAMESPACE_PREFIX = "dataexport."  # storage record names: dataexport.<conn>.inner.<type>


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs twice as much per line
class Record:
    source: str  # file name, or "<stdin>"
    line: int  # 1-based line (JSON Lines), record number (Avro, arrays)
    data: Any = None
    error: str | None = None


def avro_event_type(schema_name: str) -> str:
    """``dataexport.S3.inner.users.messages.email.Open`` -> ``users.messages.email.Open``."""
    if schema_name.startswith(AVRO_NAMESPACE_PREFIX) and ".inner." in schema_name:
        return schema_name.split(".inner.", 1)[1]
    return schema_name


def _json_lines(stream: IO[bytes], source: str) -> Iterator[Record]:
    for number, raw in enumerate(stream, start=1):
        if raw.isspace():  # a blank line (cheaper than strip(), which copies every line)
            continue
        try:
            yield Record(source, number, orjson.loads(raw))
        except orjson.JSONDecodeError as exc:
            yield Record(source, number, error=f"invalid JSON: {exc}")


def _json_document(path: Path) -> Iterator[Record]:
    """A ``.json`` file: one document (object or array) or, failing that, JSON Lines."""
    raw = path.read_bytes()
    try:
        doc = orjson.loads(raw)
    except orjson.JSONDecodeError:
        with path.open("rb") as stream:
            yield from _json_lines(stream, str(path))
        return
    items = doc if isinstance(doc, list) else [doc]
    for number, item in enumerate(items, start=1):
        yield Record(str(path), number, item)


def _avro(path: Path) -> Iterator[Record]:
    import fastavro  # only needed for Avro inputs

    try:
        with path.open("rb") as stream:
            reader = fastavro.reader(stream)
            schema = reader.writer_schema
            name = schema.get("name", "") if isinstance(schema, dict) else ""
            event_type = avro_event_type(str(name))
            for number, rec in enumerate(reader, start=1):
                data: dict[str, Any] = {"event_type": event_type}
                data.update(rec)  # type: ignore[arg-type]  # fastavro yields dicts for records
                yield Record(str(path), number, data)
    except (ValueError, EOFError, OSError) as exc:
        raise CliError(f"{path}: not a readable Avro file ({exc})") from exc


def read(path_or_dash: str) -> Iterator[Record]:
    """Records from one input: ``-`` is stdin (JSON Lines)."""
    if path_or_dash == "-":
        yield from _json_lines(sys.stdin.buffer, "<stdin>")
        return
    path = Path(path_or_dash)
    if path.is_dir():  # a storage export tree: event_type=<type>/date=<hour>/*.avro
        for child in sorted(p for p in path.rglob("*") if p.suffix in INPUT_SUFFIXES):
            yield from read(str(child))
        return
    if not path.is_file():
        raise CliError(f"{path_or_dash}: no such file")
    if path.suffix == ".avro":
        yield from _avro(path)
    elif path.suffix == ".json":
        yield from _json_document(path)
    else:
        with path.open("rb", buffering=READ_BUFFER) as stream:
            yield from _json_lines(stream, str(path))


def read_all(inputs: Iterable[str]) -> Iterator[Record]:
    for item in inputs:
        yield from read(item)


def check_inputs(inputs: list[str]) -> list[str]:
    """The inputs, defaulting to stdin; every named file must exist before work starts."""
    inputs = inputs or ["-"]
    for item in inputs:
        if item != "-" and not Path(item).exists():
            raise CliError(f"{item}: no such file or directory")
    return inputs
