"""Batches by primary-key range, each its own short transaction, sized to a time budget."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.db.datamigration import sqlfiles
from app.db.datamigration.errors import BatchFailedError
from app.db.datamigration.progress import Progress, ProgressSink
from app.db.driver import TRANSIENT, describe

if TYPE_CHECKING:
    from app.db.datamigration.checkpoint import Run
    from app.db.datamigration.connection import Connection

# Called inside a batch's transaction, after its UPDATE and before its checkpoint, with
# (batch_no, first_id, last_id). Tests inject one that raises to force a failure.
BatchFault = Callable[[int, int, int], None]
Step = Callable[[int, int, int], int]

# A batch's commit does not wait for its WAL flush: a server crash can lose only the last
# batches *together with* their checkpoints (WAL order), so a resume redoes them; and the
# final status update (synchronous) flushes everything before a run reports success.
_ASYNC_COMMIT = "SET LOCAL synchronous_commit = off"


@dataclass
class BatchSizer:
    """The id-range width of the next batch: fixed, or adapted to a per-batch time budget."""

    fixed: int | None = None
    budget_seconds: float = 0.3
    width: int = 20_000
    minimum: int = 1
    maximum: int = 1_000_000

    def __post_init__(self) -> None:
        if self.fixed is not None:
            self.width = self.fixed

    def observe(self, width: int, seconds: float) -> None:
        """Adapt the next width to how long this one took (no more than x4 or /4 at once)."""
        if self.fixed is not None:
            return
        factor = min(4.0, max(0.25, self.budget_seconds / max(seconds, 1e-4)))
        self.width = int(min(self.maximum, max(self.minimum, width * factor)))

    def shrink(self) -> None:
        """Halve the width after a batch lost a lock race."""
        self.width = max(self.minimum, self.width // 2)


@dataclass
class BatchStats:
    """What the batches of a phase did."""

    batches: int = 0
    rows: int = 0
    seconds: float = 0.0
    longest_batch_seconds: float = 0.0
    retries: int = 0
    widths: list[int] = field(default_factory=list)


def run_ranges(  # noqa: PLR0913 - the loop's inputs; a parameter object would only rename them
    start: int | None,
    end: int | None,
    sizer: BatchSizer,
    step: Step,
    progress: ProgressSink,
    *,
    phase: str,
    retries: int = 5,
    first_batch_no: int = 1,
    clock: Callable[[], float] = time.perf_counter,
) -> BatchStats:
    """Apply `step(batch_no, first_id, last_id) -> rows` over [start, end] in id ranges."""
    stats = BatchStats()
    if start is None or end is None or start > end:
        return stats
    span = end - start + 1
    began = clock()
    first, batch_no, attempts = start, first_batch_no, 0
    while first <= end:
        width = sizer.width
        last = min(end, first + width - 1)
        t0 = clock()
        try:
            rows = step(batch_no, first, last)
        # A concurrent service transaction caused it: the batch is retried, narrower.
        except TRANSIENT as error:
            attempts += 1
            stats.retries += 1
            if attempts > retries:
                raise BatchFailedError(batch_no, first, last, describe(error)) from error
            sizer.shrink()
            continue
        except BatchFailedError:
            raise
        # Any failure of a batch (database, injected fault) triggers the automatic rollback.
        except Exception as error:
            raise BatchFailedError(batch_no, first, last, describe(error)) from error
        seconds = clock() - t0
        attempts = 0
        sizer.observe(last - first + 1, seconds)
        stats.batches += 1
        stats.rows += rows
        stats.longest_batch_seconds = max(stats.longest_batch_seconds, seconds)
        stats.widths.append(last - first + 1)
        stats.seconds = clock() - began
        progress.update(Progress(phase, stats.rows, (last - start + 1) / span, stats.seconds))
        first, batch_no = last + 1, batch_no + 1
    return stats


def migrate_step(conn: Connection, run: Run, fault: BatchFault | None) -> Step:
    """Return the step that migrates one id range and records its checkpoint atomically."""
    state = {"previous": run.checkpoint_id}

    def step(batch_no: int, first: int, last: int) -> int:
        with conn.transaction():
            conn.execute(_ASYNC_COMMIT)
            rows = conn.execute(sqlfiles.query("migrate_batch"), _ids(first, last)).rowcount
            if fault is not None:
                fault(batch_no, first, last)
            recorded = conn.execute(
                sqlfiles.query("checkpoint"),
                {
                    "run_id": run.run_id,
                    "batch_no": batch_no,
                    "first_id": first,
                    "last_id": last,
                    "rows": rows,
                    "previous_id": state["previous"],
                },
            ).rowcount
            if recorded != 1:
                msg = "the run's checkpoint moved under this process: is another runner active?"
                raise BatchFailedError(batch_no, first, last, msg)
        state["previous"] = last
        return rows

    return step


def restore_step(conn: Connection, run: Run) -> Step:
    """Return the step that restores one id range from the run's backup (idempotent)."""
    query = sqlfiles.query("restore_batch", backup=run.backup_table)

    def step(_batch_no: int, first: int, last: int) -> int:
        with conn.transaction():
            conn.execute(_ASYNC_COMMIT)
            return conn.execute(query, _ids(first, last)).rowcount

    return step


def _ids(first: int, last: int) -> dict[str, int]:
    return {"first_id": first, "last_id": last}
