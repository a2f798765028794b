"""Rows of int64 numbers sorted by key in bounded memory: buffered, spilled, merged by key range.

Why: the content check keeps a few 8-byte numbers per event (id hash, fingerprint, position).
At 1M events that is tens of MiB, at 10M over a GiB, so past a budget they go to disk. This is
an external sort specialised to what the check asks of it: *the first row of each key* (in the
order rows were added), optionally with how many rows the key had.

- ``Sorter`` buffers rows of named columns (the first is the key) in ``array('q')``, cheap to
  append to one number at a time. ``spill`` sorts the buffer by key (numpy, stable), keeps the
  first row per key (a ``count`` column sums instead) and writes it as a *run*: one file of
  raw int64 columns in a ``Spool`` directory. ``finish`` turns what is left into a last run, in
  memory when nothing was spilled, so a small input never touches the disk.
- ``Budget`` spills the largest buffer of a group of sorters while their buffers exceed it.
- ``key_ranges`` reads the runs of several sorters together, one chunk per run at a time, and
  yields consecutive key ranges: for each, every sorter's rows whose key falls in it, reduced
  again across runs. Runs were written in the order rows arrived, so the first row of a key is
  the one from the earliest run: the result is the same whether or not anything was spilled.

Keys are unique within a run, so each step takes every buffered row up to the smallest last key
among runs not yet read to the end; that empties at least one buffer per step (progress), and
no key is split across two steps.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]
Columns = dict[str, Ints]

WORD = 8  # bytes per number
_MIN_CHUNK = 64  # rows read per run at a time, whatever the budget


def _empty(names: Sequence[str]) -> Columns:
    return {name: np.empty(0, np.int64) for name in names}


def first_per_key(columns: Columns, key: str, count: str | None = None) -> Columns:
    """One row per key, keys ascending: each column's value from the key's first row, and
    ``count`` the key's number of rows (the sum of the ``count`` column, if there is one).

    Written to hold few temporaries at once (it runs on the largest buffers): when every key is
    distinct, as id hashes mostly are, the sort order itself picks the rows."""
    keys = columns[key]
    n = len(keys)
    if not n:
        return {name: np.empty(0, np.int64) for name in {*columns, *((count,) if count else ())}}
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    head = np.empty(n, bool)
    head[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=head[1:])
    starts = np.flatnonzero(head)
    del head
    out: Columns = {}
    if len(starts) == n:  # all distinct
        out[key], first = ordered, order
    else:
        out[key], first = ordered[starts], order[starts]
    del ordered
    if count is not None:
        if count in columns:
            out[count] = np.add.reduceat(columns[count][order], starts).astype(np.int64)
        else:
            out[count] = np.diff(np.append(starts, n)).astype(np.int64)
    del order, starts
    for name, column in columns.items():
        if name not in out:
            out[name] = column[first]
    return out


class Spool:
    """The temporary directory holding the runs, created on first use; ``close`` closes the
    files still open and removes it."""

    def __init__(self, workdir: str | None = None) -> None:
        self.workdir = workdir
        self.path: str | None = None
        self._files = 0
        self._open: dict[int, str] = {}  # file descriptor -> path

    def new_file(self, suffix: str) -> str:
        if self.path is None:
            self.path = tempfile.mkdtemp(prefix="conformance-", dir=self.workdir)
        self._files += 1
        return os.path.join(self.path, f"{self._files:03d}{suffix}")

    def create(self, suffix: str) -> int:
        """A new file, open for reading and writing at any offset (``os.pread``/``pwrite``)."""
        path = self.new_file(suffix)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        self._open[fd] = path
        return fd

    def remove(self, fd: int) -> None:
        os.close(fd)
        os.unlink(self._open.pop(fd))

    def close(self) -> None:
        for fd in list(self._open):
            self.remove(fd)
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            self.path = None


@dataclass
class _Run:
    """Sorted rows, unique keys: in memory (``columns``), or whole columns one after the other
    at ``offset`` in the file open as ``fd``."""

    names: tuple[str, ...]
    size: int
    columns: Columns | None = None
    fd: int = -1
    offset: int = 0

    def read(self, start: int, count: int) -> Columns:
        if self.columns is not None:
            return {name: column[start : start + count] for name, column in self.columns.items()}
        count = min(count, self.size - start)
        out: Columns = {}
        for index, name in enumerate(self.names):
            at = self.offset + (index * self.size + start) * WORD
            data = os.pread(self.fd, count * WORD, at)
            if len(data) != count * WORD:
                raise OSError(f"short read from a spilled run ({len(data)} of {count * WORD})")
            out[name] = np.frombuffer(data, np.int64)
        return out


class Sorter:
    """Append rows column by column (``buffers[i].append``), or in bulk (``extend``); ``finish``
    once, then read them back with ``key_ranges``, once. Its runs share one file (one file
    descriptor, however many runs), removed once read back."""

    def __init__(self, names: tuple[str, ...], spool: Spool, *, count: str | None = None) -> None:
        self.key = names[0]
        self.names = names if count is None else (*names, count)
        self.count = count
        self.buffers = tuple(array("q") for _ in names)
        self.runs: list[_Run] = []
        self._spool = spool
        self._fd = -1
        self._end = 0
        self.spilled = False

    @property
    def buffered_bytes(self) -> int:
        return len(self.buffers[0]) * WORD * len(self.buffers)

    def extend(self, columns: Sequence[Ints]) -> None:
        for buffer, column in zip(self.buffers, columns, strict=True):
            buffer.frombytes(np.ascontiguousarray(column, np.int64).tobytes())

    def spill(self) -> None:
        """Sort the buffer and write it as a run (the buffer is emptied)."""
        columns = self._take_buffer()
        if self._fd < 0:
            self._fd, self._end, self.spilled = self._spool.create(".run"), 0, True
        size = len(columns[self.key])
        self.runs.append(_Run(self.names, size, fd=self._fd, offset=self._end))
        for name in self.names:
            data = columns[name].data.cast("B")
            while data:  # one write may be short (Linux caps it just under 2 GiB)
                written = os.pwrite(self._fd, data, self._end)
                self._end += written
                data = data[written:]

    def discard(self) -> None:
        """Forget the runs and remove their file (also done by ``Spool.close``)."""
        self.runs = []
        if self._fd >= 0:
            self._spool.remove(self._fd)
            self._fd = -1

    def finish(self, *, to_disk: bool) -> None:
        """The rest of the buffer becomes the last run (on disk or in memory)."""
        if not len(self.buffers[0]):
            return
        if to_disk:
            self.spill()
        else:
            columns = self._take_buffer()
            self.runs.append(_Run(self.names, len(columns[self.key]), columns=columns))

    def _take_buffer(self) -> Columns:
        views: Columns = {
            name: np.frombuffer(buffer, np.int64)
            for name, buffer in zip(self.names, self.buffers, strict=False)
        }
        columns = first_per_key(views, self.key, self.count)
        del views  # releases the buffers' memory views, so they can be emptied in place
        for buffer in self.buffers:
            del buffer[:]
        return columns

    def combine(self, parts: list[Columns]) -> Columns:
        """Rows of one key range from several runs (earliest run first), one per key."""
        if not parts:
            return _empty(self.names)
        if len(parts) == 1:
            return parts[0]
        joined = {name: np.concatenate([part[name] for part in parts]) for name in self.names}
        return first_per_key(joined, self.key, self.count)


class Budget:
    """Bytes the buffers of a group of sorters may hold together; ``check`` spills the largest
    buffer until they fit. Callers check every ``rows_between_checks`` rows, not on every row."""

    def __init__(self, limit: int, sorters: Sequence[Sorter]) -> None:
        self.limit = max(limit, WORD)
        self.sorters = sorters
        widest = max(len(s.buffers) for s in sorters) * WORD
        self.rows_between_checks = max(1, min(8192, self.limit // widest // 8))

    def check(self) -> None:
        while sum(s.buffered_bytes for s in self.sorters) > self.limit:
            max(self.sorters, key=lambda s: s.buffered_bytes).spill()

    def finish(self) -> None:
        """Once every row is in: if any sorter spilled, all go to disk, so that reading them back
        is bounded by the read buffers alone; otherwise all stay in memory."""
        to_disk = any(s.spilled for s in self.sorters)
        for sorter in self.sorters:
            sorter.finish(to_disk=to_disk)


class _Cursor:
    """Reads one run a chunk at a time; ``take(bound)`` hands out the buffered rows with keys up
    to ``bound`` (all of them when ``bound`` is None)."""

    def __init__(self, run: _Run, key: str, chunk: int) -> None:
        self.run, self.key = run, key
        self.chunk = run.size if run.columns is not None else chunk
        self.read_to = 0
        self.buffer: Columns = {}

    @property
    def pending(self) -> int:
        return len(self.buffer[self.key]) if self.buffer else 0

    @property
    def fully_read(self) -> bool:
        return self.read_to >= self.run.size

    def refill(self) -> None:
        if self.pending or self.fully_read:
            return
        self.buffer = self.run.read(self.read_to, self.chunk)
        self.read_to += self.chunk

    def last_key(self) -> int:
        return int(self.buffer[self.key][-1])

    def take(self, bound: int | None) -> Columns | None:
        if not self.pending:
            return None
        keys = self.buffer[self.key]
        cut = len(keys) if bound is None else int(np.searchsorted(keys, bound, side="right"))
        if not cut:
            return None
        taken = {name: column[:cut] for name, column in self.buffer.items()}
        self.buffer = {name: column[cut:] for name, column in self.buffer.items()}
        return taken


def key_ranges(sorters: Sequence[Sorter], memory: int) -> Iterator[list[Columns]]:
    """Consecutive key ranges, ascending: per range, one ``Columns`` per sorter (one row per key,
    keys ascending). Runs on disk are read ``memory`` bytes at a time in all; in-memory runs are
    taken whole. Consumes the sorters (their files are removed at the end)."""
    on_disk = sum(len(s.names) for s in sorters for run in s.runs if run.columns is None)
    chunk = max(_MIN_CHUNK, memory // WORD // max(on_disk, 1))
    cursors = [[_Cursor(run, s.key, chunk) for run in s.runs] for s in sorters]
    every = [cursor for group in cursors for cursor in group]
    while True:
        for cursor in every:
            cursor.refill()
        live = [cursor for cursor in every if cursor.pending]
        if not live:
            for sorter in sorters:
                sorter.discard()
            return
        limits = [cursor.last_key() for cursor in live if not cursor.fully_read]
        bound = min(limits) if limits else None
        yield [
            sorter.combine([part for c in group if (part := c.take(bound)) is not None])
            for sorter, group in zip(sorters, cursors, strict=True)
        ]


def ascending(sorter: Sorter, memory: int) -> Iterator[Columns]:
    """One sorter's rows, keys ascending, a range at a time."""
    for (columns,) in key_ranges([sorter], memory):
        yield columns
