"""Deliberately broken connectors: the reference relay with one defect each, to prove that
``currents-sim load --connector`` catches what a team's connector could get wrong.

    python -m tests.load.broken_relay DEFECT --amplitude URL --api-key K

prints its URL first, like ``currents-sim relay``, and serves until SIGTERM. Each defect is a
few lines over the relay's public seams (``ConnectorConfig.transformer`` and ``.strategy``).
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from relay.running import Relay
from simulator.connector import ConnectorConfig, Strategy
from simulator.connector.batching import Batch
from simulator.connector.model import Connector
from simulator.connector.sink import SinkResponse
from simulator.currents.catalogue import Profile
from simulator.transform import Result, Transformed, transform


def _edited(edit: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any], Profile], Result]:
    def transformer(record: dict[str, Any], profile: Profile) -> Result:
        result = transform(record, profile)
        if isinstance(result, Transformed):
            edit(result.event)
        return result

    return transformer


def _seconds(event: dict[str, Any]) -> None:
    event["time"] //= 1000


def _lowercase_prefix(event: dict[str, Any]) -> None:
    event["event_type"] = event["event_type"].replace("[Appboy]", "[appboy]", 1)


class DropOnThrottle:
    """Gives up on a throttled batch at once: every event in it is lost."""

    def on_throttled(
        self, connector: Connector, batch: Batch, response: SinkResponse, now: float
    ) -> None:
        connector.drop_head(now, "gave up after a 429")


# The good connector: per-device holds (Amplitude's advice), batches flushed after 1 s.
GOOD = ConnectorConfig(strategy=Strategy.PER_DEVICE, batch_wait_s=1.0)
DEFECTS: dict[str, ConnectorConfig] = {
    "time-in-seconds": replace(GOOD, transformer=_edited(_seconds)),
    "lowercase-appboy": replace(GOOD, transformer=_edited(_lowercase_prefix)),
    "drops-after-429": replace(GOOD, strategy=DropOnThrottle()),
    "retries-throttled-batch-whole": replace(GOOD, strategy=Strategy.BRAZE),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="broken_relay")
    parser.add_argument("defect", choices=[*DEFECTS, "none"])
    parser.add_argument("--amplitude", required=True)
    parser.add_argument("--api-key", required=True)
    parser.add_argument(
        "--credentials-retry", type=float, help="seconds between retries after a refused key"
    )
    args = parser.parse_args(argv)
    config = GOOD if args.defect == "none" else DEFECTS[args.defect]
    if args.credentials_retry is not None:
        wait = args.credentials_retry
        policy = replace(config.policy, credentials_retry_min_s=wait, credentials_retry_max_s=wait)
        config = replace(config, policy=policy)
    relay = Relay(args.amplitude, args.api_key, config=config)
    print(relay.url, flush=True)
    signal.signal(signal.SIGTERM, lambda *_: relay.stop())
    try:
        relay.run()
    finally:
        relay.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
