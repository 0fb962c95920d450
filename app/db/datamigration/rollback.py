"""Restore a run's rows from its backup, then check they equal the pre-migration data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.db.datamigration import checkpoint, validation
from app.db.datamigration.batches import BatchSizer, BatchStats, restore_step, run_ranges
from app.db.datamigration.horizon import Horizon

if TYPE_CHECKING:
    from app.db.datamigration.checkpoint import Run
    from app.db.datamigration.connection import Connection
    from app.db.datamigration.progress import ProgressSink
    from app.db.datamigration.timing import Phases


@dataclass(frozen=True)
class RestoreOutcome:
    """What a restore did and what its validation found."""

    stats: BatchStats
    validation: validation.Validation


def restore(  # noqa: PLR0913 - the restore's inputs; a parameter object would only rename them
    conn: Connection,
    run: Run,
    sizer: BatchSizer,
    progress: ProgressSink,
    phases: Phases,
    *,
    url: str,
) -> RestoreOutcome:
    """Put the backed-up values back in batches (idempotent: a re-run finishes the job).

    The caller has checked the backup with `backup.verify_backup` first.
    """
    with phases.phase("restore"), Horizon(url) as horizon:
        step = horizon.around(restore_step(conn, run))
        stats = run_ranges(run.min_id, run.max_id, sizer, step, progress, phase="restore")
    with phases.phase("validate restore"):
        verdict = validation.validate_restore(conn, run)
    return RestoreOutcome(stats, verdict)


def restore_figures(outcome: RestoreOutcome) -> dict[str, int | float | str | bool | None]:
    """Return the report figures of a restore."""
    comparison = outcome.validation.comparison
    return {
        "rows_restored": outcome.stats.rows,
        "restore_batches": outcome.stats.batches,
        "longest_restore_batch_seconds": round(outcome.stats.longest_batch_seconds, 4),
        "backup_rows": comparison.backup_rows,
        "rows_kept_changed_by_service": comparison.changed_by_service,
        "rows_deleted_since_backup": comparison.missing,
        "checksums_equal_pre_migration": outcome.validation.checksums_equal,
    }


def mark_restored(conn: Connection, run: Run, status: str) -> None:
    """Record the end of a restore (rolled_back after a manual one, failed after an automatic)."""
    checkpoint.set_status(conn, run.run_id, status)
