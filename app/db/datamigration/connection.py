"""Connections to the target database, with errors that never show the password."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import DictRow, dict_row

from app.db.driver import driver_errors
from app.db.tls import require_tls

Connection = psycopg.Connection[DictRow]
APPLICATION_NAME = "semaine-data-migration"


def connect(url: str, *, purpose: str = "work") -> Connection:
    """Open an autocommit connection; each transaction is then explicit and short.

    A non-local host is reached over TLS only (app.db.tls). A failure to connect raises
    app.db.errors.DatabaseUnreachableError; the queries run
    inside the front door's app.db.driver boundary (`operation.run_verb`).
    """
    options: dict[str, Any] = {
        "autocommit": True,
        "row_factory": dict_row,
        "application_name": f"{APPLICATION_NAME}:{purpose}",
        "connect_timeout": 10,
    }
    with driver_errors(url, connecting=True):
        return psycopg.connect(require_tls(url), **options)


def one(cursor: psycopg.Cursor[DictRow]) -> DictRow:
    """Return the one row of an aggregate query (which always has exactly one)."""
    row = cursor.fetchone()
    if row is None:
        msg = "an aggregate query returned no row"
        raise RuntimeError(msg)
    return row
