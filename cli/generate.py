"""``currents-sim generate``: seeded, realistic Currents events as JSON Lines or Avro files.

JSON Lines go to stdout or ``--out FILE`` (flat storage records with ``event_type``, or Braze's
HTTP envelope with ``--format http``); ``--format avro`` writes Braze's storage layout under the
``--out`` folder: ``event_type=<type>/date=<YYYY-MM-DD-HH>/dataexport.prod-01.S3.integration.
<id>+0+<offset>.avro``, a new file every 15,000 events per type and hour (BRAZE_CURRENTS.md
§4.1). The same seed and arguments give byte-identical output.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar, cast

from cli.durations import positive_duration
from cli.errors import CliError
from cli.outputs import STDIO, add_force_argument, check_outputs, whole_file, whole_folder

if TYPE_CHECKING:
    from simulator.generator import Identity

HELP = "generate seeded Currents events (JSON Lines or Avro files)"
DEFAULT_START = "2024-01-01T00:00:00Z"  # fixed, so runs repeat; never the wall clock
FORMATS = ("flat", "http", "avro")
FILE_EVENTS = 15_000  # Braze writes a storage file every 15,000 events (or 5 minutes)
_CHUNK = 512  # lines per write: ~400 KB, which stays in a core's cache
T = TypeVar("T")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    a = parser.add_argument
    a("-n", "--count", default="1000", metavar="N", help="number of events (default 1000)")
    a("--seed", default="0", metavar="S", help="random seed (default 0)")
    a("--format", default="flat", metavar="FMT", help="flat (default), http or avro")
    a("--out", "-o", default="-", metavar="PATH",
      help="output file ('-': stdout, the default); a folder for --format avro")  # fmt: skip
    a("--mix", default="default", metavar="NAME",
      help="event mix: default, messaging, behaviors, all, misconfigured, quota")  # fmt: skip
    a(
        "--start",
        default=DEFAULT_START,
        metavar="ISO",
        help=f"window start (default {DEFAULT_START})",
    )
    a("--duration", default=None, type=positive_duration, metavar="DUR",
      help="window length, e.g. 90s, 30m, 1h30m, 1d; a bare number is seconds "
      "(default: the mix's, 1h; quota: 1d)")  # fmt: skip
    a("--identified", default=None, metavar="SHARE", help="share of identified users (0.8)")
    a("--anonymous", default=None, metavar="SHARE", help="share of device-only users (0.15)")
    a("--no-ids", default=None, metavar="SHARE", help="share of users with neither id (0.05)")
    add_force_argument(parser)


def run(args: argparse.Namespace) -> int:
    from simulator.generator import MIXES, generate, generate_lines

    n = _int(args.count, "-n", minimum=0)
    seed = _int(args.seed, "--seed", minimum=0)
    if args.format not in FORMATS:
        raise CliError(f"--format must be one of {', '.join(FORMATS)}, not {args.format!r}")
    if args.mix not in MIXES:
        raise CliError(f"unknown --mix {args.mix!r} (have: {', '.join(MIXES)})")
    if args.format == "avro" and args.out == "-":
        raise CliError("--format avro writes a folder: give it with --out DIR")
    if args.format == "avro":
        check_outputs(folders=[args.out], force=args.force)
    else:
        check_outputs(files=[args.out])
    start = _instant(args.start)
    duration = args.duration
    identity = cast("dict[Identity, float] | None", _identity(args))
    _warn_if_too_small(args.mix, n, duration)
    options = {"seed": seed, "start": start, "duration": duration, "mix": args.mix}
    if args.format == "flat":  # the records' JSON text, written without building them
        write_lines(_progress(generate_lines(n, **options, identity=identity), n), args.out)
        return 0
    events = _progress(generate(n, **options, identity=identity), n)
    if args.format == "avro":
        with whole_folder(args.out, force=args.force) as folder:
            _write_avro(events, folder, seed)
    else:
        write_lines(_http_lines(events), args.out)
    return 0


def _int(text: str, name: str, *, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise CliError(f"{name} needs a whole number, not {text!r}") from None
    if value < minimum:
        raise CliError(f"{name} must be >= {minimum}, not {value}")
    return value


def _instant(text: str) -> float:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise CliError(
            f"--start needs an ISO 8601 instant (e.g. {DEFAULT_START}), not {text!r}"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _identity(args: argparse.Namespace) -> dict[str, float] | None:
    given = {"identified": args.identified, "anonymous": args.anonymous, "neither": args.no_ids}
    if all(v is None for v in given.values()):
        return None  # the defaults: 0.8 / 0.15 / 0.05
    shares: dict[str, float] = {}
    for key, text in given.items():
        if text is None:
            shares[key] = 0.0
            continue
        try:
            shares[key] = float(text)
        except ValueError:
            raise CliError(f"identity shares are numbers between 0 and 1, not {text!r}") from None
        if not 0.0 <= shares[key] <= 1.0:
            raise CliError(f"identity shares are numbers between 0 and 1, not {text!r}")
    if abs(sum(shares.values()) - 1.0) > 1e-6:
        raise CliError(
            "--identified, --anonymous and --no-ids must add up to 1 "
            f"(got {sum(shares.values()):g}; unspecified ones count as 0)"
        )
    return shares


def _warn_if_too_small(mix: str, n: int, duration: float | None) -> None:
    note = {
        "misconfigured": (n < 4000, "the misconfigured mix needs -n >= 4000 to burst past 30 ev/s"),
        "quota": (
            n < 521_000 or (duration is not None and duration < 86400),
            "the quota mix needs -n >= 521000 and a 1-day window to pass 500,000 events/24 h",
        ),
    }.get(mix)
    if note and note[0]:
        print(f"currents-sim: note: {note[1]}", file=sys.stderr)


def _progress(events: Iterator[T], n: int) -> Iterator[T]:
    """A tqdm bar on a terminal; nothing at all when stderr is piped or redirected."""
    if not sys.stderr.isatty() or n < 10_000:
        return events
    from tqdm import tqdm

    def counted() -> Iterator[T]:
        with tqdm(total=n, unit="ev", unit_scale=True, file=sys.stderr) as bar:
            for i, event in enumerate(events, 1):
                yield event
                if i % 10_000 == 0:
                    bar.update(10_000)
            bar.update(bar.total - bar.n)

    return counted()


def write_lines(lines: Iterable[str], out: str) -> None:
    """One JSON object a line, written ``_CHUNK`` lines at a time: joined and encoded in C
    over each chunk (``islice``), with no Python statement per event."""
    lines = iter(lines)
    with ExitStack() as stack:
        sink: IO[bytes] = (
            sys.stdout.buffer if out == STDIO else stack.enter_context(whole_file(out))
        )
        while chunk := "\n".join(islice(lines, _CHUNK)):
            sink.write(chunk.encode())
            sink.write(b"\n")
        sink.flush()


def _http_lines(events: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Flat records as Braze's HTTP envelopes, as JSON text (mapped in C, imported once)."""
    import orjson

    from simulator.currents.shapes import flat_to_http

    return map(bytes.decode, map(orjson.dumps, map(flat_to_http, events)))


