"""The data migration's errors: each carries its data and says what to do next.

A database it cannot reach is app.db.errors.DatabaseUnreachableError, as for every part
of the service (app.db.driver makes it): the front doors refuse it like these errors.
"""

from __future__ import annotations

from app.errors import ActionableError


class DataMigrationError(ActionableError):
    """Base of every data-migration error; `next_step` says what to do about it."""

    next_step: str = ""

    def __init__(self, message: str, next_step: str = "") -> None:
        self.next_step = next_step or self.next_step
        super().__init__(message, self.next_step)


class BlankReasonError(DataMigrationError):
    """A rollback was asked for without a reason: the run's record must say why."""

    advice = (
        "say why you roll back (it is recorded with the run),"
        " e.g. --reason 'INC-123: wrong weeks on the dashboard'"
    )

    def __init__(self) -> None:
        super().__init__(f"--reason: {self.advice}")


def required_reason(reason: str) -> str:
    """Return the rollback reason without surrounding blanks; BlankReasonError if empty."""
    stripped = reason.strip()
    if not stripped:
        raise BlankReasonError
    return stripped


class WrongRevisionError(DataMigrationError):
    """The schema is not at the revision the data migration expects."""

    def __init__(self, found: str | None, expected: str, next_step: str) -> None:
        self.found = found
        self.expected = expected
        super().__init__(
            f"schema revision is {found or 'none (no alembic_version table)'},"
            f" the data migration needs {expected}",
            next_step,
        )


class UnexpectedSchemaError(DataMigrationError):
    """The entries table lacks a column the migration reads or writes."""

    def __init__(self, missing: tuple[str, ...]) -> None:
        self.missing = missing
        super().__init__(
            f"table public.entries lacks column(s) {', '.join(missing)}",
            "the database is not the Semaine schema it claims to be: check the URL",
        )


class LockHeldError(DataMigrationError):
    """Another migration holds the advisory lock."""

    def __init__(self, key: int, holder_pid: int | None, holder: str) -> None:
        self.key = key
        self.holder_pid = holder_pid
        self.holder = holder
        super().__init__(
            f"another migration holds advisory lock {key} (backend pid {holder_pid}, {holder})",
            "wait for it to finish; if it is stuck, end that backend with"
            f" SELECT pg_terminate_backend({holder_pid}) and run again (it resumes)",
        )


class RunInProgressError(DataMigrationError):
    """A run is in a state that another verb must finish first."""

    def __init__(self, run_id: str, status: str, next_step: str) -> None:
        self.run_id = run_id
        self.status = status
        super().__init__(f"run {run_id} is {status}", next_step)


class RunNotFoundError(DataMigrationError):
    """No run matches the request (a run id, or the latest completed run)."""

    def __init__(self, wanted: str) -> None:
        self.wanted = wanted
        super().__init__(
            f"no data-migration run found: {wanted}",
            "list runs with SELECT run_id, status FROM semaine_migration.runs ORDER BY started_at",
        )


class MissingBackupError(DataMigrationError):
    """The run's backup table is gone or no longer matches its recorded checksum."""

    def __init__(self, run_id: str, table: str, reason: str) -> None:
        self.run_id = run_id
        self.table = table
        self.reason = reason
        super().__init__(
            f"backup {table} of run {run_id} {reason}",
            "the data cannot be restored from it; restore the pg_dump taken with --dump-path,"
            " or a Heroku Postgres backup",
        )


class DumpError(DataMigrationError):
    """`pg_dump` could not write the requested dump."""

    def __init__(self, path: str, detail: str) -> None:
        self.path = path
        self.detail = detail
        super().__init__(
            f"pg_dump to {path} failed: {detail}",
            "install a pg_dump whose major version is >= the server's, or drop --dump-path",
        )


class BatchFailedError(DataMigrationError):
    """A batch failed for good (after its retries)."""

    def __init__(self, batch_no: int, first_id: int, last_id: int, detail: str) -> None:
        self.batch_no = batch_no
        self.first_id = first_id
        self.last_id = last_id
        self.detail = detail
        super().__init__(f"batch {batch_no} (ids {first_id}..{last_id}) failed: {detail}")


class ValidationFailedError(DataMigrationError):
    """Post-migration (or post-rollback) validation found violations."""

    def __init__(self, problems: tuple[str, ...], next_step: str = "") -> None:
        self.problems = problems
        super().__init__("validation failed: " + "; ".join(problems), next_step)
