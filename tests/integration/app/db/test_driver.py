"""app.db.driver against a real PostgreSQL: each failure leaves as one typed, one-line error."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest

from app.config import Settings
from app.db import migrate
from app.db.driver import connected, driver_errors
from app.db.errors import (
    DatabaseUnreachableError,
    LegacyRowsRemainError,
    QueryFailedError,
    RejectedValueError,
)
from app.db.pool import connection, open_pool
from semaine.executors.local.ports import free_port
from semaine.executors.local.postgres import ThrowawayPostgres

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.conftest import MakeDatabase

pytestmark = pytest.mark.integration

# A Sunday week_start: what the contract's checks reject.
_INSERT_LEGACY = (
    "INSERT INTO entries (entry_date, title, minutes, week_start, iso_year, iso_week)"
    " VALUES ('2024-01-07', 'legacy', 30, '2024-01-07', 2024, 1)"
)
# Password logins over TCP for everyone but the fixtures' superuser.
_HBA_CHECKING_LOGINS = (
    "local all all trust\n"
    "host all postgres 127.0.0.1/32 trust\n"
    "host all all 127.0.0.1/32 scram-sha-256\n"
)


@pytest.fixture(scope="module")
def password_server() -> Iterator[ThrowawayPostgres]:
    """Give a PostgreSQL that checks passwords (the session's cluster trusts everyone)."""
    with ThrowawayPostgres() as server:
        # Rewritten in place: the file keeps the owner and mode the server needs.
        (server.data_directory / "pg_hba.conf").write_text(_HBA_CHECKING_LOGINS, encoding="utf-8")
        with connected(server.url, autocommit=True) as admin:
            admin.execute("SELECT pg_reload_conf()")
            admin.execute("CREATE ROLE app LOGIN PASSWORD 'the-right-one'")
        yield server


def _one_line_without(error: Exception, secret: str) -> str:
    message = str(error)
    assert "\n" not in message
    assert secret
    assert secret not in message
    assert secret not in repr(vars(error))
    assert error.__cause__ is None
    assert error.__suppress_context__  # the driver's error is not printed under it
    return message


def test_an_unreachable_port_says_where_and_why() -> None:
    port = free_port()
    url = f"postgresql://app:s3cret-pw@127.0.0.1:{port}/semaine"

    with pytest.raises(DatabaseUnreachableError) as raised, connected(url, connect_timeout=5):
        pytest.fail("connected to a port nobody listens on")

    error = raised.value
    message = _one_line_without(error, "s3cret-pw")
    assert error.target == f"127.0.0.1:{port}/semaine"
    assert error.reason.startswith("OperationalError: connection failed:")
    assert "Connection refused" in error.reason
    assert message.startswith(f"cannot connect to PostgreSQL at 127.0.0.1:{port}/semaine: ")
    assert message.endswith(f": {error.reason}. {error.what_to_do}")
    assert error.what_to_do.startswith("check the URL (host, port, database name, user, password)")


@pytest.mark.slow
def test_a_wrong_password_is_refused_and_never_shown(password_server: ThrowawayPostgres) -> None:
    base = f"127.0.0.1:{password_server.port}/postgres"

    wrong = f"postgresql://app:wr0ng-pw@{base}"
    with pytest.raises(DatabaseUnreachableError) as raised, connected(wrong):
        pytest.fail("the server took a wrong password")

    message = _one_line_without(raised.value, "wr0ng-pw")
    assert 'password authentication failed for user "app"' in message
    assert raised.value.target == base
    with connected(f"postgresql://app:the-right-one@{base}") as accepted:
        assert accepted.execute("SELECT current_user").fetchone() == ("app",)


def test_a_constraint_violation_is_a_rejected_value_naming_its_constraint(
    database_url: str,
) -> None:
    with pytest.raises(RejectedValueError) as raised, connected(database_url) as conn:
        conn.execute(_INSERT_LEGACY)

    error = raised.value
    message = str(error)
    assert (error.sqlstate, error.driver_class) == ("23514", "CheckViolation")
    assert error.constraint == "ck_entries_week_start_monday"
    assert message.startswith("PostgreSQL refused: CheckViolation (SQLSTATE 23514): new row")
    assert "DETAIL" not in message  # PostgreSQL's first line only


def test_a_syntax_error_is_a_failed_query_with_its_first_line(database_url: str) -> None:
    with pytest.raises(QueryFailedError) as raised, connected(database_url) as conn:
        conn.execute("SELEC week_start FROM entries")

    error = raised.value
    assert not isinstance(error, RejectedValueError)
    assert str(error) == (
        'PostgreSQL refused: SyntaxError (SQLSTATE 42601): syntax error at or near "SELEC"'
    )


def test_a_statement_cancelled_by_statement_timeout(database_url: str) -> None:
    with connected(database_url, autocommit=True) as conn:
        conn.execute("SET statement_timeout = '50ms'")
        with pytest.raises(QueryFailedError) as raised, driver_errors(database_url):
            conn.execute("SELECT pg_sleep(30)")
        # Cancelled, not broken: the same connection goes on.
        assert conn.execute("SELECT 1").fetchone() == (1,)

    error = raised.value
    assert (error.sqlstate, error.driver_class) == ("57014", "QueryCanceled")
    assert str(error) == (
        "PostgreSQL refused: QueryCanceled (SQLSTATE 57014):"
        " canceling statement due to statement timeout"
    )


def test_a_database_that_does_not_exist_is_unreachable(postgres: ThrowawayPostgres) -> None:
    url = f"postgresql://postgres:s3cret-pw@127.0.0.1:{postgres.port}/no_such_database"

    with pytest.raises(DatabaseUnreachableError) as raised, connected(url):
        pytest.fail("connected to a database that does not exist")

    assert 'database "no_such_database" does not exist' in _one_line_without(raised.value, "s3cret")


def test_a_pool_connection_lends_inside_the_boundary(database_url: str) -> None:
    async def insert_legacy() -> None:
        pool = await open_pool(Settings(database_url=database_url, pool_min_size=1))
        try:
            async with connection(pool) as conn:
                await conn.execute(_INSERT_LEGACY)
        finally:
            await pool.close()

    with pytest.raises(RejectedValueError, match="ck_entries_week_start_monday"):
        asyncio.run(insert_legacy())


def test_the_contract_catches_a_legacy_row_that_slipped_in_after_its_count(
    make_database: MakeDatabase,
) -> None:
    # The revision counts legacy rows, adds its checks NOT VALID, then validates them: a
    # row an old writer adds in between fails the validation, which the revision catches
    # as the driver's RejectedValueError to undo its checks and refuse.
    url = make_database(migrate.EXPAND_REVISION)
    checks_before = _check_constraints(url)
    with connected(url, autocommit=True) as conn:
        conn.execute(
            "CREATE FUNCTION slip_in() RETURNS event_trigger LANGUAGE plpgsql AS $$"
            " BEGIN IF NOT EXISTS (SELECT FROM entries) THEN"
            " INSERT INTO entries (entry_date, title, minutes, week_start)"
            " VALUES ('2024-01-07', 'old writer', 5, '2024-01-07');"
            " END IF; END $$;"
            " CREATE EVENT TRIGGER slip_in ON ddl_command_end WHEN TAG IN ('ALTER TABLE')"
            " EXECUTE FUNCTION slip_in()"
        )

    with pytest.raises(LegacyRowsRemainError) as refused:
        migrate.upgrade(url)

    assert refused.value.count == 1
    assert migrate.current_revision(url) == migrate.EXPAND_REVISION
    assert _check_constraints(url) == checks_before  # the contract's checks undone


def _check_constraints(url: str) -> list[str]:
    with connected(url) as conn:
        rows = conn.execute(
            "SELECT conname FROM pg_constraint"
            " WHERE conrelid = 'entries'::regclass AND contype = 'c' ORDER BY conname"
        ).fetchall()
    return [str(name) for (name,) in rows]
