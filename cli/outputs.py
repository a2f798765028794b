"""Outputs people can trust: no command destroys its input, every output is whole or absent.

Every command that writes files goes through this module, in two steps:

1. ``check_outputs(files=..., folders=..., inputs=..., force=...)`` before anything is opened
   for writing (before the work starts, so a mistake costs nothing): an output that is, or
   resolves to the same file as, an input (or lies inside an input folder, or is a folder that
   holds an input) is refused; two outputs may not be the same path; a file output needs an
   existing, writable folder and must not itself be a folder; a folder output needs an existing
   parent, and a folder that already holds files is refused unless ``force`` (``--force``:
   replace it). A missing parent folder is always refused, never created: a typo in a path
   should not silently grow a tree somewhere.
2. ``whole_file(path)`` / ``whole_folder(path)`` while writing: the content goes to a hidden
   temporary name beside the target (``.NAME.PID.part``) and is renamed into place only when
   complete. On an error or Ctrl-C the temporary is removed and the target is left as it was;
   the target's name is remembered so ``cli.main`` can say what was not written
   (``take_not_written``).

Standard output counts as an output: ``transform in.jsonl >> in.jsonl`` is refused too.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from cli.errors import CliError

STDIO = "-"
PART = ".part"
_NOT_WRITTEN: list[str] = []  # targets whose writing was cut short, for the one-line error


def add_force_argument(parser: Any) -> None:
    """The ``--force`` option of commands with a folder output."""
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an output folder that already holds files (refused otherwise)",
    )


def check_outputs(
    *,
    files: Iterable[str | Path | None] = (),
    folders: Iterable[str | Path | None] = (),
    inputs: Iterable[str | Path | None] = (),
    force: bool = False,
) -> None:
    """Refuse, before any writing, every output that could lose data or cannot be written.

    ``None`` entries (an option not given) are ignored; ``-`` in ``files`` is standard output
    and in ``inputs`` standard input.
    """
    file_list = [str(f) for f in files if f is not None]
    folder_list = [str(f) for f in folders if f is not None]
    sources = [Path(str(i)) for i in inputs if i is not None and str(i) != STDIO]
    _refuse_duplicates([*file_list, *folder_list])
    for out in [*file_list, *folder_list]:
        if out == STDIO:
            _refuse_stdout_into(sources)
            continue
        for source in sources:
            if _overlaps(Path(out), source):
                raise CliError(f"{out}: is also an input ({source}); refusing to overwrite it")
    for out in file_list:
        if out != STDIO:
            _check_file_target(out)
    for out in folder_list:
        _check_folder_target(out, force)


@contextlib.contextmanager
def whole_file(path: str | Path, *, buffering: int = -1) -> Iterator[IO[bytes]]:
    """A binary stream to ``path`` that appears there only when the block completes."""
    target = Path(path)
    temp = target.with_name(f".{target.name}.{os.getpid()}{PART}")
    with _staged(str(target), lambda: temp.unlink(missing_ok=True)):
        try:
            stream = temp.open("wb", buffering=buffering)
        except OSError as exc:
            raise CliError(f"{target}: cannot write ({exc.strerror or exc})") from None
        with stream:
            yield stream
        os.replace(temp, target)


@contextlib.contextmanager
def whole_folder(path: str | Path, *, force: bool) -> Iterator[Path]:
    """A staging folder (same name, inside a hidden ``.NAME.PID.part`` beside ``path``) that
    replaces ``path`` when the block completes; the old content (``force``) is removed then."""
    target = Path(path)
    wrapper = target.with_name(f".{target.name}.{os.getpid()}{PART}")
    staging = wrapper / target.name
    with _staged(str(target), lambda: shutil.rmtree(wrapper, ignore_errors=True)):
        try:
            staging.mkdir(parents=True)
        except OSError as exc:
            raise CliError(f"{target}: cannot write ({exc.strerror or exc})") from None
        yield staging
        if target.exists():
            _check_folder_target(str(target), force)  # someone may have filled it meanwhile
            old = wrapper / ".replaced"
            os.rename(target, old)
        os.rename(staging, target)
    shutil.rmtree(wrapper)


def write_text(path: str | Path, text: str) -> None:
    """A whole text file (UTF-8) at ``path``."""
    with whole_file(path) as stream:
        stream.write(text.encode("utf-8"))


def take_not_written() -> list[str]:
    """The outputs cut short since the last call (and forget them)."""
    names = list(_NOT_WRITTEN)
    _NOT_WRITTEN.clear()
    return names


@contextlib.contextmanager
def _staged(name: str, discard: Callable[[], None]) -> Iterator[None]:
    try:
        yield
    except BaseException:
        discard()
        _NOT_WRITTEN.append(name)
        raise


def _refuse_duplicates(outputs: list[str]) -> None:
    seen: dict[Path, str] = {}
    for out in outputs:
        if out == STDIO:
            continue
        key = Path(out).resolve()
        if key in seen:
            raise CliError(f"{out}: given for two outputs ({seen[key]} too)")
        seen[key] = out


def _overlaps(target: Path, source: Path) -> bool:
    """The same file (also through links), inside an input folder, or a folder holding it."""
    if target.exists() and source.exists() and os.path.samefile(target, source):
        return True
    out, src = target.resolve(), source.resolve()
    return out == src or (src.is_dir() and out.is_relative_to(src)) or src.is_relative_to(out)


def _refuse_stdout_into(sources: list[Path]) -> None:
    """``cmd in.jsonl >> in.jsonl``: standard output is an input file (it would never end)."""
    try:
        out = os.fstat(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        return  # not a real file descriptor (captured): nothing on disk to protect
    for source in sources:
        with contextlib.suppress(OSError):
            st = source.stat()
            if (st.st_dev, st.st_ino) == (out.st_dev, out.st_ino):
                raise CliError(f"standard output is the input {source}; refusing to overwrite it")


def _check_file_target(out: str) -> None:
    target = Path(out)
    if target.is_dir():
        raise CliError(f"{out}: is a folder; give a file name")
    _check_place(out, target.parent)


def _check_folder_target(out: str, force: bool) -> None:
    target = Path(out)
    if target.exists() and not target.is_dir():
        raise CliError(f"{out}: is a file, not a folder")
    _check_place(out, target.parent)
    if target.is_dir() and any(target.iterdir()) and not force:
        raise CliError(f"{out}: already holds files; give --force to replace them")


def _check_place(out: str, folder: Path) -> None:
    """The folder exists and a file can be created in it (tried: permissions alone do not
    tell, e.g. as root, on a read-only mount or under /proc)."""
    if not folder.exists():
        raise CliError(f"{out}: no folder {folder} (create it first)")
    if not folder.is_dir():
        raise CliError(f"{out}: {folder} is not a folder")
    try:
        handle, probe = tempfile.mkstemp(dir=folder, prefix=".currents-sim-probe-")
    except OSError as exc:
        raise CliError(f"{out}: cannot write in {folder} ({exc.strerror or exc})") from None
    os.close(handle)
    os.unlink(probe)
