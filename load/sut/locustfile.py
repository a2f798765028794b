"""Locustfile of every connector-under-test scenario: Braze partitions posting Custom HTTP
Currents to the connector (``load.sut.users``), judged by ``load.sut.hooks``."""

from load.sut import hooks  # noqa: F401  (registers the start and quitting hooks)
from load.sut.users import BrazeSender


class Braze(BrazeSender):
    """Its events, rate and hot device come from the scenario table (load/sut/table.py)."""
