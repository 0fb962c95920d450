from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import psycopg
import pytest

from app.db.datamigration.connection import connect
from app.db.datamigration.errors import LockHeldError, WrongRevisionError
from app.db.datamigration.legacy import table_digest
from app.db.datamigration.runner import DataMigration, MigrationOptions
from app.db.errors import DatabaseUnreachableError
from app.db.migrate import MIGRATION_LOCK_KEY

if TYPE_CHECKING:
    from semaine.executors.local.postgres import ThrowawayPostgres

pytestmark = pytest.mark.integration

LegacyDatabase = Callable[..., str]


def migration(url: str) -> DataMigration:
    return DataMigration(url, MigrationOptions("staging"))


def test_the_legacy_revision_is_refused_with_the_command_to_run(
    make_database: Callable[[str], str],
) -> None:
    url = make_database("0001_legacy")
    with pytest.raises(WrongRevisionError, match="db upgrade 0002_us16_expand") as raised:
        migration(url).migrate()
    assert raised.value.found == "0001_legacy"


def test_a_contracted_schema_has_nothing_to_migrate_and_cannot_be_rolled_back(
    database_url: str,
) -> None:
    assert migration(database_url).migrate().status == "nothing_to_do"
    with pytest.raises(WrongRevisionError, match="db downgrade 0002_us16_expand"):
        migration(database_url).rollback(None, "drill")


def test_a_database_without_schema_is_refused(postgres: ThrowawayPostgres) -> None:
    url = postgres.create_database("no_schema_at_all")
    with pytest.raises(WrongRevisionError, match="no Semaine schema"):
        migration(url).migrate()


def test_a_held_lock_is_refused_naming_its_holder(legacy_database: LegacyDatabase) -> None:
    url = legacy_database(10, edges=False)
    with psycopg.connect(url, autocommit=True, application_name="other-migration") as other:
        other.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK_KEY,))
        pid = other.info.backend_pid
        with pytest.raises(LockHeldError, match="other-migration") as raised:
            migration(url).migrate()
    assert raised.value.holder_pid == pid
    assert f"pg_terminate_backend({pid})" in str(raised.value)


def test_a_wrong_url_is_refused_without_its_password(postgres: ThrowawayPostgres) -> None:
    url = f"postgresql://postgres:sup3r-secret@127.0.0.1:{postgres.port}/no_such_database"
    with pytest.raises(DatabaseUnreachableError) as raised:
        migration(url).migrate()
    message = str(raised.value)
    assert "sup3r-secret" not in message
    # The one wording of every part of the service: where (host:port/database), then why.
    assert f"cannot connect to PostgreSQL at 127.0.0.1:{postgres.port}/no_such_database" in message
    assert 'database "no_such_database" does not exist' in message
    assert message.endswith(f". {raised.value.what_to_do}")
    assert raised.value.what_to_do.startswith("check the URL (host, port, database name")


def test_a_dry_run_writes_nothing(legacy_database: LegacyDatabase) -> None:
    url = legacy_database(1_500)
    with connect(url) as conn:
        before = table_digest(conn)
        wal = conn.execute("SELECT pg_current_wal_insert_lsn() AS l").fetchone()

    report = migration(url).dry_run()

    assert report.status == "dry_run"
    assert report.figures["rows_to_change"] == report.figures["total_rows"]
    assert report.figures["rows_to_change"] > 1_500  # type: ignore[operator]
    assert report.figures["estimated_seconds"] > 0  # type: ignore[operator]
    assert len(report.sample) == 10
    assert report.sample[0]["iso_year_before"] is None
    with connect(url) as conn:
        assert table_digest(conn) == before
        schema = conn.execute("SELECT to_regnamespace('semaine_migration') AS s").fetchone()
        assert schema == {"s": None}
    assert wal is not None
