"""steady: many normal devices through connector users; nothing lost, nothing throttled."""

from load import hooks  # noqa: F401  (registers the start and quitting hooks)
from load.users import ConnectorUser


class SteadyConnector(ConnectorUser):
    """Its events and hot device come from the scenario table (load/scenario_table.py)."""
