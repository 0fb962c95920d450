"""Read the database's health in one read-only transaction under statement_timeout.

The data invariant is the data migration's own validation (`row_rules`: rows whose
week_start is not a Monday, ...), the revision the service's own reader (`read_revision`):
one home for each, whatever asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg.rows import dict_row

from app.db.datamigration.connection import one
from app.db.datamigration.validation import RowRules, row_rules
from app.db.driver import connected, driver_errors
from app.db.migrate import read_revision
from app.db.tls import require_tls

if TYPE_CHECKING:
    from psycopg.rows import DictRow

    from semaine.environments.monitoring import DatabaseLimits

APPLICATION_NAME = "semaine-monitor"
TCP_USER_TIMEOUT_MS = 10_000
"""Cut a connection whose packets go unacknowledged (a dropped network), as libpq allows."""

ACTIVITY = """\
SELECT current_setting('max_connections')::integer AS max_connections,
       (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')
           AS connections,
       (SELECT coalesce(max(extract(epoch FROM clock_timestamp() - query_start)), 0)::float
          FROM pg_stat_activity
         WHERE state = 'active' AND backend_type = 'client backend'
           AND pid <> pg_backend_pid()) AS longest_query_seconds,
       coalesce(pg_total_relation_size(to_regclass('public.entries')), 0) AS entries_bytes,
       to_regclass('pg_stat_statements') IS NOT NULL AS has_statements
"""
SLOW_STATEMENTS = """\
SELECT count(*) FILTER (WHERE mean_exec_time > %(slow_ms)s) AS slow_statements,
       coalesce(max(mean_exec_time), 0)::float AS slowest_mean_ms
FROM pg_stat_statements
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
"""


@dataclass(frozen=True)
class DatabaseFigures:
    """What one reading found."""

    activity: dict[str, Any]
    statements: dict[str, Any] | None
    """pg_stat_statements' summary; None when the extension is not installed or not loaded."""
    statements_note: str
    rules: RowRules
    revision: str | None


def read_figures(url: str, limits: DatabaseLimits) -> DatabaseFigures:
    """Connect, read everything in one read-only transaction, disconnect (raises DriverError)."""
    options = (
        f"-c statement_timeout={limits.statement_timeout_ms}"
        " -c default_transaction_read_only=on -c idle_in_transaction_session_timeout=60000"
    )
    with driver_errors(url, connecting=True):
        url = require_tls(url)  # the one rule of encryption in transit, as every connection
    with connected(
        url,
        connect_timeout=limits.connect_timeout_seconds,
        options=options,
        application_name=APPLICATION_NAME,
        tcp_user_timeout=TCP_USER_TIMEOUT_MS,
        row_factory=dict_row,
    ) as connection:
        connection.read_only = True
        activity = dict(one(connection.execute(ACTIVITY)))
        statements, note = _statements(connection, limits, installed=activity["has_statements"])
        figures = DatabaseFigures(
            activity, statements, note, row_rules(connection), read_revision(connection)
        )
        connection.rollback()
        return figures


def _statements(
    connection: psycopg.Connection[DictRow], limits: DatabaseLimits, *, installed: bool
) -> tuple[dict[str, Any] | None, str]:
    if not installed:
        return None, "pg_stat_statements is not installed"
    try:
        # A savepoint: the extension may be installed but not loaded, which must not
        # abort the transaction the other readings run in.
        with connection.transaction():
            row = one(connection.execute(SLOW_STATEMENTS, {"slow_ms": limits.slow_statement_ms}))
    except psycopg.errors.ObjectNotInPrerequisiteState:
        return None, "pg_stat_statements is installed but not loaded (shared_preload_libraries)"
    except psycopg.errors.InsufficientPrivilege:
        return None, "pg_stat_statements cannot be read by this role"
    return dict(row), ""
