"""Load scenarios against a connector under test (``currents-sim load SCENARIO --connector URL``).

The team's connector sits between the two halves of this harness: Locust users play Braze
(``simulator.delivery``'s Custom HTTP emulator, one connector partition each) and post Currents
batches to the connector; the connector forwards to our Amplitude mock with API key ``K``. The
truth is the mock's journal for ``K`` joined with the senders' ledgers (``truth``); the content
of every delivered event is graded by the conformance checker against the reference
transformer. Thresholds and rules give the exit code; ``junit.xml`` carries them to CI.
"""
