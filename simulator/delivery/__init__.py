"""Braze's side of the pipe, on an injected clock: Custom HTTP delivery (``http``), storage files
(``storage``) and the sender's ledger (``ledger``). The I/O lives in the ``senders`` shell."""

from simulator.delivery.http import (
    EMPTY_BATCH,
    HEADERS,
    Answer,
    DeliveryConfig,
    HttpDelivery,
    Transport,
    envelope_of,
    refusal,
)
from simulator.delivery.ledger import ACKNOWLEDGED, DeliveryLedger

__all__ = [
    "ACKNOWLEDGED",
    "EMPTY_BATCH",
    "HEADERS",
    "Answer",
    "DeliveryConfig",
    "DeliveryLedger",
    "HttpDelivery",
    "Transport",
    "envelope_of",
    "refusal",
]
