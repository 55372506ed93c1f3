"""Errors the command line reports as one line and a non-zero exit code."""


class MockmleError(Exception):
    """A problem the user can fix; shown without a traceback."""

    exit_code = 1


class UsageError(MockmleError):
    """Bad input: a malformed file, an unknown id, a missing argument."""

    exit_code = 2
