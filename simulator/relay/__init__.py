"""The reference relay's logic, pure: Braze's receiver contract, and the connector model driven
one request at a time with a counting ledger that knows which stored batch each event came from.

The shell (``relay/``) only adds HTTP, SQLite and the wall clock.
"""

from simulator.relay.engine import Prepared, RelayEngine
from simulator.relay.receiver import Answer, parse_events, receive
from simulator.relay.tally import Tally

__all__ = ["Answer", "Prepared", "RelayEngine", "Tally", "parse_events", "receive"]
