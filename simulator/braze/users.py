"""The registry of users that already exist in a Braze workspace.

Cohort import never creates users: only users already known to Braze are added to or removed
from a cohort (BRAZE_CURRENTS.md §5.1, [AMP-CI], [AMPD-COH]). A user is found by

- ``external_id`` (Amplitude's ``user_id``), for identified users;
- a user alias ``(alias_label, alias_name)``, for any user that has one;
- a ``device_id``, **only for anonymous users** (no ``external_id``): "If you send a device ID for
  an identified user, Braze neither adds nor removes that user" ([COH]), and an identified user
  who started out anonymous cannot be matched by ``device_id`` ([AMP-CI]).

``resolve`` therefore answers a verdict with its reason, never a bare ``None``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

USER_ID = "user_id"
DEVICE_ID = "device_id"
ALIAS = "alias"
KINDS = (USER_ID, DEVICE_ID, ALIAS)

UNKNOWN = "no such user in this workspace (cohort import never creates users)"
IDENTIFIED_DEVICE = "device id of an identified user: Braze neither adds nor removes it"


@dataclass
class BrazeUser:
    """One Braze user profile: an internal id plus the identifiers cohort import can use."""

    braze_id: str
    external_id: str | None = None
    device_ids: set[str] = field(default_factory=set)
    aliases: set[tuple[str, str]] = field(default_factory=set)

    @property
    def identified(self) -> bool:
        return self.external_id is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "braze_id": self.braze_id,
            "external_id": self.external_id,
            "device_ids": sorted(self.device_ids),
            "aliases": [{"alias_label": lb, "alias_name": nm} for lb, nm in sorted(self.aliases)],
            "identified": self.identified,
        }


@dataclass(frozen=True)
class Resolution:
    """Which user an identifier names, or why it names none."""

    user: BrazeUser | None
    reason: str | None = None


class UserRegistry:
    """Existing users of one workspace, looked up by external id, alias or device id."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self.users: dict[str, BrazeUser] = {}
        self._by_external: dict[str, BrazeUser] = {}
        self._by_device: dict[str, BrazeUser] = {}
        self._by_alias: dict[tuple[str, str], BrazeUser] = {}

    def add(
        self,
        *,
        external_id: str | None = None,
        device_ids: list[str] | tuple[str, ...] = (),
        aliases: list[tuple[str, str]] | tuple[tuple[str, str], ...] = (),
    ) -> BrazeUser:
        """Create a user, or extend the one that already holds one of these identifiers.

        Raises ``ValueError`` when the identifiers belong to two different existing users, or
        when no identifier is given at all.
        """
        if external_id is None and not device_ids and not aliases:
            raise ValueError("a user needs an external_id, a device_id or an alias")
        owners = {id(u): u for u in self._owners(external_id, device_ids, aliases)}
        if len(owners) > 1:
            raise ValueError("these identifiers belong to different existing users")
        user = next(iter(owners.values()), None)
        if user is None:
            user = BrazeUser(f"braze-{next(self._ids):08d}")
            self.users[user.braze_id] = user
        if external_id is not None:
            if user.external_id not in (None, external_id):
                raise ValueError(f"user {user.braze_id} already has external_id {user.external_id}")
            user.external_id = external_id
            self._by_external[external_id] = user
        for device_id in device_ids:
            user.device_ids.add(device_id)
            self._by_device[device_id] = user
        for alias in aliases:
            user.aliases.add(alias)
            self._by_alias[alias] = user
        return user

    def _owners(
        self,
        external_id: str | None,
        device_ids: list[str] | tuple[str, ...],
        aliases: list[tuple[str, str]] | tuple[tuple[str, str], ...],
    ) -> list[BrazeUser]:
        found = [self._by_external.get(external_id)] if external_id is not None else []
        found += [self._by_device.get(d) for d in device_ids]
        found += [self._by_alias.get(a) for a in aliases]
        return [u for u in found if u is not None]

    def remove(self, braze_id: str) -> BrazeUser | None:
        """Delete a user profile (its identifiers then resolve to nobody)."""
        user = self.users.pop(braze_id, None)
        if user is None:
            return None
        if user.external_id is not None:
            self._by_external.pop(user.external_id, None)
        for device_id in user.device_ids:
            self._by_device.pop(device_id, None)
        for alias in user.aliases:
            self._by_alias.pop(alias, None)
        return user

    def resolve(self, kind: str, value: str | tuple[str, str]) -> Resolution:
        """The user an identifier of ``kind`` (``KINDS``) names, with a reason when none."""
        if kind == USER_ID and isinstance(value, str):
            user = self._by_external.get(value)
        elif kind == ALIAS and isinstance(value, tuple):
            user = self._by_alias.get(value)
        elif kind == DEVICE_ID and isinstance(value, str):
            user = self._by_device.get(value)
            if user is not None and user.identified:
                return Resolution(None, IDENTIFIED_DEVICE)
        else:
            raise ValueError(f"unknown identifier kind {kind!r}")
        return Resolution(user, None if user is not None else UNKNOWN)

    def get(self, braze_id: str) -> BrazeUser | None:
        return self.users.get(braze_id)

    def __len__(self) -> int:
        return len(self.users)

    def clear(self) -> None:
        self.users.clear()
        self._by_external.clear()
        self._by_device.clear()
        self._by_alias.clear()
