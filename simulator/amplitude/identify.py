"""User and group property operations, applied to properties kept per user and per group.

Operations (AMPLITUDE_API.md §2.4, [IDENT], Amplitude-Python ``constants.py``, analytics-core
``identify.js``): ``$set``, ``$setOnce``, ``$add``, ``$append``, ``$prepend``, ``$unset``,
``$preInsert``, ``$postInsert``, ``$remove``, ``$clearAll``. A ``user_properties`` object with no
operation key is a plain ``$set`` (Amplitude-Java#96). Amplitude does not document the order in
which several operations of one object apply; the mock applies them in ``ORDER`` below.
"""

from __future__ import annotations

from typing import Any

Props = dict[str, Any]


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _add(props: Props, values: Props) -> None:
    for key, inc in values.items():
        current = props.get(key, 0)
        numeric = (int, float)
        if isinstance(inc, numeric) and isinstance(current, numeric):
            props[key] = current + inc


def _append(props: Props, values: Props) -> None:
    """A missing property starts as an empty list; a scalar becomes a one-item list."""
    for key, value in values.items():
        props[key] = (_as_list(props[key]) if key in props else []) + _as_list(value)


def _prepend(props: Props, values: Props) -> None:
    for key, value in values.items():
        props[key] = _as_list(value) + (_as_list(props[key]) if key in props else [])


def _insert(props: Props, values: Props, *, front: bool) -> None:
    for key, value in values.items():
        current = _as_list(props[key]) if key in props else []
        new = [v for v in _as_list(value) if v not in current]
        props[key] = new + current if front else current + new


def _remove(props: Props, values: Props) -> None:
    for key, value in values.items():
        if key in props:
            gone = _as_list(value)
            props[key] = [v for v in _as_list(props[key]) if v not in gone]


def _set(props: Props, values: Props) -> None:
    props.update(values)


def _set_once(props: Props, values: Props) -> None:
    for key, value in values.items():
        props.setdefault(key, value)


def _unset(props: Props, values: Props) -> None:
    for key in values:
        props.pop(key, None)


def _pre_insert(props: Props, values: Props) -> None:
    _insert(props, values, front=True)


def _post_insert(props: Props, values: Props) -> None:
    _insert(props, values, front=False)


ORDER = (
    ("$unset", _unset),
    ("$setOnce", _set_once),
    ("$set", _set),
    ("$add", _add),
    ("$append", _append),
    ("$prepend", _prepend),
    ("$preInsert", _pre_insert),
    ("$postInsert", _post_insert),
    ("$remove", _remove),
)
OPERATIONS = frozenset({"$clearAll", *(name for name, _ in ORDER)})


def apply(props: Props, operations: Props) -> None:
    """Apply one ``user_properties``/``group_properties`` object to ``props`` in place."""
    if not any(key in OPERATIONS for key in operations):
        _set(props, operations)
        return
    if "$clearAll" in operations:
        props.clear()
    for name, op in ORDER:
        values = operations.get(name)
        if isinstance(values, dict):
            op(props, values)


class Properties:
    """Per-user (by ``user_id``, else ``device_id``) and per-group properties of one project."""

    def __init__(self) -> None:
        self.users: dict[str, Props] = {}
        self.devices: dict[str, Props] = {}
        self.groups: dict[tuple[str, str], Props] = {}

    def apply_event(self, event: dict[str, Any]) -> None:
        """Apply an ingested event's property operations (identify, group identify, plain)."""
        if event.get("event_type") == "$groupidentify":
            self._apply_groups(event)
            return
        ops = event.get("user_properties")
        if not isinstance(ops, dict) or not ops:
            return
        user_id, device_id = event.get("user_id"), event.get("device_id")
        if isinstance(user_id, str):
            apply(self.users.setdefault(user_id, {}), ops)
        elif isinstance(device_id, str):
            apply(self.devices.setdefault(device_id, {}), ops)

    def _apply_groups(self, event: dict[str, Any]) -> None:
        groups, ops = event.get("groups"), event.get("group_properties")
        if not isinstance(groups, dict) or not isinstance(ops, dict):
            return
        for group_type, names in groups.items():
            for name in names if isinstance(names, list) else [names]:
                apply(self.groups.setdefault((group_type, str(name)), {}), ops)

    def user(self, user_id: str | None = None, device_id: str | None = None) -> Props | None:
        if user_id is not None:
            return self.users.get(user_id)
        return self.devices.get(device_id) if device_id is not None else None

    def group(self, group_type: str, group_value: str) -> Props | None:
        return self.groups.get((group_type, group_value))

    def clear(self) -> None:
        self.users.clear()
        self.devices.clear()
        self.groups.clear()
