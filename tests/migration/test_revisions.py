import asyncio
import datetime as dt
from collections.abc import Callable

import psycopg
import pytest
import sqlalchemy as sa

from app.db import migrate
from app.db.errors import DatabaseUnreachableError, LegacyRowsRemainError, UnknownRevisionError
from app.db.schema import check_constraint_names, metadata
from app.db.week_functions import FUNCTIONS, week_columns
from semaine.executors.local.postgres import ThrowawayPostgres

pytestmark = pytest.mark.migration

MakeDatabase = Callable[..., str]

REVISIONS = ["0001_legacy", "0002_us16_expand", "0003_us16_contract"]
LEGACY_SUNDAY = dt.date(2024, 1, 7)  # a Sunday; ISO week 2024-W01 starts Monday 2024-01-01


def _insert_legacy_row(url: str) -> int:
    with psycopg.connect(url) as connection:
        row = connection.execute(
            "INSERT INTO entries (entry_date, title, minutes, week_start)"
            " VALUES (%s, 'legacy', 30, %s) RETURNING id",
            (LEGACY_SUNDAY, LEGACY_SUNDAY),
        ).fetchone()
    assert row is not None
    return int(row[0])


def _fix_rows(url: str) -> None:
    """Do what the US1.6 data migration does, for every row."""
    with psycopg.connect(url) as connection:
        connection.execute(
            "UPDATE entries SET (week_start, iso_year, iso_week) ="  # noqa: S608 - constants
            f" ROW({week_columns('entry_date')})"
        )


def _rows(url: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as connection:
        return connection.execute(
            "SELECT id, entry_date, title, minutes, week_start FROM entries ORDER BY id"
        ).fetchall()


def test_the_revisions_are_the_documented_chain() -> None:
    assert migrate.known_revisions() == REVISIONS
    assert migrate.head_revision() == "0003_us16_contract"
    named = [migrate.LEGACY_REVISION, migrate.EXPAND_REVISION, migrate.CONTRACT_REVISION]
    assert named == REVISIONS


def _functions(url: str) -> list[str]:
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace"
            " ORDER BY proname"
        ).fetchall()
    return [str(name) for (name,) in rows]


def test_expand_brings_the_week_functions_and_takes_them_back(
    make_database: MakeDatabase,
) -> None:
    url = make_database("0001_legacy")
    assert _functions(url) == []

    migrate.upgrade(url, "0002_us16_expand")
    assert _functions(url) == sorted(f.name for f in FUNCTIONS)

    migrate.downgrade(url, "0001_legacy")
    assert _functions(url) == []


def test_the_declared_schema_builds_what_the_revisions_build(make_database: MakeDatabase) -> None:
    url = make_database("base")
    engine = sa.create_engine(
        sa.make_url(url).set(drivername="postgresql+psycopg"), poolclass=sa.NullPool
    )
    try:
        metadata.create_all(engine)
    finally:
        engine.dispose()

    assert migrate.schema_diff(url) == []


def test_schema_diff_reports_missing_changed_and_extra_functions(database_url: str) -> None:
    with psycopg.connect(database_url) as connection:
        connection.execute("ALTER TABLE entries DROP CONSTRAINT ck_entries_iso_week_matches")
        connection.execute("DROP FUNCTION iso_week_label(date)")
        connection.execute("DROP FUNCTION iso_week_number(date)")
        # The Sunday rule under the ISO name: what the comparison is there to catch.
        connection.execute(
            "CREATE FUNCTION iso_week_number(day date) RETURNS smallint"
            " LANGUAGE sql IMMUTABLE AS $$SELECT extract(week FROM day + 1)::smallint$$"
        )
        connection.execute("CREATE FUNCTION helper() RETURNS int LANGUAGE sql AS $$SELECT 1$$")

    found = {(d.kind, d.detail) for d in migrate.schema_diff(database_url)}

    assert found == {
        ("add_check", "entries.ck_entries_iso_week_matches is declared but missing"),
        ("add_function", "iso_week_label(day date) is declared but missing"),
        ("modify_function", "iso_week_number(day date) differs from its declared definition"),
        ("remove_function", "helper() is in the database only"),
    }


def test_every_revision_up_down_to_base_and_up_again(make_database: MakeDatabase) -> None:
    url = make_database("base")
    assert migrate.current_revision(url) is None
    for revision in REVISIONS:
        migrate.upgrade(url, revision)
        assert migrate.current_revision(url) == revision
    for revision in reversed(REVISIONS[:-1]):
        migrate.downgrade(url, revision)
        assert migrate.current_revision(url) == revision
    migrate.downgrade(url, "base")
    assert migrate.current_revision(url) is None
    with psycopg.connect(url) as connection:
        assert connection.execute("SELECT to_regclass('entries')").fetchone() == (None,)

    migrate.upgrade(url)

    assert migrate.current_revision(url) == migrate.head_revision()
    assert migrate.schema_diff(url) == []


def test_head_matches_the_declared_schema(database_url: str) -> None:
    assert migrate.schema_diff(database_url) == []


