"""The runs table: one row per run, its status and its checkpoint (last committed batch)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from psycopg import sql

from app.db.datamigration import sqlfiles
from app.db.datamigration.errors import RunNotFoundError

if TYPE_CHECKING:
    import datetime as dt

    from app.db.datamigration.connection import Connection

MIGRATING = "migrating"
COMPLETED = "completed"
FAILED = "failed"
ROLLING_BACK = "rolling_back"
ROLLED_BACK = "rolled_back"


@dataclass(frozen=True)
class Run:
    """One data-migration run as recorded in `semaine_migration.runs`."""

    run_id: str
    environment: str
    status: str
    started_at: dt.datetime
    min_id: int | None
    max_id: int | None
    checkpoint_id: int | None
    batches_done: int
    rows_updated: int
    rows_to_change: int
    backup_table: str
    backup_rows: int
    backup_checksum: str
    untouched_checksum: str
    failure_reason: str | None

    @property
    def next_id(self) -> int | None:
        """The first id no committed batch covers yet, or None when every range is done."""
        if self.min_id is None or self.max_id is None:
            return None
        start = self.min_id if self.checkpoint_id is None else self.checkpoint_id + 1
        return start if start <= self.max_id else None


_COLUMNS = sql.SQL(", ").join(sql.Identifier(name) for name in Run.__dataclass_fields__)


def ensure_schema(conn: Connection) -> None:
    """Create the bookkeeping schema and tables when absent (idempotent)."""
    conn.execute(sqlfiles.text("bookkeeping"))


def schema_exists(conn: Connection) -> bool:
    """Whether any run was ever recorded in this database."""
    row = conn.execute("SELECT to_regclass('semaine_migration.runs') IS NOT NULL AS e").fetchone()
    return bool(row and row["e"])


def load(conn: Connection, run_id: str) -> Run:
    """Return the run with this id, or raise RunNotFoundError."""
    if not schema_exists(conn):
        wanted = f"run {run_id} (no run was ever recorded in this database)"
        raise RunNotFoundError(wanted)
    query = sql.SQL("SELECT {} FROM semaine_migration.runs WHERE run_id = %s").format(_COLUMNS)
    row = conn.execute(query, (run_id,)).fetchone()
    if row is None:
        wanted = f"run {run_id}"
        raise RunNotFoundError(wanted)
    return Run(**row)


def latest(conn: Connection, statuses: tuple[str, ...]) -> Run | None:
    """Return the most recent run in one of these statuses, if any."""
    if not schema_exists(conn):
        return None
    query = sql.SQL(
        "SELECT {} FROM semaine_migration.runs WHERE status = ANY(%s)"
        " ORDER BY started_at DESC, run_id DESC LIMIT 1"
    ).format(_COLUMNS)
    row = conn.execute(query, (list(statuses),)).fetchone()
    return None if row is None else Run(**row)


def set_status(
    conn: Connection,
    run_id: str,
    status: str,
    *,
    failure_reason: str | None = None,
    rollback_reason: str | None = None,
) -> None:
    """Record a run's new status (and why), with finish or rollback time when final."""
    conn.execute(
        "UPDATE semaine_migration.runs SET status = %(status)s,"
        " failure_reason = coalesce(%(failure)s, failure_reason),"
        " rollback_reason = coalesce(%(rollback)s, rollback_reason),"
        " finished_at = CASE WHEN %(status)s IN ('completed', 'failed') THEN clock_timestamp()"
        "                    ELSE finished_at END,"
        " rolled_back_at = CASE WHEN %(status)s IN ('rolled_back', 'failed')"
        "                       THEN clock_timestamp() ELSE rolled_back_at END"
        " WHERE run_id = %(run_id)s",
        {
            "status": status,
            "failure": failure_reason,
            "rollback": rollback_reason,
            "run_id": run_id,
        },
    )
