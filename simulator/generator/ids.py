"""The ids generated events carry: UUIDs (event, device, send ids), made ahead in batches, and
Braze's 24-hex-digit ids (user and dispatch ids), as in Braze's sample files.

UUIDs are the most frequent value of a stream (every event has one), so they are made
``UUID_BATCH`` at a time from one draw of random bytes and handed out one by one; record and
line builders take them from ``Ids.stock`` inline, without a call per event.
"""

from __future__ import annotations

from collections.abc import Callable
from random import Random

UUID_BATCH = 1024
# Where each of a UUID's 32 hex digits goes in its line "xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx\n".
_UUID_COLUMNS = tuple((j, j + sum(j >= dash for dash in (8, 12, 16, 20))) for j in range(32))
_VARIANT_NIBBLE = bytes.maketrans(b"0123456789abcdef", b"89ab" * 4)  # RFC 4122 variant: 10xx

DEVICE_CLASSES = ("normal", "heavy", "misconfigured", "quota")
NO_DEVICE = "no-device"  # the class every report gives events without a device (one spelling)


def uuid_batch(rng: Random, k: int) -> list[str]:
    """``k`` random version-4 UUIDs, from one draw of random bytes.

    All the hex digits are made in one call, then moved into their places in ``k`` lines a
    column at a time (one strided copy per digit position, in C), and the lines split apart:
    no Python statement runs per UUID.
    """
    digits = rng.randbytes(16 * k).hex().encode()
    lines = bytearray((b"-" * 36 + b"\n") * k)
    for src, dst in _UUID_COLUMNS:
        lines[dst::37] = digits[src::32]
    lines[14::37] = b"4" * k  # the version nibble
    lines[19::37] = digits[16::32].translate(_VARIANT_NIBBLE)
    return lines[:-1].decode().split("\n")


def braze_ids(rng: Random, k: int) -> list[str]:
    """``k`` Braze ids (24 hex digits each), formatted from one draw of random bits."""
    digits = f"{rng.getrandbits(96 * k):0{24 * k}x}"
    return [digits[i : i + 24] for i in range(0, 24 * k, 24)]


def device_class(device_id: str | None) -> str | None:
    """The class of a generated device, read from its id (``<class>-<uuid>``; bare UUID: normal).

    ``None`` for events without a device. Load tests and the connector report delays per class.
    """
    if device_id is None:
        return None
    prefix, _, rest = device_id.partition("-")
    return prefix if rest and prefix in DEVICE_CLASSES else "normal"


class Ids:
    """One provider's ids, drawn from its seeded random (``rng()`` gives it, checked)."""

    __slots__ = ("rng", "stock")

    def __init__(self, rng: Callable[[], Random]) -> None:
        self.rng = rng
        self.stock: list[str] = []  # UUIDs made ahead; builders pop from it inline

    def uuid(self) -> str:
        """A random (version 4) UUID, from the stock (refilled a batch at a time)."""
        stock = self.stock
        if not stock:
            stock.extend(uuid_batch(self.rng(), UUID_BATCH))
        return stock.pop()

    def device_id(self, device_class: str = "normal") -> str:
        """A device id; non-normal classes carry their class as a prefix (``device_class``)."""
        uuid = self.uuid().upper()
        return uuid if device_class == "normal" else f"{device_class}-{uuid}"

    def braze_id(self) -> str:
        """One Braze id (a user or dispatch id)."""
        return braze_ids(self.rng(), 1)[0]

    def braze_ids(self, k: int) -> list[str]:
        """``k`` Braze ids at once, from one draw of random bits."""
        return braze_ids(self.rng(), k)
