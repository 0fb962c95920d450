"""`kill -9` of a real `semaine migrate` process mid-batches or mid-rollback, then recovery.

The killed run is a real process; the recovery runs call `semaine`'s main in this process
(tests.inprocess): what they are tested for is the state the kill left, not a start-up.
"""

from __future__ import annotations

import itertools
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from app.db.datamigration import checkpoint
from app.db.datamigration.connection import connect
from app.db.datamigration.legacy import table_digest
from app.weeks import Week
from semaine.cli import main
from tests.inprocess import Completed, run_main

pytestmark = [pytest.mark.integration, pytest.mark.slow]

LegacyDatabase = Callable[..., str]
ROWS = 4_000
ROLLBACK_ROWS = 2_000
"""Fewer for the rollback: it migrates half of them, then restores, one row a batch."""
SEMAINE = str(Path(sys.executable).with_name("semaine"))  # the console script


def migrate_command(report_dir: Path) -> list[str]:
    return [
        *("migrate", "--environment", "staging"),
        *("--database-url", "env://KILL_TEST_DATABASE_URL", "--report-dir", str(report_dir)),
    ]


def start_migrate(url: str, report_dir: Path, batch_size: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [SEMAINE, *migrate_command(report_dir), "--batch-size", str(batch_size)],
        env={**os.environ, "KILL_TEST_DATABASE_URL": url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def run_semaine(url: str, argv: list[str]) -> Completed:
    return run_main(main, argv, {"KILL_TEST_DATABASE_URL": url})


def kill_9_when(url: str, report_dir: Path, reached: Callable[[], bool]) -> None:
    """Start `semaine migrate` and kill -9 it once `reached()`, mid-run."""
    # One id per batch (and per restore batch): thousands of tiny transactions.
    process = start_migrate(url, report_dir, batch_size=1)
    deadline = time.monotonic() + 120
    while process.poll() is None and not reached():
        if time.monotonic() >= deadline:  # a guard against hanging, not a performance bound
            pytest.fail("the run never reached the point to kill it at within 120 s")
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the run finished before it could be killed"


def batches_done(url: str) -> int:
    with connect(url) as conn:
        if not checkpoint.schema_exists(conn):
            return 0
        row = conn.execute("SELECT coalesce(max(batches_done), 0) AS n FROM semaine_migration.runs")
        found = row.fetchone()
        return int(found["n"]) if found else 0


def test_kill_9_at_a_random_batch_then_resume(
    legacy_database: LegacyDatabase, tmp_path: Path
) -> None:
    url = legacy_database(ROWS, edges=False)
    kill_after = random.randint(3, 300)  # noqa: S311 - a test's random batch
    kill_9_when(url, tmp_path, lambda: batches_done(url) >= kill_after)
    with connect(url) as conn:
        run = checkpoint.latest(conn, (checkpoint.MIGRATING,))
        assert run is not None
        assert kill_after <= run.batches_done < ROWS
        assert run.checkpoint_id == run.min_id + run.batches_done - 1  # type: ignore[operator]
        migrated = conn.execute(
            "SELECT count(*) AS n FROM public.entries WHERE iso_year IS NOT NULL"
        ).fetchone()
        assert migrated == {"n": run.rows_updated}  # the data and the checkpoint agree

    resumed = run_semaine(url, [*migrate_command(tmp_path), "--batch-size", "500"])

    assert resumed.returncode == 0, resumed.stderr
    assert "resumed: yes" in resumed.stdout
    with connect(url) as conn:
        final = checkpoint.load(conn, run.run_id)
        assert final.status == checkpoint.COMPLETED
        assert final.rows_updated == ROWS  # each row updated once: no batch applied twice
        ranges = conn.execute(
            "SELECT first_id, last_id FROM semaine_migration.batches WHERE run_id = %s"
            " ORDER BY batch_no",
            (run.run_id,),
        ).fetchall()
        rows = conn.execute("SELECT entry_date, week_start, iso_year, iso_week FROM public.entries")
        for row in rows.fetchall():
            week = Week.from_date(row["entry_date"])
            assert (row["week_start"], row["iso_year"], row["iso_week"]) == (
                week.monday,
                week.iso_year,
                week.iso_week,
            )
    assert ranges[0]["first_id"] == run.min_id
    assert ranges[-1]["last_id"] == run.max_id
    assert all(a["last_id"] + 1 == b["first_id"] for a, b in itertools.pairwise(ranges))


def migrated_rows(url: str) -> int:
    with connect(url) as conn:
        found = conn.execute(
            "SELECT count(*) AS n FROM public.entries WHERE iso_year IS NOT NULL"
        ).fetchone()
        return int(found["n"]) if found else 0


def restoring_down_to(url: str, rows: int) -> bool:
    """Whether the automatic rollback runs and has left at most `rows` migrated rows."""
    with connect(url) as conn:
        if checkpoint.latest(conn, (checkpoint.ROLLING_BACK,)) is None:
            return False
    return migrated_rows(url) <= rows


def test_kill_9_during_an_automatic_rollback_then_a_manual_rollback_finishes_it(
    legacy_database: LegacyDatabase, tmp_path: Path
) -> None:
    url = legacy_database(ROLLBACK_ROWS, edges=False)
    with connect(url) as conn:
        before = table_digest(conn)
        # A real, permanent batch failure (not an injected one): the row at the middle
        # refuses its migration, so the run rolls back automatically; the restore (which
        # sets iso_year back to NULL) passes.
        conn.execute(
            "CREATE FUNCTION public.refuse() RETURNS trigger LANGUAGE plpgsql AS"
            " $$ BEGIN RAISE EXCEPTION 'row % refuses', NEW.id; END $$"
        )
        found = conn.execute("SELECT min(id) AS id FROM public.entries").fetchone()
        refusing_id = int(found["id"]) + ROLLBACK_ROWS // 2 if found else 0
        conn.execute(
            "CREATE TRIGGER refuse BEFORE UPDATE ON public.entries FOR EACH ROW"
            f" WHEN (NEW.iso_year IS NOT NULL AND NEW.id = {refusing_id})"
            " EXECUTE FUNCTION public.refuse()"
        )
    kill_at = random.randint(200, ROLLBACK_ROWS // 2 - 200)  # noqa: S311 - a test's random point
    kill_9_when(url, tmp_path, lambda: restoring_down_to(url, kill_at))
    with connect(url) as conn:
        run = checkpoint.latest(conn, (checkpoint.ROLLING_BACK,))
        assert run is not None
        assert "refuses" in (run.failure_reason or "")
    assert 0 < migrated_rows(url) < ROLLBACK_ROWS // 2  # killed halfway through the restore

    refused = run_semaine(url, migrate_command(tmp_path))
    finished = run_semaine(
        url,
        [
            *("rollback", "--environment", "staging", "--rollback-type", "database"),
            *("--reason", "finish the killed automatic rollback", "--run-id", run.run_id),
            *("--actor", "semaine-maintainers"),  # a login staging.yml lists
            *("--database-url", "env://KILL_TEST_DATABASE_URL", "--report-dir", str(tmp_path)),
        ],
    )

    assert refused.returncode == 2, refused.stderr  # a run stays rolling_back until finished
    assert f"run {run.run_id} is rolling_back" in refused.stderr
    assert finished.returncode == 0, finished.stderr
    assert "checksums equal pre migration: yes" in finished.stdout
    with connect(url) as conn:
        assert checkpoint.load(conn, run.run_id).status == checkpoint.ROLLED_BACK
        assert table_digest(conn) == before
        conn.execute("DROP TRIGGER refuse ON public.entries")
    again = run_semaine(url, migrate_command(tmp_path))
    assert again.returncode == 0, again.stderr
    assert migrated_rows(url) == ROLLBACK_ROWS
