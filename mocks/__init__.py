"""Flask shells serving the core over HTTP: Amplitude and Braze cohort import, plus ``/_mock``."""
