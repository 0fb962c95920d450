"""The one table of exit statuses of every `semaine` verb and Dagger function."""

from __future__ import annotations

import enum


class ExitStatus(enum.IntEnum):
    """What a verb's exit status means (the same table as `app.exit_status`)."""

    DONE = 0
    """Done: every gate passed, or the operation completed (or had nothing to do)."""
    FAILED = 1
    """Failed: a gate failed, or the operation failed."""
    REFUSED = 2
    """Refused or usage error: nothing was changed (argparse uses 2 for usage errors)."""
    INCONCLUSIVE = 3
    """Nothing failed, but something could not be checked."""
    INTERRUPTED = 130
    """Interrupted (Ctrl-C): the shell's convention, 128 + SIGINT."""
