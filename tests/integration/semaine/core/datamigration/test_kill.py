"""`kill -9` of a real `semaine migrate` process at a random batch, then a resume."""

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

from app.weeks import Week
from semaine.core.datamigration import checkpoint
from semaine.core.datamigration.connection import connect

pytestmark = [pytest.mark.integration, pytest.mark.slow]

LegacyDatabase = Callable[..., str]
ROWS = 4_000
SEMAINE = str(Path(sys.executable).with_name("semaine"))  # the console script


def migrate_command(report_dir: Path) -> list[str]:
    return [
        *(SEMAINE, "migrate", "--environment", "staging"),
        *("--database-url", "env://KILL_TEST_DATABASE_URL", "--report-dir", str(report_dir)),
    ]


def start_migrate(url: str, report_dir: Path, batch_size: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*migrate_command(report_dir), "--batch-size", str(batch_size)],
        env={**os.environ, "KILL_TEST_DATABASE_URL": url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


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
    # One id per batch: thousands of tiny transactions, so the kill lands mid-run.
    process = start_migrate(url, tmp_path, batch_size=1)
    deadline = time.monotonic() + 120
    while batches_done(url) < kill_after and process.poll() is None:
        assert time.monotonic() < deadline, "the migration never reached the batch to kill at"
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    with connect(url) as conn:
        run = checkpoint.latest(conn, (checkpoint.MIGRATING,))
        assert run is not None
        assert kill_after <= run.batches_done < ROWS
        assert run.checkpoint_id == run.min_id + run.batches_done - 1  # type: ignore[operator]
        migrated = conn.execute(
            "SELECT count(*) AS n FROM public.entries WHERE iso_year IS NOT NULL"
        ).fetchone()
        assert migrated == {"n": run.rows_updated}  # the data and the checkpoint agree

    resumed = subprocess.run(
        [*migrate_command(tmp_path), "--batch-size", "500"],
        env={**os.environ, "KILL_TEST_DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=False,
    )

    assert resumed.returncode == 0, resumed.stderr
    assert "resumed: True" in resumed.stdout
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
