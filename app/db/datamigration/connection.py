"""Connections to the target database, with errors that never show the password."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import DictRow, dict_row

from app.db.datamigration.errors import DatabaseUnreachableError
from app.redaction import redact_url, scrub

Connection = psycopg.Connection[DictRow]
APPLICATION_NAME = "semaine-data-migration"


def connect(url: str, *, purpose: str = "work") -> Connection:
    """Open an autocommit connection; each transaction is then explicit and short."""
    options: dict[str, Any] = {
        "autocommit": True,
        "row_factory": dict_row,
        "application_name": f"{APPLICATION_NAME}:{purpose}",
        "connect_timeout": 10,
    }
    try:
        return psycopg.connect(url, **options)
    except (psycopg.OperationalError, psycopg.ProgrammingError) as error:
        detail = scrub(str(error).strip().splitlines()[0] if str(error).strip() else "", url)
        raise DatabaseUnreachableError(redact_url(url), detail or type(error).__name__) from None


def one(cursor: psycopg.Cursor[DictRow]) -> DictRow:
    """Return the one row of an aggregate query (which always has exactly one)."""
    row = cursor.fetchone()
    if row is None:
        msg = "an aggregate query returned no row"
        raise RuntimeError(msg)
    return row
