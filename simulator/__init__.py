"""currents-sim pure core: what happens, with no HTTP, no wall clock and no global randomness.

Every time-dependent object takes a :class:`simulator.clock.Clock`; every random choice goes
through a seeded ``random.Random`` passed in.
"""