def _open(path: Path) -> IO[bytes]:
    """A file of the staged Avro folder (inside ``whole_folder``'s staging, so folders of
    event types and hours are made as they come)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.open("wb")


class _AvroFiles:
    """One open writer per event type for the current hour; a new file every FILE_EVENTS."""

    def __init__(self, root: Path, seed: int) -> None:
        self.root, self.seed = root, seed
        self.integration = hashlib.sha256(f"integration:{seed}".encode()).hexdigest()[:24]
        self.open: dict[str, tuple[Any, IO[bytes], str, int]] = {}  # type -> writer, file, dir, n
        self.offsets: dict[str, int] = {}
        self.hour = -1

    def write(self, event: dict[str, Any]) -> None:
        from simulator.generator.avro import avro_record, storage_dir

        if event["time"] // 3600 != self.hour:  # events come in time order: an hour is done
            self.close()
            self.hour = event["time"] // 3600
        event_type = event["event_type"]
        folder = storage_dir(event_type, event["time"])
        current = self.open.get(event_type)
        if current is None or current[2] != folder or current[3] >= FILE_EVENTS:
            self._close(event_type)
            current = self._start(event_type, folder)
        current[0].write(avro_record(event))
        self.open[event_type] = (*current[:3], current[3] + 1)

    def _start(self, event_type: str, folder: str) -> tuple[Any, IO[bytes], str, int]:
        from fastavro import parse_schema
        from fastavro.write import Writer

        from simulator.generator.avro import avro_schema

        offset = self.offsets.get(event_type, 0)
        name = f"dataexport.prod-01.S3.integration.{self.integration}+0+{offset}.avro"
        fo = _open(self.root / folder / name)
        marker = hashlib.sha256(f"{self.seed}:{event_type}:{offset}".encode()).digest()[:16]
        writer = Writer(fo, parse_schema(avro_schema(event_type)), sync_marker=marker)
        return writer, fo, folder, 0

    def _close(self, event_type: str) -> None:
        current = self.open.pop(event_type, None)
        if current is not None:
            writer, fo, _, count = current
            writer.flush()
            fo.close()
            self.offsets[event_type] = self.offsets.get(event_type, 0) + count

    def close(self) -> None:
        for event_type in list(self.open):
            self._close(event_type)


def _write_avro(events: Iterable[dict[str, Any]], root: Path, seed: int) -> None:
    files = _AvroFiles(root, seed)
    try:
        for event in events:
            files.write(event)
    finally:
        files.close()
