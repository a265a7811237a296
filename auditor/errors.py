"""One exception family for user errors: printed as one line, exit code 2, no traceback."""


class AuditorError(Exception):
    """A problem the user can fix (bad flag, bad rules file, missing input)."""

    exit_code = 2


class RulesError(AuditorError):
    """A rules file is malformed; the message names the file (and line when known)."""
