"""app.db.driver without a server: the one description, the target, the translation."""

from __future__ import annotations

import asyncio

import psycopg
import pytest
import sqlalchemy as sa
from psycopg import errors
from psycopg_pool import PoolTimeout

from app.db.driver import describe, driver_errors, target, translate
from app.db.errors import (
    DatabaseUnreachableError,
    DbError,
    QueryFailedError,
    RejectedValueError,
)

_NEAR_IT = "syntax error at or near pw"
_AUTHENTICATION_FAILED = 'password authentication failed for user "app"'


@pytest.mark.parametrize(
    ("error", "line"),
    [
        (
            errors.QueryCanceled("canceling statement due to statement timeout"),
            "QueryCanceled (SQLSTATE 57014): canceling statement due to statement timeout",
        ),
        (
            errors.SyntaxError('syntax error at or near "SELEC"\nLINE 1: SELEC 1\n        ^'),
            'SyntaxError (SQLSTATE 42601): syntax error at or near "SELEC"',
        ),
        (
            psycopg.OperationalError("\n the connection is closed \n"),
            "OperationalError: the connection is closed",
        ),
        (errors.CheckViolation(), "CheckViolation (SQLSTATE 23514)"),
        (psycopg.OperationalError(), "OperationalError"),
        (RuntimeError("injected fault\nsecond line"), "RuntimeError: injected fault"),
    ],
)
def test_describe_gives_class_sqlstate_and_first_line(error: BaseException, line: str) -> None:
    assert describe(error) == line


def test_describe_hides_a_password_libpq_quotes() -> None:
    # libpq quotes a malformed part of the URL, here the password itself.
    url = "postgresql://app:se%zzcret@127.0.0.1:1/semaine"
    with pytest.raises(psycopg.ProgrammingError) as raised:
        psycopg.connect(url)
    assert "se%zzcret" in str(raised.value)

    assert describe(raised.value, url) == 'ProgrammingError: invalid percent-encoded token: "***"'


@pytest.mark.parametrize(
    ("secret_source", "quoted"),
    [
        ("postgresql://app:p%40ss-word@db:5432/semaine", "p@ss-word"),  # decoded by libpq
        ("host=db dbname=semaine password=kw-secret", "kw-secret"),  # a key=value string
    ],
)
def test_describe_hides_the_password_in_every_form(secret_source: str, quoted: str) -> None:
    error = psycopg.OperationalError(f"authentication failed with {quoted}")
    assert describe(error, secret_source) == "OperationalError: authentication failed with ***"


@pytest.mark.parametrize(
    ("url", "where"),
    [
        (
            "postgresql://app:pw@db.internal:6432/semaine?sslmode=require",
            "db.internal:6432/semaine",
        ),
        ("postgresql://app:pw@db.internal/semaine", "db.internal:5432/semaine"),
        ("postgresql:///semaine?host=/run/postgresql", "the local socket:5432/semaine"),
        ("host=db password=kw-secret", "host=db password=***"),
        ("postgresql://app:pw@db:port/semaine", "<a malformed URL>"),
        ("", "the configured database"),
    ],
)
def test_target_names_where_never_the_password(url: str, where: str) -> None:
    assert target(url) == where


def test_connecting_failures_and_pool_timeouts_are_unreachable() -> None:
    url = "postgresql://app:pw@db:5432/semaine"
    refused = translate(psycopg.OperationalError("connection refused"), url, connecting=True)
    waited = translate(PoolTimeout("couldn't get a connection after 2.00 sec"), url)

    assert isinstance(refused, DatabaseUnreachableError)
    assert (refused.target, refused.reason) == (
        "db:5432/semaine",
        "OperationalError: connection refused",
    )
    assert isinstance(waited, DatabaseUnreachableError)
    assert waited.driver_class == "PoolTimeout"


@pytest.mark.parametrize(
    "error", [errors.UniqueViolation(), errors.CheckViolation(), errors.NumericValueOutOfRange()]
)
def test_rejected_values_are_their_own_kind(error: psycopg.Error) -> None:
    translated = translate(error)
    assert isinstance(translated, RejectedValueError)
    assert translated.sqlstate == error.sqlstate
    assert str(translated).startswith(f"PostgreSQL refused: {type(error).__name__} (SQLSTATE")


def test_other_failures_say_who_refused() -> None:
    refused = translate(errors.LockNotAvailable("canceling statement due to lock timeout"))
    failed = translate(psycopg.OperationalError("the connection is lost"))

    assert type(refused) is QueryFailedError
    assert refused.sqlstate == "55P03"
    assert str(refused) == (
        "PostgreSQL refused: LockNotAvailable (SQLSTATE 55P03):"
        " canceling statement due to lock timeout"
    )
    assert type(failed) is QueryFailedError  # psycopg's own: no SQLSTATE, not PostgreSQL's word
    assert str(failed) == "the query failed: OperationalError: the connection is lost"


def test_the_boundary_translates_and_does_not_chain() -> None:
    with pytest.raises(QueryFailedError) as raised, driver_errors("postgresql://app:pw@db/semaine"):
        raise errors.SyntaxError(_NEAR_IT)

    assert (
        str(raised.value)
        == "PostgreSQL refused: SyntaxError (SQLSTATE 42601): syntax error at or near ***"
    )
    assert raised.value.__cause__ is None
    assert raised.value.__suppress_context__


def test_the_boundary_unwraps_what_sqlalchemy_wrapped() -> None:
    wrapped = sa.exc.OperationalError("SELECT 1", {}, errors.QueryCanceled("canceled"))
    with pytest.raises(QueryFailedError, match="QueryCanceled"), driver_errors():
        raise wrapped


@pytest.mark.parametrize(
    "error", [ValueError("not the driver's"), sa.exc.ArgumentError("no driver error inside")]
)
def test_the_boundary_lets_other_errors_through(error: Exception) -> None:
    with pytest.raises(type(error)) as raised, driver_errors():
        raise error
    assert raised.value is error


def test_the_boundary_works_in_async_code_and_for_connects() -> None:
    async def connect() -> None:
        async with driver_errors("postgresql://app:pw@db:1/semaine", connecting=True):
            raise errors.InvalidPassword(_AUTHENTICATION_FAILED)

    with pytest.raises(DatabaseUnreachableError) as raised:
        asyncio.run(connect())
    assert raised.value.target == "db:1/semaine"
    assert (raised.value.sqlstate, raised.value.driver_class) == ("28P01", "InvalidPassword")
    assert isinstance(raised.value, DbError)  # every front door's `except DbError` catches it
