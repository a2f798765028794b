"""quota-exhaustion: one device drives through the daily quota on a fast clock."""

from load import hooks  # noqa: F401  (registers the start and quitting hooks)
from load.users import ConnectorUser


class QuotaConnector(ConnectorUser):
    """Its events and hot device come from the scenario table (load/scenario_table.py)."""