def test_schema_diff_reports_what_differs(make_database: MakeDatabase) -> None:
    url = make_database("0002_us16_expand")

    differences = {(d.kind, d.detail) for d in migrate.schema_diff(url)}

    assert ("modify_nullable", "entries.iso_year: True in the database, False declared") in (
        differences
    )
    assert {
        ("add_check", f"entries.{name} is declared but missing")
        for name in check_constraint_names()
        - {"ck_entries_title_length", "ck_entries_minutes_range"}
    } <= differences


def test_schema_diff_reports_an_extra_check_and_an_unvalidated_one(database_url: str) -> None:
    with psycopg.connect(database_url) as connection:
        connection.execute("ALTER TABLE entries ADD CONSTRAINT ck_extra CHECK (minutes < 9999)")
        connection.execute("ALTER TABLE entries DROP CONSTRAINT ck_entries_week_start_monday")
        connection.execute(
            "ALTER TABLE entries ADD CONSTRAINT ck_entries_week_start_monday"
            " CHECK (week_start = iso_week_start(week_start)) NOT VALID"
        )

    kinds = {(d.kind, d.detail) for d in migrate.schema_diff(database_url)}

    assert kinds == {
        ("remove_check", "entries.ck_extra is in the database only"),
        ("validate_check", "entries.ck_entries_week_start_monday is NOT VALID"),
    }


def test_contract_refuses_while_a_legacy_row_exists_then_applies(
    make_database: MakeDatabase,
) -> None:
    url = make_database("0002_us16_expand")
    _insert_legacy_row(url)

    with pytest.raises(LegacyRowsRemainError) as refused:
        migrate.upgrade(url)

    assert refused.value.count == 1
    message = str(refused.value)
    assert "1 row(s) of entries are still legacy" in message
    assert "semaine migrate" in message
    assert "python -m app db upgrade" in message
    assert migrate.current_revision(url) == "0002_us16_expand"

    _fix_rows(url)
    migrate.upgrade(url)

    assert migrate.current_revision(url) == "0003_us16_contract"
    assert migrate.schema_diff(url) == []


def test_the_contract_rejects_legacy_writes_afterwards(make_database: MakeDatabase) -> None:
    url = make_database("0002_us16_expand")
    migrate.upgrade(url)

    with (
        pytest.raises(psycopg.errors.CheckViolation, match="week_start_monday"),
        psycopg.connect(url) as connection,
    ):
        connection.execute(
            "INSERT INTO entries (entry_date, title, minutes, week_start, iso_year, iso_week)"
            " VALUES (%s, 'legacy', 30, %s, 2024, 1)",
            (LEGACY_SUNDAY, LEGACY_SUNDAY),
        )


def test_contract_refuses_when_iso_fields_do_not_match_the_date(
    make_database: MakeDatabase,
) -> None:
    url = make_database("0002_us16_expand")
    with psycopg.connect(url) as connection:
        connection.execute(
            "INSERT INTO entries (entry_date, title, minutes, week_start, iso_year, iso_week)"
            " VALUES ('2024-01-07', 'wrong week', 5, '2024-01-01', 2024, 2)"
        )

    with pytest.raises(LegacyRowsRemainError, match="1 row"):
        migrate.upgrade(url)


def test_downgrading_contract_then_expand_keeps_the_data(make_database: MakeDatabase) -> None:
    url = make_database("0002_us16_expand")
    _insert_legacy_row(url)
    _fix_rows(url)
    migrate.upgrade(url)
    before = _rows(url)

    migrate.downgrade(url, "0002_us16_expand")
    with psycopg.connect(url) as connection:
        assert connection.execute("SELECT iso_year, iso_week FROM entries").fetchall() == [
            (2024, 1)
        ]
    migrate.downgrade(url, "0001_legacy")

    assert _rows(url) == before
    assert before[0][4] == dt.date(2024, 1, 1)


def test_unknown_revision_lists_the_known_ones(database_url: str) -> None:
    with pytest.raises(UnknownRevisionError, match="0001_legacy, 0002_us16_expand"):
        migrate.downgrade(database_url, "0042_nope")


def test_a_database_ahead_of_this_image_is_refused(database_url: str) -> None:
    with psycopg.connect(database_url) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0004_future'")

    with pytest.raises(migrate.DatabaseAheadError, match="ahead of this image"):
        migrate.upgrade(database_url)
    assert migrate.current_revision(database_url) == "0004_future"


def test_an_unreachable_database_names_host_and_port_not_the_password(
    postgres: ThrowawayPostgres,
) -> None:
    url = f"postgresql://postgres:s3cret-pw@127.0.0.1:{postgres.port}/no_such_database"

    for operation in (migrate.upgrade, migrate.current_revision, migrate.schema_diff):
        with pytest.raises(DatabaseUnreachableError) as raised:
            operation(url)
        message = str(raised.value)
        assert f"127.0.0.1:{postgres.port}/no_such_database" in message
        assert "does not exist" in message
        assert "s3cret-pw" not in message


def test_current_revision_async_reads_through_an_app_connection(
    make_database: MakeDatabase,
) -> None:
    async def read(url: str) -> str | None:
        async with await psycopg.AsyncConnection.connect(url) as connection:
            return await migrate.current_revision_async(connection)

    assert asyncio.run(read(make_database("base"))) is None
    assert asyncio.run(read(make_database("0001_legacy"))) == "0001_legacy"
