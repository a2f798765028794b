"""The shell around ``simulator.delivery``: Braze's deliveries done for real.

``http_transport`` POSTs Custom HTTP batches over kept-alive connections; ``driver`` feeds a
delivery in real time (a rate, a duration, a drain); ``storage`` writes Braze's Avro files to a
folder or an S3-compatible store; ``pytest_plugin`` is the ``currents_sender`` fixture.
"""
