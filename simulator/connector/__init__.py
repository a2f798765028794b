"""The Braze side of the pipe in simulated time: batching, retry matrix, horizons, ledger."""

from simulator.connector.credentials import CREDENTIALS_EXPIRED, RETRIES_EXHAUSTED, Horizons
from simulator.connector.ledger import DELIVERED, DROPPED, QUEUED, SKIPPED, Entry, Ledger
from simulator.connector.model import (
    STRATEGIES,
    Action,
    Connector,
    ConnectorConfig,
    HoldThrottledEvents,
    Strategy,
    ThrottleStrategy,
    Transformer,
    WholeBatchBackoff,
    throttled_indices,
)
from simulator.connector.retry import RULES, Reaction, RetryPolicy, classify
from simulator.connector.sink import ControlledSink, InProcessSink, Sink, SinkResponse

__all__ = [
    "CREDENTIALS_EXPIRED",
    "DELIVERED",
    "DROPPED",
    "QUEUED",
    "RETRIES_EXHAUSTED",
    "RULES",
    "SKIPPED",
    "STRATEGIES",
    "Action",
    "Connector",
    "ConnectorConfig",
    "ControlledSink",
    "Entry",
    "HoldThrottledEvents",
    "Horizons",
    "InProcessSink",
    "Ledger",
    "Reaction",
    "RetryPolicy",
    "Sink",
    "SinkResponse",
    "Strategy",
    "ThrottleStrategy",
    "Transformer",
    "WholeBatchBackoff",
    "classify",
    "throttled_indices",
]
