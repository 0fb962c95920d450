"""Legacy rows at every calendar edge, for the rehearsal, the benchmark and the tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.db.datamigration import sqlfiles
from app.db.datamigration.connection import one

if TYPE_CHECKING:
    from app.db.datamigration.connection import Connection


def insert_legacy_rows(conn: Connection, rows: int) -> int:
    """Insert `rows` legacy rows (Sunday week_start, no ISO fields); return how many."""
    with conn.transaction():
        return conn.execute(sqlfiles.query("legacy_rows"), {"rows": rows}).rowcount


def table_digest(conn: Connection) -> str:
    """Return an md5 of every row of public.entries in id order: equal digests, equal bytes."""
    row = one(
        conn.execute(
            "SELECT md5(coalesce(string_agg(e::text, E'\\n' ORDER BY id), '')) AS digest"
            " FROM public.entries AS e"
        )
    )
    return str(row["digest"])
