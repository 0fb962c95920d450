"""The advisory lock that keeps two migrations (data or schema) from running at once."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

from app.db.datamigration.connection import Connection, connect
from app.db.datamigration.errors import LockHeldError
from app.db.migrate import MIGRATION_LOCK_KEY

if TYPE_CHECKING:
    from collections.abc import Iterator

# The key the schema revisions take too (app.db.migrate). A session lock dies with its
# connection, so `kill -9` of a run frees it at once.


@contextmanager
def migration_lock(url: str, key: int = MIGRATION_LOCK_KEY) -> Iterator[None]:
    """Hold the migration advisory lock on a dedicated connection, or refuse at once."""
    with connect(url, purpose="lock") as conn:
        row = conn.execute("SELECT pg_try_advisory_lock(%s) AS got", (key,)).fetchone()
        if row is None or not row["got"]:
            raise _held(conn, key)
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (key,))


def _held(conn: Connection, key: int) -> LockHeldError:
    holder = conn.execute(
        "SELECT a.pid, a.application_name, a.backend_start"
        " FROM pg_locks AS l JOIN pg_stat_activity AS a ON a.pid = l.pid"
        " WHERE l.locktype = 'advisory' AND l.granted"
        "   AND ((l.classid::bigint << 32) | l.objid::bigint) = %s AND l.objsubid = 1",
        (key,),
    ).fetchone()
    if holder is None:
        return LockHeldError(key, None, "holder not visible to this user")
    started = holder["backend_start"]
    return LockHeldError(
        key, int(holder["pid"]), f"{holder['application_name'] or 'unnamed'} since {started:%c}"
    )
