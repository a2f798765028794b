"""credential-expiry: the key expires, the outage outlasts the 48 h horizon, events are lost.

The mock clock runs 3600x (1 s = 1 h); connector users keep retrying every 2-5 simulated minutes
and drop events undelivered 48 h after their first failure; the key comes back after 60 h.
"""

from load import hooks  # noqa: F401  (registers the start and quitting hooks)
from load.users import ConnectorUser


class ExpiringKeyConnector(ConnectorUser):
    """Its events and hot device come from the scenario table (load/scenario_table.py)."""
