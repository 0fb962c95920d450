"""Errors of the schema tooling; each carries its data and says what to do next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.errors import ActionableError

if TYPE_CHECKING:
    from collections.abc import Sequence


class DbError(ActionableError):
    """A database operation of the schema tooling failed."""


class DatabaseUnreachableError(DbError):
    """PostgreSQL could not be reached (the message names host and port, never a password)."""

    def __init__(self, target: str, reason: str) -> None:
        self.target = target
        self.reason = reason
        super().__init__(f"cannot connect to PostgreSQL at {target}: {reason}")


class UnknownRevisionError(DbError):
    """A revision is not one of this image's schema revisions."""

    def __init__(self, revision: str, known: Sequence[str]) -> None:
        self.revision = revision
        self.known = tuple(known)
        super().__init__(
            f"unknown schema revision {revision!r}; known revisions: "
            f"{', '.join(self.known)} (or head, base)"
        )


class LegacyRowsRemainError(DbError):
    """The US1.6 contract step refused: rows still have legacy (pre-US1.6) weeks."""

    def __init__(self, count: int) -> None:
        self.count = count
        super().__init__(
            f"{count} row(s) of entries are still legacy (a week_start that is not a Monday, "
            "a NULL iso_year/iso_week, or ISO fields that do not match entry_date): run the "
            "US1.6 data migration first (uv run semaine migrate --environment ENV ..., "
            "dagger call migrate ... or python -m app data migrate), then re-run "
            "python -m app db upgrade"
        )


class LegacySeedRefusedError(DbError):
    """Legacy rows cannot go into this database: its schema is not a pre-contract one."""

    def __init__(self, found: str | None, accepted: Sequence[str], command: str) -> None:
        self.found = found
        self.accepted = tuple(accepted)
        state = f"is at {found}" if found else "has no schema revision"
        super().__init__(
            f"legacy rows need a database at {' or '.join(self.accepted)} (the contract's"
            f" CHECKs reject them); this one {state}: on a throwaway database, run {command}"
            " first"
        )
