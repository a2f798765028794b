"""misconfigured-device: one device above 30 events/s in each connector's stream.

The connector retries whole batches (Braze's behaviour), so normal devices' events wait behind
the hot device's 429s: the thresholds require their p95 delivery delay to reach 30 s.
"""

from load import hooks  # noqa: F401  (registers the start and quitting hooks)
from load.users import ConnectorUser


class MisconfiguredConnector(ConnectorUser):
    """Its events and hot device come from the scenario table (load/scenario_table.py)."""
