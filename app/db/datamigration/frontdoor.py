"""Which command line runs the migration, so that its reports and next steps speak it.

Two front doors run the one operation: `python -m app data ...` (the database is
DATABASE_URL) and `semaine ...` (the database is named by `--environment` and
`--database-url`). A next step must be a command the reader can paste, in theirs.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FrontDoor:
    """A command line's program, and the flags that named the database on it."""

    program: str
    target_flags: tuple[str, ...] = ()
    rollback_flags: tuple[str, ...] = ()

    def command(self, verb: str, *flags: str) -> str:
        """Return the command line of `verb` run against the same database, then `flags`."""
        extra = self.rollback_flags if verb == "rollback" else ()
        return " ".join((self.program, verb, *self.target_flags, *extra, *flags))


APP = FrontDoor("python -m app data")
"""`python -m app data ...`: the database is DATABASE_URL."""
