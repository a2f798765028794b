"""Checks on the partner cohort-import requests, as pure functions returning problems.

Facts (BRAZE_CURRENTS.md §5.2, Braze "Partner cohort import integration" page [COH],
https://braze.com/docs/partners/isv_partners/cohort_import):

- both endpoints take ``partner_api_key`` and ``client_secret`` in the JSON body (no headers);
- ``POST /partners/<partner>/cohorts``: ``cohort_id`` (string), ``name`` (non-empty string),
  ``created_at`` (ISO-8601 timestamp, e.g. ``2021-01-21T19:20:30+05:00``);
- ``POST /partners/<partner>/cohorts/users``: ``cohort_id`` and ``cohort_changes``, a list of
  objects holding ``user_ids`` and/or ``device_ids`` (string arrays) and/or ``aliases``, plus an
  optional boolean ``should_remove`` (default false);
- ``user_ids`` "can be an array of external_ids, device_ids, and aliases" (the field table): a
  string there is an external id or a device id, an object an alias;
- at most 1,000 ids per request, user ids, device ids and aliases together;
- 400 for an invalid ``cohort_id``, malformed ``cohort_changes``, more than 1,000 ids, an empty
  ``name`` or a ``created_at`` that is not ISO-8601.

Decisions where [COH] is silent (each kept on purpose, with its reason):

- An alias is ``{"alias_label": str, "alias_name": str}``, Braze's usual alias object (the
  cohort page does not show one). ``aliases`` is a list of those.
- A change object must carry at least one of ``user_ids``/``device_ids``/``aliases``; an empty
  list is allowed (it changes nothing). Unknown keys are ignored, like Braze's other endpoints.
- ``created_at`` must be a date *and* a time (it is a timestamp); a zone offset is optional.
  ``datetime.fromisoformat`` (Python 3.11) is the ISO-8601 parser.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

MAX_IDS = 1000  # [COH] "more than 1,000 ids" -> 400
ID_LISTS = ("user_ids", "device_ids", "aliases")

# The troubleshooting table's exact descriptions ([COH] "Troubleshooting"), the ``message`` of a
# 400; the detailed problems go to ``errors``. Each detail starts with the field it is about.
COHORT_ID = "cohort_id must be a valid string"
CHANGES = (
    "cohort_changes must be an array of objects each with key user_ids and/or device_ids "
    "mapping to an array of strings, or an aliases object"
)
TOO_MANY = "Only 1,000 user_ids, device_ids, and aliases are allowed per request"
NAME = "name must be a non-empty string"
CREATED_AT = "created_at must be a valid time as an ISO-8601 string"
TABLE = (("cohort_id", COHORT_ID), ("cohort_changes", CHANGES), ("too many ids", TOO_MANY),
         ("name", NAME), ("created_at", CREATED_AT))  # fmt: skip


def table_message(problem: str) -> str:
    """The troubleshooting table's description of a detailed problem."""
    return next((message for field, message in TABLE if problem.startswith(field)), problem)


@dataclass(frozen=True)
class Change:
    """One parsed entry of ``cohort_changes``."""

    user_ids: tuple[str | tuple[str, str], ...]  # external ids or device ids; aliases as tuples
    device_ids: tuple[str, ...]
    aliases: tuple[tuple[str, str], ...]
    should_remove: bool

    @property
    def size(self) -> int:
        return len(self.user_ids) + len(self.device_ids) + len(self.aliases)


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and value != ""


def check_cohort_id(body: dict[str, Any]) -> list[str]:
    return [] if _is_text(body.get("cohort_id")) else ["cohort_id must be a non-empty string"]


def is_iso8601(value: Any) -> bool:
    """A timestamp in ISO-8601 (date and time, optional offset)."""
    if not isinstance(value, str) or len(value) < 16 or value[10] not in "Tt ":
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def check_name_request(body: dict[str, Any]) -> list[str]:
    """Problems of a ``/cohorts`` body (auth excluded), in field order."""
    problems = check_cohort_id(body)
    if not _is_text(body.get("name")):
        problems.append("name must be a non-empty string")
    if not is_iso8601(body.get("created_at")):
        problems.append("created_at must be an ISO-8601 timestamp, e.g. 2021-01-21T19:20:30+05:00")
    return problems


def _strings(value: Any) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not all(_is_text(v) for v in value):
        return None
    return tuple(value)


def _user_ids(value: Any) -> tuple[str | tuple[str, str], ...] | None:
    """``user_ids``: strings (external or device ids) and alias objects."""
    if not isinstance(value, list):
        return None
    out: list[str | tuple[str, str]] = []
    for item in value:
        if _is_text(item):
            out.append(item)
            continue
        alias = _aliases([item])
        if alias is None:
            return None
        out.append(alias[0])
    return tuple(out)


def _aliases(value: Any) -> tuple[tuple[str, str], ...] | None:
    if not isinstance(value, list):
        return None
    out = []
    for item in value:
        if not isinstance(item, dict):
            return None
        label, name = item.get("alias_label"), item.get("alias_name")
        if not isinstance(label, str) or not isinstance(name, str) or not label or not name:
            return None
        out.append((label, name))
    return tuple(out)


def _change(index: int, item: Any) -> Change | str:
    where = f"cohort_changes[{index}]"
    if not isinstance(item, dict):
        return f"{where} must be an object"
    if not any(key in item for key in ID_LISTS):
        return f"{where} needs user_ids, device_ids or aliases"
    user_ids = _user_ids(item.get("user_ids", []))
    device_ids = _strings(item.get("device_ids", []))
    aliases = _aliases(item.get("aliases", []))
    remove = item.get("should_remove", False)
    if user_ids is None:
        return f"{where}.user_ids must be an array of ids (strings) or alias objects"
    if device_ids is None:
        return f"{where}.device_ids must be an array of non-empty strings"
    if aliases is None:
        return f"{where}.aliases must be an array of {{alias_label, alias_name}} objects"
    if not isinstance(remove, bool):
        return f"{where}.should_remove must be a boolean"
    return Change(user_ids, device_ids, aliases, remove)


def parse_changes(body: dict[str, Any]) -> tuple[list[Change], list[str]]:
    """``(changes, problems)`` of a ``/cohorts/users`` body (auth excluded)."""
    problems = check_cohort_id(body)
    raw = body.get("cohort_changes")
    if not isinstance(raw, list) or not raw:
        return [], [*problems, "cohort_changes must be a non-empty array of objects"]
    changes: list[Change] = []
    for index, item in enumerate(raw):
        parsed = _change(index, item)
        if isinstance(parsed, str):
            problems.append(parsed)
        else:
            changes.append(parsed)
    total = sum(change.size for change in changes)
    if total > MAX_IDS:
        problems.append(f"too many ids: {total} in one request, at most {MAX_IDS} allowed")
    return changes, problems
