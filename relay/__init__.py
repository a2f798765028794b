"""The reference relay's shell: Braze's Custom HTTP Currents in, Amplitude's HTTP API out.

``relay.outbox`` (SQLite), ``relay.delivery`` (the thread that drives the core's
``simulator.relay.RelayEngine`` on the wall clock), ``relay.app`` (the WSGI receiver) and
``relay.service`` (all three wired together). The logic lives in ``simulator.relay``.
"""
