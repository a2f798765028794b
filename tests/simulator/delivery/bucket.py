"""A storage delivery on an in-memory bucket, and email events to offer it, for the storage and
replay tests."""

from __future__ import annotations

from typing import Any

from simulator.clock import ManualClock
from simulator.delivery.storage import StorageDelivery, StorageFile, StorageLayout
from tests.conftest import T0

OPEN = "users.messages.email.Open"
LAYOUT = StorageLayout("5f0c0ffee5f0c0ffee5f0c0f", prefix="currents")


class Bucket:
    def __init__(self, error: str | None = None) -> None:
        self.files: list[StorageFile] = []
        self.error = error

    def put(self, file: StorageFile) -> str | None:
        if self.error is None:
            self.files.append(file)
        return self.error


def event(n: int, event_type: str = OPEN, at: float = T0) -> dict[str, Any]:
    return {"event_type": event_type, "id": f"{event_type}-{n}", "time": int(at),
            "user_id": f"u{n}", "email_address": "a@b.c"}  # fmt: skip


def storage(clock: ManualClock, **options: Any) -> tuple[StorageDelivery, Bucket]:
    bucket = Bucket(options.pop("error", None))
    return StorageDelivery(bucket, clock, LAYOUT, **options), bucket
