"""The exit statuses of `python -m app` (the same table as the pipeline's `semaine` verbs)."""

from __future__ import annotations

import enum


class ExitStatus(enum.IntEnum):
    """What a command's exit status means (kept equal to `semaine.exit_status`)."""

    DONE = 0
    """Done: the operation completed (or had nothing to do)."""
    FAILED = 1
    """Failed: the operation failed (a data operation says what state it left)."""
    REFUSED = 2
    """Refused or usage error: nothing was changed (argparse uses 2 for usage errors)."""
    INCONCLUSIVE = 3
    """Nothing failed, but something could not be checked."""
    INTERRUPTED = 130
    """Interrupted (Ctrl-C): the shell's convention, 128 + SIGINT."""
