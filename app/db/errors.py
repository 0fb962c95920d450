"""Errors of the schema tooling; each carries its data and says what to do next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.errors import ActionableError

if TYPE_CHECKING:
    from collections.abc import Sequence


class DbError(ActionableError):
    """A database operation of the schema tooling failed."""


class DriverError(DbError):
    """A connect or a statement failed in PostgreSQL or psycopg (made by app.db.driver).

    `driver_class` names the psycopg error ("UniqueViolation", "PoolTimeout"), `sqlstate`
    PostgreSQL's code when the server sent one; the message never holds a password.
    """

    def __init__(
        self, what_happened: str, *, driver_class: str, sqlstate: str | None = None
    ) -> None:
        self.driver_class = driver_class
        self.sqlstate = sqlstate
        super().__init__(what_happened)


class DatabaseUnreachableError(DriverError):
    """PostgreSQL could not be reached (the message names host and port, never a password)."""

    what_to_do = "check the URL (host, port, database name, user, password) and the network"

    def __init__(
        self, target: str, reason: str, *, driver_class: str = "", sqlstate: str | None = None
    ) -> None:
        self.target = target
        self.reason = reason
        super().__init__(
            f"cannot connect to PostgreSQL at {target}: {reason}",
            driver_class=driver_class,
            sqlstate=sqlstate,
        )


class QueryFailedError(DriverError):
    """A statement failed: PostgreSQL refused it (a SQLSTATE), or psycopg did (none)."""

    def __init__(self, description: str, *, driver_class: str, sqlstate: str | None) -> None:
        self.description = description
        who = "PostgreSQL refused" if sqlstate else "the query failed"
        super().__init__(f"{who}: {description}", driver_class=driver_class, sqlstate=sqlstate)


class RejectedValueError(QueryFailedError):
    """PostgreSQL rejected a value: a constraint, a type or a range (SQLSTATE class 22, 23)."""

    def __init__(
        self,
        description: str,
        *,
        driver_class: str,
        sqlstate: str | None,
        constraint: str | None,
    ) -> None:
        self.constraint = constraint
        super().__init__(description, driver_class=driver_class, sqlstate=sqlstate)


class UnknownRevisionError(DbError):
    """A revision is not one of this image's schema revisions."""

    def __init__(self, revision: str, known: Sequence[str]) -> None:
        self.revision = revision
        self.known = tuple(known)
        super().__init__(
            f"unknown schema revision {revision!r}",
            f"name a known revision: {', '.join(self.known)} (or head, base)",
        )


class LegacyRowsRemainError(DbError):
    """The US1.6 contract step refused: rows still have legacy (pre-US1.6) weeks."""

    def __init__(self, count: int) -> None:
        self.count = count
        super().__init__(
            f"{count} row(s) of entries are still legacy (a week_start that is not a Monday, "
            "a NULL iso_year/iso_week, or ISO fields that do not match entry_date)",
            "run the US1.6 data migration first (uv run semaine migrate --environment ENV ..., "
            "dagger call migrate ... or python -m app data migrate), then re-run "
            "python -m app db upgrade",
        )


class LegacySeedRefusedError(DbError):
    """Legacy rows cannot go into this database: its schema is not a pre-contract one."""

    def __init__(self, found: str | None, accepted: Sequence[str], command: str) -> None:
        self.found = found
        self.accepted = tuple(accepted)
        state = f"is at {found}" if found else "has no schema revision"
        super().__init__(
            f"legacy rows need a database at {' or '.join(self.accepted)} (the contract's"
            f" CHECKs reject them); this one {state}",
            f"on a throwaway database, run {command} first",
        )
