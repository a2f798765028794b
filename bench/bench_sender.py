"""Braze's Custom HTTP delivery (``currents-sim send``'s engine): events/s to a local sink.

A minimal sink (asyncio, HTTP/1.1 keep-alive, reads each body and answers 200 with ``{}``) runs
in a subprocess on 127.0.0.1:0, so that it has the other core. The events are generated and
turned into Custom HTTP envelopes *before* the clock starts (the generator has its own bench):
what is timed is the sender itself, as ``send`` runs it: offering each event to ``HttpDelivery``
(one queue per type, 100-event batches, pre-encoded with orjson, a ledger row each), the driver
loop on the wall clock, the POSTs over one kept-alive ``http.client`` connection and the
classification of every answer. Bounded: EVENTS events, then a drain of at most 30 s.
Target (issue 15): >= 50,000 events/s. Prints figures; asserts nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

TARGET_EPS = 50_000
EVENTS = 200_000

SINK = r"""
import asyncio, sys

OK = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"

class Sink(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport, self.buffer, self.need = transport, bytearray(), None

    def data_received(self, data):
        self.buffer += data
        while True:
            if self.need is None:
                end = self.buffer.find(b"\r\n\r\n")
                if end < 0:
                    return
                length = 0
                for line in self.buffer[:end].lower().split(b"\r\n"):
                    if line.startswith(b"content-length:"):
                        length = int(line[15:])
                del self.buffer[:end + 4]
                self.need = length
            if len(self.buffer) < self.need:
                return
            del self.buffer[:self.need]
            self.need = None
            self.transport.write(OK)

async def main():
    server = await asyncio.get_running_loop().create_server(Sink, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await asyncio.wait_for(asyncio.get_running_loop().create_future(), timeout=600)

asyncio.run(main())
"""


def main() -> None:
    from senders.driver import Bounds, drive
    from senders.http_transport import HttpTransport
    from simulator.clock import SystemClock
    from simulator.currents.shapes import flat_to_http
    from simulator.delivery import DeliveryConfig, DeliveryLedger, HttpDelivery
    from simulator.generator import generate

    events = [flat_to_http(e) for e in generate(EVENTS, seed=0, start=1.7e9, duration=3600.0)]
    sink = subprocess.Popen([sys.executable, "-c", SINK], stdout=subprocess.PIPE, text=True)
    try:
        assert sink.stdout is not None
        url = f"http://127.0.0.1:{int(sink.stdout.readline())}/currents"
        ledger = DeliveryLedger(keep_events=False)
        with HttpTransport(url) as transport:
            delivery = HttpDelivery(transport, SystemClock(), DeliveryConfig(), ledger=ledger)
            started, cpu = time.perf_counter(), time.process_time()
            drive(events, delivery, Bounds(drain_s=30.0))
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        sink.terminate()
        sink.wait(timeout=10)
        if sink.stdout is not None:
            sink.stdout.close()
    summary = ledger.summary()
    eps = summary["acknowledged"] / wall
    verdict = "ok" if eps >= TARGET_EPS else "UNDER TARGET"
    print(
        f"   sender to a local sink: {summary['acknowledged']:,} of {EVENTS:,} events acknowledged "
        f"in {wall:.2f} s wall: {eps:,.0f} events/s (target >= {TARGET_EPS:,}: {verdict}); "
        f"{summary['requests']:,} requests, latency p50 {summary['latency_ms']['p50']} ms, "
        f"p95 {summary['latency_ms']['p95']} ms",
        flush=True,
    )
    # On a shared machine the wall figure includes waiting for a core; the sender's own CPU
    # time says what one free core would do (load average now: os.getloadavg()).
    print(
        f"   sender CPU {cpu:.2f} s: {summary['acknowledged'] / cpu:,.0f} events per CPU-second; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
        flush=True,
    )
