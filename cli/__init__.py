"""The ``currents-sim`` command line: a thin shell around the core and the mocks."""
