"""Row ids waiting on disk, held as runs of consecutive ids.

A backlog can be as long as an outage (48 hours of Braze posting): a ``deque`` of row ids would
grow by an int and a slot per row. Rows come from SQLite's autoincrement in the order they were
stored, so a backlog is almost always one run ``[first, last]``; only rows stored by two threads
at once and submitted in the other order start a new run. Memory is then a few runs, whatever the
number of rows.
"""

from __future__ import annotations

from collections import deque


class RowRuns:
    """A FIFO of row ids (ints), kept as runs of consecutive ids."""

    def __init__(self) -> None:
        self._runs: deque[list[int]] = deque()  # [first, last], both included
        self._rows = 0

    def __len__(self) -> int:
        return self._rows

    def runs(self) -> int:
        """How many runs hold the rows (the memory they take)."""
        return len(self._runs)

    def append(self, row: int) -> None:
        last = self._runs[-1] if self._runs else None
        if last is not None and row == last[1] + 1:
            last[1] = row
        else:
            self._runs.append([row, row])
        self._rows += 1

    def popleft(self) -> int:
        """The oldest row (``IndexError`` when empty, as a deque)."""
        first = self._runs[0]
        row = first[0]
        if row == first[1]:
            self._runs.popleft()
        else:
            first[0] = row + 1
        self._rows -= 1
        return row
