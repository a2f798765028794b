"""``currents-sim relay``: the reference relay, a real service. It receives Braze's Custom HTTP
Currents, stores each accepted batch in a SQLite outbox before answering 2xx, transforms with the
reference transformer and delivers to Amplitude (``/2/httpapi`` of our mock or any URL) with the
connector model's batching and retry rules on the wall clock.

The first line on stdout is the base URL (``--listen 127.0.0.1:0`` picks a free port); details go
to stderr. SIGTERM or SIGINT: stop accepting, finish the requests in flight, exit 0; undelivered
batches stay in the outbox and are replayed at the next start.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from types import FrameType

from cli.durations import duration, positive_duration
from cli.errors import CliError

HELP = "run the reference relay: Braze Custom HTTP Currents in, Amplitude /2/httpapi out"
# How long a thread may hold the GIL while another waits for it (Python's default: 5 ms). The
# delivery thread blocks on every request to Amplitude and then waits for the GIL while receiving
# threads parse and transform; at 5 ms such waits took as long as the requests themselves
# (profiled: ~1.7 ms per send under load). The relay process is its own, so it is set here.
SWITCH_INTERVAL_S = 0.0005


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--listen",
        default="127.0.0.1:8090",
        metavar="HOST:PORT",
        help="where Braze posts (default 127.0.0.1:8090; port 0 picks a free one)",
    )
    parser.add_argument(
        "--amplitude",
        required=True,
        metavar="URL",
        help="Amplitude to deliver to: a base URL (gets /2/httpapi) or a full endpoint URL",
    )
    parser.add_argument("--api-key", required=True, metavar="K", help="Amplitude project API key")
    parser.add_argument(
        "--token", metavar="T", help="bearer token Braze must send (default: none required)"
    )
    parser.add_argument(
        "--strategy",
        choices=("braze", "per-device"),
        default="braze",
        help="reaction to a 429: braze retries the whole batch (default), per-device holds back "
        "only the throttled events",
    )
    parser.add_argument(
        "--horizon",
        type=duration,
        default=48 * 3600.0,
        metavar="DURATION",
        help="drop events undelivered this long after invalid credentials (default 48h)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="the outbox folder (kept across restarts); default: a temporary one, removed on exit",
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=100,
        metavar="N",
        help="events per Amplitude request (default 100, Braze's; Amplitude takes up to 2000)",
    )
    parser.add_argument(
        "--flush",
        type=positive_duration,
        default=1.0,
        metavar="DURATION",
        help="send a batch that is not full after this wait (default 1s: Braze already batched)",
    )
    parser.add_argument(
        "--durable",
        action="store_true",
        help="fsync every stored batch (survives power loss; without it, a killed process "
        "still loses nothing)",
    )


def _listen(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise CliError(f"--listen must be HOST:PORT with a port within 0-65535 (got {text!r})")
    return host, int(port)


def run(args: argparse.Namespace) -> int:
    host, port = _listen(args.listen)
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    if not 1 <= args.batch_size <= 2000:
        raise CliError(f"--batch-size must be within 1-2000 (got {args.batch_size})")
    from relay.outbox import OutboxError
    from relay.running import Relay
    from simulator.connector import ConnectorConfig, RetryPolicy, Strategy

    config = ConnectorConfig(
        batch_size=args.batch_size,
        batch_wait_s=args.flush,
        strategy=Strategy(args.strategy),
        policy=RetryPolicy(credentials_horizon_s=args.horizon),
    )
    try:
        relay = Relay(
            args.amplitude,
            args.api_key,
            config=config,
            token=args.token,
            data_dir=args.data_dir,
            host=host,
            port=port,
            durable=args.durable,
        )
    except ValueError as exc:
        raise CliError(f"--amplitude: {exc}") from None
    except OutboxError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"cannot listen on {args.listen}: {exc.strerror or exc}") from None

    def stop(signum: int, frame: FrameType | None) -> None:
        relay.stop()

    # Before the URL goes out: whoever reads it may signal at once.
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(relay.url, flush=True)
    _describe(relay, args)
    try:
        relay.run()
    finally:
        relay.close()
    return 0


def _describe(relay: object, args: argparse.Namespace) -> None:
    from relay.running import Relay

    assert isinstance(relay, Relay)
    where = (
        f"a temporary outbox in {relay.data_dir} (removed on exit: use --data-dir to keep "
        "undelivered batches across restarts)"
        if relay.temporary
        else f"outbox {relay.data_dir}"
    )
    replayed = relay.service.replayed
    print(
        f"currents-sim: relay on {relay.url} (POST Custom HTTP Currents; GET /health, /stats) -> "
        f"{args.amplitude} as {args.strategy}; {where}"
        + (f"; replaying {replayed} undelivered events" if replayed else ""),
        file=sys.stderr,
        flush=True,
    )
