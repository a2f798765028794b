"""Errors the CLI reports as one line on stderr with exit code 2 (usage or input error)."""


class CliError(Exception):
    """A problem the user can fix: printed as ``currents-sim: <message>``, exit 2."""

    exit_code = 2
