"""Post-migration and post-rollback validation, each one pass over the data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.db.datamigration import sqlfiles
from app.db.datamigration.connection import one

if TYPE_CHECKING:
    from app.db.datamigration.checkpoint import Run
    from app.db.datamigration.connection import Connection


@dataclass(frozen=True)
class RowRules:
    """How many rows of the whole table break each US1.6 rule."""

    total_rows: int
    not_monday: int
    outside_week: int
    iso_mismatch: int

    def problems(self) -> tuple[str, ...]:
        """Return one sentence per broken rule."""
        found = (
            (self.not_monday, "rows whose week_start is not a Monday"),
            (self.outside_week, "rows whose entry_date is outside [week_start, week_start + 6]"),
            (self.iso_mismatch, "rows whose iso_year/iso_week do not match entry_date"),
        )
        return tuple(f"{count} {what}" for count, what in found if count)


@dataclass(frozen=True)
class BackupComparison:
    """The backed-up rows against the table now (see sql/compare_backup.sql)."""

    backup_rows: int
    present: int
    changed_by_service: int
    untouched_changed: int
    differ_from_backup: int
    current_checksum: str
    untouched_checksum: str

    @property
    def missing(self) -> int:
        """Backed-up rows no longer in the table."""
        return self.backup_rows - self.present


@dataclass(frozen=True)
class Validation:
    """A validation's verdict, its figures and its problems."""

    passed: bool
    problems: tuple[str, ...]
    rules: RowRules | None
    comparison: BackupComparison
    checksums_equal: bool


def row_rules(conn: Connection) -> RowRules:
    """Count the rows that break each US1.6 rule."""
    row = one(conn.execute(sqlfiles.query("validate_rows")))
    return RowRules(**row)


def compare(conn: Connection, run: Run) -> BackupComparison:
    """Compare the run's backup with the table now."""
    row = one(conn.execute(sqlfiles.query("compare_backup", backup=run.backup_table)))
    return BackupComparison(**row)


def validate_migration(conn: Connection, run: Run) -> Validation:
    """Every rule holds, no row lost, the columns the migration must not touch unchanged."""
    rules = row_rules(conn)
    comparison = compare(conn, run)
    problems = list(rules.problems())
    if comparison.missing:
        problems.append(f"{comparison.missing} backed-up rows are missing (row count changed)")
    if comparison.untouched_changed:
        problems.append(
            f"{comparison.untouched_changed} rows changed in columns the migration must not touch"
        )
    untouched_equal = comparison.untouched_checksum == run.untouched_checksum
    if not comparison.changed_by_service and not untouched_equal:
        problems.append("the checksum of the columns the migration must not touch changed")
    return Validation(not problems, tuple(problems), rules, comparison, untouched_equal)


def validate_restore(conn: Connection, run: Run) -> Validation:
    """Check the backed-up values are back; rows the service changed since are kept, counted."""
    comparison = compare(conn, run)
    problems: list[str] = []
    if comparison.differ_from_backup:
        problems.append(f"{comparison.differ_from_backup} rows still differ from the backup")
    if comparison.untouched_changed:
        problems.append(
            f"{comparison.untouched_changed} rows changed in columns the rollback must not touch"
        )
    equal = (
        comparison.current_checksum == run.backup_checksum
        and comparison.untouched_checksum == run.untouched_checksum
    )
    if not comparison.changed_by_service and not comparison.missing and not equal:
        problems.append("the checksums differ from the ones recorded at backup time")
    return Validation(not problems, tuple(problems), None, comparison, equal)
