"""Reading Server-Sent Events (``GET /_mock/stream``): the ``text/event-stream`` framing of the
WHATWG HTML standard, §9.2 "Server-sent events" (``event:``/``data:`` fields, a blank line ends
a message, other fields and comments ignored)."""

from __future__ import annotations

import json
from collections.abc import Generator, Iterable
from typing import Any


def sse_messages(lines: Iterable[str]) -> Generator[tuple[str, Any], None, None]:
    """``(event, parsed JSON data)`` of each Server-Sent Events message in ``lines``
    (comments and ``retry:`` lines skipped)."""
    event, data = "message", list[str]()
    for line in lines:
        if not line:
            if data:
                yield event, json.loads("\n".join(data))
            event, data = "message", []
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].lstrip())
