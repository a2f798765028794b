"""The shell around ``simulator.delivery``: Braze's deliveries done for real.

- ``http_transport.HttpTransport``: POSTs Custom HTTP batches over a kept-alive connection (the
  ``simulator.delivery.Transport`` the core calls).
- ``driver.drive(records, delivery, Bounds(count, duration_s, rate, drain_s))``: feeds any core
  delivery in real time and drains it.
- ``storage``: Avro bytes of a ``StorageFile`` (``encode``), ``DirStore`` and ``S3Store``.
- ``pytest_plugin``: the ``currents_sender`` fixture.

A Braze user of one connector partition is ``HttpDelivery(HttpTransport(url, token),
SystemClock(), DeliveryConfig(...), ledger=DeliveryLedger())`` driven by ``drive``; its ledger
says what was sent when, what the connector acknowledged and what was dropped.
"""
