"""The Braze side of the pipe in simulated time: batching, retry matrix, horizons, ledger."""

from simulator.connector.credentials import CREDENTIALS_EXPIRED, RETRIES_EXHAUSTED, Horizons
from simulator.connector.ledger import DELIVERED, DROPPED, QUEUED, SKIPPED, Entry, Ledger
from simulator.connector.model import Action, Connector, ConnectorConfig, Strategy
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
    "Action",
    "Connector",
    "ConnectorConfig",
    "ControlledSink",
    "Entry",
    "Horizons",
    "InProcessSink",
    "Ledger",
    "Reaction",
    "RetryPolicy",
    "Sink",
    "SinkResponse",
    "Strategy",
    "classify",
]
