"""``Relay``: a whole relay served on a port, the one public way to run one (the CLI's
``currents-sim relay``, the tests, the benchmark, and variants with another transformer or 429
strategy all build it here).

    config = ConnectorConfig(strategy=MyThrottleStrategy(), transformer=my_transform)
    with Relay("http://127.0.0.1:8080", "KEY", config=config) as relay:
        relay.start()
        ...  # Braze posts to relay.url
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from relay.app import create_app
from relay.outbox import Outbox
from relay.server import THREADS, Server
from relay.service import Service, amplitude_sink
from simulator.clock import SystemClock
from simulator.connector import ConnectorConfig


class Relay:
    """Receive on ``host:port`` (0: a free port), deliver to ``amplitude_url`` with ``api_key``.

    ``data_dir`` holds the outbox; without one, a temporary folder (removed on close: then a
    restart starts empty, said by ``temporary``). ``durable`` fsyncs every commit (power loss
    too; without it a killed process still loses nothing).
    """

    def __init__(
        self,
        amplitude_url: str,
        api_key: str,
        *,
        config: ConnectorConfig | None = None,
        token: str | None = None,
        data_dir: Path | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        durable: bool = False,
        threads: int = THREADS,
    ) -> None:
        clock = SystemClock()
        sink = amplitude_sink(amplitude_url, clock)  # ValueError on a bad URL, before any file
        self._sink = sink  # its connection opens on the first delivery, closed by close()
        self._tmp = (
            tempfile.TemporaryDirectory(prefix="currents-relay-") if data_dir is None else None
        )
        self.temporary = self._tmp is not None
        self.data_dir = Path(self._tmp.name) if self._tmp is not None else data_dir
        assert self.data_dir is not None
        config = replace(config or ConnectorConfig(), api_key=api_key)
        try:
            outbox = Outbox(self.data_dir, durable=durable)
        except BaseException:
            self._cleanup()
            raise
        try:
            self.service = Service(sink, outbox, config, token=token, clock=clock)
            self.server = Server(create_app(self.service), host, port, threads=threads)
        except BaseException:
            outbox.close()
            self._cleanup()
            raise

    @property
    def url(self) -> str:
        return self.server.url

    def start(self) -> Relay:
        """Deliver and serve in background threads."""
        self.service.start()
        self.server.start()
        return self

    def run(self) -> None:
        """Deliver in the background and serve in this thread until ``stop()``."""
        self.service.start()
        self.server.run()

    def stop(self) -> None:
        """Stop accepting and finish the requests in flight (safe from a signal handler)."""
        self.server.stop()

    def close(self) -> None:
        """Stop serving, stop delivering after the request in flight, close the outbox."""
        self.server.stop()
        self.server.wait(15.0)
        self.service.close()
        self._sink.close()
        self._cleanup()

    def _cleanup(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> Relay:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
