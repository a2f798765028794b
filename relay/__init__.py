"""The reference relay's shell: Braze's Custom HTTP Currents in, Amplitude's HTTP API out.

``relay.running.Relay`` is the one way to run one (the CLI, tests, the benchmark, variants).
Inside: ``relay.app`` (the WSGI receiver) on ``relay.server`` (waitress with a graceful stop),
``relay.service`` (contract + outbox + delivery + Amplitude sink), ``relay.outbox`` (SQLite)
and ``relay.delivery`` (the thread driving the core's ``simulator.relay.RelayEngine`` on the
wall clock). The logic lives in ``simulator.relay`` and ``simulator.connector``.
"""
