from __future__ import annotations

from collections.abc import Callable

import pytest

from app.db.datamigration import checkpoint
from app.db.datamigration.connection import connect
from app.db.datamigration.errors import MissingBackupError
from app.db.datamigration.legacy import table_digest
from app.db.datamigration.runner import DataMigration, MigrationOptions

pytestmark = pytest.mark.integration

LegacyDatabase = Callable[..., str]


def digest(url: str) -> str:
    with connect(url) as conn:
        return table_digest(conn)


def run_row(url: str, run_id: str | None) -> checkpoint.Run:
    with connect(url) as conn:
        return checkpoint.load(conn, run_id or "")


def test_a_failing_batch_rolls_back_automatically(legacy_database: LegacyDatabase) -> None:
    url = legacy_database(1_000)
    before = digest(url)

    def fail_third(batch_no: int, _first: int, _last: int) -> None:
        if batch_no == 3:
            msg = "injected fault"
            raise RuntimeError(msg)

    report = DataMigration(
        url, MigrationOptions("staging", batch_size=150), fault=fail_third
    ).migrate()

    assert (report.status, report.exit_code) == ("failed", 1)
    assert "batch 3" in report.problems[0]
    assert "injected fault" in report.problems[0]
    assert report.figures["rows_restored"] == 300
    assert digest(url) == before
    run = run_row(url, report.run_id)
    assert run.status == checkpoint.FAILED
    assert "injected fault" in (run.failure_reason or "")


def test_a_failing_validation_rolls_back_automatically(legacy_database: LegacyDatabase) -> None:
    url = legacy_database(600, edges=False)
    before = digest(url)

    def corrupt(batch_no: int, first: int, _last: int) -> None:
        if batch_no == 2:  # corrupt a row the first batch migrated
            with connect(url) as other:
                other.execute("UPDATE public.entries SET iso_week = 60 WHERE id = %s", (first - 1,))

    report = DataMigration(
        url, MigrationOptions("staging", batch_size=100), fault=corrupt
    ).migrate()

    assert report.status == "failed"
    assert "iso_year/iso_week do not match" in report.problems[0]
    assert digest(url) == before


def test_a_manual_rollback_gives_back_byte_identical_data(legacy_database: LegacyDatabase) -> None:
    url = legacy_database(2_000)
    before = digest(url)
    migration = DataMigration(url, MigrationOptions("production"))
    migrated = migration.migrate()
    assert digest(url) != before

    report = migration.rollback(None, "drill")

    assert report.status == "rolled_back", report.problems
    assert report.run_id == migrated.run_id
    assert report.figures["checksums_equal_pre_migration"] is True
    assert digest(url) == before
    assert run_row(url, report.run_id).status == checkpoint.ROLLED_BACK
    assert migration.rollback(report.run_id, "again").status == "already_rolled_back"
    assert migration.migrate().status == "completed"  # a new run after a rollback


def test_a_rollback_without_its_backup_refuses(legacy_database: LegacyDatabase) -> None:
    url = legacy_database(100, edges=False)
    migration = DataMigration(url, MigrationOptions("staging"))
    run = run_row(url, migration.migrate().run_id)
    with connect(url) as conn:
        conn.execute(f'DROP TABLE semaine_migration."{run.backup_table}"')

    with pytest.raises(MissingBackupError, match="does not exist") as raised:
        migration.rollback(None, "drill")

    assert raised.value.run_id == run.run_id
    assert run_row(url, run.run_id).status == checkpoint.COMPLETED


def test_a_tampered_backup_is_refused(legacy_database: LegacyDatabase) -> None:
    url = legacy_database(100, edges=False)
    migration = DataMigration(url, MigrationOptions("staging"))
    run = run_row(url, migration.migrate().run_id)
    with connect(url) as conn:
        table = f'semaine_migration."{run.backup_table}"'
        conn.execute(f"DELETE FROM {table} WHERE id = %s", (run.min_id,))  # noqa: S608 - a test's own table name

    with pytest.raises(MissingBackupError, match="no longer matches"):
        migration.rollback(run.run_id, "drill")
