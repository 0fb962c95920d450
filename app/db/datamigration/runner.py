"""The data migration's verbs: migrate (resumable), dry run, rollback. Pure orchestration."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.db.datamigration import backup, checkpoint, rollback, sqlfiles, validation
from app.db.datamigration.batches import BatchFault, BatchSizer, migrate_step, run_ranges
from app.db.datamigration.connection import Connection, connect, one
from app.db.datamigration.errors import (
    BatchFailedError,
    RunInProgressError,
    RunNotFoundError,
    ValidationFailedError,
    required_reason,
)
from app.db.datamigration.frontdoor import APP, FrontDoor
from app.db.datamigration.horizon import Horizon
from app.db.datamigration.lock import migration_lock
from app.db.datamigration.preflight import check_schema
from app.db.datamigration.progress import ProgressSink, SilentProgress
from app.db.datamigration.report import Report
from app.db.datamigration.timing import Phases
from app.db.migrate import CONTRACT_REVISION
from app.redaction import redact_url

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from app.db.datamigration.checkpoint import Run
    from app.db.datamigration.rollback import RestoreOutcome

# A batch waits at most this long for a row the service has locked, then is retried narrower.
_LOCK_TIMEOUT = "1s"
_CONTRACTED = f"{CONTRACT_REVISION} is applied: its CHECKs guarantee every row is migrated"
# What a person does once every row has its ISO week.
_APPLY_CONTRACT = (
    "apply the contract: python -m app db upgrade head (on Heroku, the next release does it)"
)


@dataclass(frozen=True)
class MigrationOptions:
    """How to run: the environment's name, batch width (None: adapt to the time budget).

    `door` is the command line the person runs: reports and next steps name its commands.
    """

    environment: str
    batch_size: int | None = None
    batch_budget_seconds: float = 0.3
    dump_path: Path | None = None
    door: FrontDoor = APP


class DataMigration:
    """Migrate, dry-run or roll back the US1.6 data of one database."""

    def __init__(
        self,
        url: str,
        options: MigrationOptions,
        *,
        progress: ProgressSink | None = None,
        fault: BatchFault | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self._url = url
        self._options = options
        self._progress = progress or SilentProgress()
        self._fault = fault
        self._clock = clock

    def migrate(self) -> Report:
        """Migrate every legacy row, resuming an interrupted run; roll back on failure."""
        phases = Phases(self._progress, self._clock)
        with migration_lock(self._url), self._connect() as conn:
            with phases.phase("preflight"):
                state = check_schema(conn, allow_contracted=True)
                run, resumed = (None, False) if state.contracted else self._resume_or_none(conn)
                pending = None if state.contracted or run else self._count_pending(conn)
            if state.contracted:
                return self._report(
                    "migrate",
                    "nothing_to_do",
                    phases,
                    summary="nothing to do: every row has its ISO week",
                    next_step=_CONTRACTED,
                )
            if pending is not None and not pending["rows_to_change"]:
                done = checkpoint.latest(conn, (checkpoint.COMPLETED,))
                return self._report(
                    "migrate",
                    "nothing_to_do",
                    phases,
                    run=done,
                    figures={"total_rows": pending["total_rows"], "rows_to_change": 0},
                    summary=f"nothing to do: all {pending['total_rows'] or 0:,} rows have"
                    " their ISO week",
                    next_step=_APPLY_CONTRACT,
                )
            if run is None:
                run = self._back_up(conn, phases)
            else:
                with phases.phase("verify backup"):
                    backup.verify_backup(conn, run)
            return self._migrate_batches(conn, run, phases, resumed=resumed)

    def dry_run(self, sample_size: int = 10, estimate_rows: int = 20_000) -> Report:
        """Count, sample and estimate the migration without committing anything."""
        phases = Phases(self._progress, self._clock)
        with migration_lock(self._url), self._connect() as conn:
            with phases.phase("preflight"):
                state = check_schema(conn, allow_contracted=True)
            if state.contracted:
                return self._report(
                    "dry-run",
                    "nothing_to_do",
                    phases,
                    summary="dry run: nothing to do, every row has its ISO week",
                    next_step=_CONTRACTED,
                )
            with phases.phase("count"):
                pending_run = checkpoint.latest(
                    conn, (checkpoint.MIGRATING, checkpoint.ROLLING_BACK)
                )
                pending = self._count_pending(conn)
            with phases.phase("sample"):
                sample = conn.execute(sqlfiles.query("sample_changes"), {"limit": sample_size})
                rows = tuple(sample.fetchall())
                estimate = self._estimate(conn, pending, estimate_rows)
        next_step = (
            f"run {pending_run.run_id} is {pending_run.status}:"
            f" `{self._options.door.command('migrate')}` resumes it"
            if pending_run
            else "run the same command without --dry-run to migrate"
        )
        return self._report(
            "dry-run",
            "dry_run",
            phases,
            figures={**pending, **estimate},
            summary=f"dry run: nothing was written; {pending['rows_to_change'] or 0:,} of"
            f" {pending['total_rows'] or 0:,} rows would change",
            next_step=next_step,
            sample=rows,
        )

    def rollback(self, run_id: str | None, reason: str) -> Report:
        """Restore a run's backup and check the data equals the pre-migration data."""
        reason = required_reason(reason)
        phases = Phases(self._progress, self._clock)
        with migration_lock(self._url), self._connect() as conn:
            with phases.phase("preflight"):
                check_schema(conn, allow_contracted=False)
                run = self._run_to_roll_back(conn, run_id)
            if run.status in (checkpoint.ROLLED_BACK, checkpoint.FAILED):
                return self._report(
                    "rollback",
                    "already_rolled_back",
                    phases,
                    run=run,
                    summary=f"nothing to do: run {run.run_id} is {run.status} already",
                )
            with phases.phase("verify backup"):
                backup.verify_backup(conn, run)
            checkpoint.set_status(conn, run.run_id, checkpoint.ROLLING_BACK, rollback_reason=reason)
            outcome = self._restore(conn, run, phases, checkpoint.ROLLED_BACK)
            return self._report(
                "rollback",
                "rolled_back",
                phases,
                run=run,
                figures={"reason": reason, **rollback.restore_figures(outcome)},
                summary=f"rolled back: the rows run {run.run_id} changed are as before it",
                next_step=f"to migrate again: {self._options.door.command('migrate')}",
            )

    def _migrate_batches(
        self, conn: Connection, run: Run, phases: Phases, *, resumed: bool
    ) -> Report:
        try:
            with phases.phase("batches"), Horizon(self._url) as horizon:
                stats = run_ranges(
                    run.next_id,
                    run.max_id,
                    self._sizer(),
                    horizon.around(migrate_step(conn, run, self._fault)),
                    self._progress,
                    phase="migrate",
                    first_batch_no=run.batches_done + 1,
                    clock=self._clock,
                )
            with phases.phase("validation"):
                run = checkpoint.load(conn, run.run_id)
                verdict = validation.validate_migration(conn, run)
            if not verdict.passed:
                raise ValidationFailedError(verdict.problems)  # noqa: TRY301 - one rollback path
        except (BatchFailedError, ValidationFailedError) as error:
            return self._roll_back_automatically(conn, run, phases, str(error))
        checkpoint.set_status(conn, run.run_id, checkpoint.COMPLETED)
        batch_seconds = phases.seconds.get("batches", 0.0)
        figures: dict[str, int | float | str | bool | None] = {
            "resumed": resumed,
            "total_rows": run.backup_rows,
            "rows_to_change": run.rows_to_change,
            "rows_updated": run.rows_updated,
            "rows_updated_this_invocation": stats.rows,
            "batches": run.batches_done,
            "batches_this_invocation": stats.batches,
            "smallest_batch_ids": min(stats.widths, default=0),
            "largest_batch_ids": max(stats.widths, default=0),
            "longest_batch_seconds": round(stats.longest_batch_seconds, 4),
            "batch_retries": stats.retries,
            "rows_per_second": round(stats.rows / batch_seconds) if batch_seconds else 0,
            "rows_changed_by_service_meanwhile": verdict.comparison.changed_by_service,
            "untouched_checksum_equal": verdict.checksums_equal,
            "backup_table": f"semaine_migration.{run.backup_table}",
        }
        return self._report(
            "migrate",
            "completed",
            phases,
            run=run,
            figures=figures,
            summary=f"completed{' (resumed)' if resumed else ''}: {run.rows_updated:,} rows"
            " now have their ISO week",
            next_step=_APPLY_CONTRACT,
        )

    def _roll_back_automatically(
        self, conn: Connection, run: Run, phases: Phases, reason: str
    ) -> Report:
        checkpoint.set_status(conn, run.run_id, checkpoint.ROLLING_BACK, failure_reason=reason)
        with phases.phase("verify backup"):
            backup.verify_backup(conn, run)
        outcome = self._restore(conn, run, phases, checkpoint.FAILED)
        return self._report(
            "migrate",
            "failed",
            phases,
            run=run,
            problems=(reason,),
            figures={"rolled_back_automatically": True, **rollback.restore_figures(outcome)},
            summary="failed, and rolled back automatically: the data is as before the run",
            next_step=f"fix the cause, then run {self._options.door.command('migrate')} again",
        )

    def _restore(
        self, conn: Connection, run: Run, phases: Phases, final_status: str
    ) -> RestoreOutcome:
        """Restore `run` from its backup, check the data, then record `final_status`."""
        outcome = rollback.restore(conn, run, self._sizer(), self._progress, phases, url=self._url)
        if not outcome.validation.passed:
            raise ValidationFailedError(
                outcome.validation.problems, _unfinished(self._options.door, run)
            )
        rollback.mark_restored(conn, run, final_status)
        return outcome

    def _back_up(self, conn: Connection, phases: Phases) -> Run:
        if self._options.dump_path is not None:
            with phases.phase("pg_dump"):
                backup.dump_table(self._url, self._options.dump_path)
        with phases.phase("backup"):
            return backup.take_backup(conn, self._options.environment, backup.new_run_id())

    def _resume_or_none(self, conn: Connection) -> tuple[Run | None, bool]:
        pending = checkpoint.latest(conn, (checkpoint.MIGRATING, checkpoint.ROLLING_BACK))
        if pending is None:
            return None, False
        if pending.status == checkpoint.ROLLING_BACK:
            raise RunInProgressError(
                pending.run_id,
                pending.status,
                f"finish its rollback first: {_rollback_command(self._options.door, pending)}",
            )
        return pending, True

    def _run_to_roll_back(self, conn: Connection, run_id: str | None) -> Run:
        if run_id is not None:
            return checkpoint.load(conn, run_id)
        found = checkpoint.latest(conn, (checkpoint.COMPLETED, checkpoint.ROLLING_BACK))
        if found is None:
            wanted = "no completed run to roll back (pass --run-id to choose one)"
            raise RunNotFoundError(wanted)
        return found

    def _count_pending(self, conn: Connection) -> dict[str, int | None]:
        row = one(conn.execute(sqlfiles.query("count_pending")))
        return dict(row)

    def _estimate(
        self, conn: Connection, pending: dict[str, int | None], sample_ids: int
    ) -> dict[str, int | float | None]:
        first, total, to_change = (
            pending["min_id"],
            pending["total_rows"],
            pending["rows_to_change"],
        )
        if first is None or not total:
            return {"estimated_seconds": 0.0}
        ids = {"first_id": first, "last_id": first + sample_ids - 1}
        began = self._clock()
        # The sample batch runs in a transaction that is always rolled back: nothing commits.
        with conn.transaction(force_rollback=True):
            updated = conn.execute(sqlfiles.query("migrate_batch"), ids).rowcount
        update_seconds = self._clock() - began
        began = self._clock()
        row = conn.execute(sqlfiles.query("backup_read_sample"), ids).fetchone()
        read_seconds = self._clock() - began
        sampled = int(row["rows"]) if row else 0
        update_rate = updated / update_seconds if updated and update_seconds else None
        read_rate = sampled / read_seconds if sampled and read_seconds else None
        # The backup writes what it reads and validation reads twice: about 3 reads per row.
        backup_and_checks = 3 * total / read_rate if read_rate else 0.0
        migrate = (to_change or 0) / update_rate if update_rate else 0.0
        return {
            "sample_rows_updated_then_rolled_back": updated,
            "sample_update_rows_per_second": round(update_rate) if update_rate else None,
            "estimated_seconds": round(migrate + backup_and_checks, 2),
        }

    def _sizer(self) -> BatchSizer:
        return BatchSizer(
            fixed=self._options.batch_size, budget_seconds=self._options.batch_budget_seconds
        )

    def _connect(self) -> Connection:
        conn = connect(self._url)
        conn.execute(f"SET lock_timeout = '{_LOCK_TIMEOUT}'")
        return conn

    def _report(  # noqa: PLR0913 - every field of the report, named at the call site
        self,
        verb: str,
        status: str,
        phases: Phases,
        *,
        run: Run | None = None,
        figures: dict[str, int | float | str | bool | None] | None = None,
        problems: tuple[str, ...] = (),
        summary: str = "",
        next_step: str = "",
        sample: tuple[dict[str, object], ...] = (),
    ) -> Report:
        return Report(
            program=self._options.door.program,
            verb=verb,
            status=status,
            environment=self._options.environment,
            database=redact_url(self._url),
            run_id=run.run_id if run else None,
            figures=figures or {},
            phases={**phases.seconds, "total": sum(phases.seconds.values())},
            problems=problems,
            summary=summary,
            next_step=next_step,
            sample=tuple({k: _scalar(v) for k, v in s.items()} for s in sample),
        )


def _rollback_command(door: FrontDoor, run: Run) -> str:
    return door.command("rollback", "--run-id", run.run_id, "--reason", "'...'")


def _unfinished(door: FrontDoor, run: Run) -> str:
    return (
        f"run {run.run_id} stays rolling_back: compare the table with"
        f" semaine_migration.{run.backup_table}, then run {_rollback_command(door, run)} again"
    )


def _scalar(value: object) -> int | float | str | bool | None:
    if value is None or isinstance(value, int | float | str | bool):
        return value
    return str(value)
