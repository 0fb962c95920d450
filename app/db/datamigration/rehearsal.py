"""Rehearse the whole data migration on a throwaway database and time each phase.

The schema revisions are applied by running the service's own command
(`python -m app db upgrade REV`) as a subprocess: the very command Heroku's release
phase runs, so the rehearsal proves it too.
"""

from __future__ import annotations

import os
import subprocess  # nosec B404 - runs the service's migration command, without a shell
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.db.datamigration import legacy
from app.db.datamigration.connection import connect
from app.db.datamigration.errors import DataMigrationError
from app.db.datamigration.runner import DataMigration, MigrationOptions
from app.db.migrate import EXPAND_REVISION, LEGACY_REVISION, read_revision
from app.redaction import scrub

if TYPE_CHECKING:
    from app.db.datamigration.connection import Connection
    from app.db.datamigration.report import Report

SchemaCommand = Callable[[str, Sequence[str]], None]


class RehearsalError(DataMigrationError):
    """A rehearsal step did not end the way a real run must."""


class RehearsalRefusedError(RehearsalError):
    """The database is not one a rehearsal may use; the rehearsal changed nothing."""


@dataclass
class Rehearsal:
    """The figures of a rehearsal."""

    rows: int
    seconds: dict[str, float] = field(default_factory=dict)
    checks: dict[str, bool] = field(default_factory=dict)
    reports: dict[str, dict[str, object]] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        """Return the JSON the pipeline's migrations stage reads."""
        return {
            "rows": self.rows,
            "migration_seconds": round(self.seconds.get("migrate", 0.0), 4),
            "phases_seconds": {k: round(v, 4) for k, v in self.seconds.items()},
            "checks": self.checks,
            "passed": all(self.checks.values()),
            "reports": self.reports,
        }


def run_app_db(url: str, arguments: Sequence[str]) -> None:
    """Run `python -m app db ARGS` against `url` (DATABASE_URL in its environment only)."""
    environment = {**os.environ, "DATABASE_URL": url}
    command = [sys.executable, "-m", "app", "db", *arguments]
    result = subprocess.run(  # noqa: S603 - fixed interpreter and arguments  # nosec B603
        command, env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        tail = (result.stderr.strip().splitlines() or [f"exit {result.returncode}"])[-1]
        msg = f"python -m app db {' '.join(arguments)} failed: {scrub(tail, url)}"
        raise RehearsalError(msg, "run it by hand to see the whole output")


def rehearse(url: str, rows: int, schema: SchemaCommand = run_app_db) -> Rehearsal:
    """Legacy rows, expand, migrate, roll back, compare, migrate again, contract."""
    result = Rehearsal(rows)
    timed = _timer(result.seconds)
    with connect(url) as conn:
        _refuse_unless_empty(conn)
    with timed("schema_legacy"):
        schema(url, ["upgrade", LEGACY_REVISION])
    with connect(url) as conn, timed("generate"):
        legacy.insert_legacy_rows(conn, rows)
    with timed("schema_expand"):
        schema(url, ["upgrade", EXPAND_REVISION])
    with connect(url) as conn:
        before = legacy.table_digest(conn)
    migration = DataMigration(url, MigrationOptions(environment="rehearsal"))
    with timed("migrate"):
        first = migration.migrate()
    with timed("rollback"):
        undone = migration.rollback(None, "rehearsal")
    with connect(url) as conn:
        after_rollback = legacy.table_digest(conn)
    with timed("migrate_again"):
        again = migration.migrate()
    with timed("schema_contract"):
        schema(url, ["upgrade", "head"])
    result.checks = {
        "migrated": first.status == "completed",
        "rolled_back": undone.status == "rolled_back",
        "rollback_byte_identical": before == after_rollback,
        "migrated_again": again.status == "completed",
        "contract_applied": True,
    }
    result.reports = {name: _summary(r) for name, r in (("migrate", first), ("rollback", undone))}
    return result


def _refuse_unless_empty(conn: Connection) -> None:
    """Raise RehearsalRefusedError unless the database has no schema, or 0001 and no rows."""
    found = read_revision(conn)
    if found not in (None, LEGACY_REVISION):
        msg = f"rehearse needs an empty database (found schema revision {found})"
        raise RehearsalRefusedError(msg, "pass a throwaway database")
    row = conn.execute("SELECT to_regclass('public.entries') IS NOT NULL AS e").fetchone()
    rows = "SELECT count(*) AS n FROM public.entries"
    if row is not None and row["e"] and conn.execute(rows).fetchone() != {"n": 0}:
        msg = "rehearse needs an empty entries table"
        raise RehearsalRefusedError(msg, "pass a throwaway database")


def _summary(report: Report) -> dict[str, object]:
    return {"status": report.status, "figures": dict(report.figures), "phases": dict(report.phases)}


def _timer(seconds: dict[str, float]) -> Callable[[str], _Timed]:
    return lambda name: _Timed(seconds, name)


class _Timed:
    def __init__(self, seconds: dict[str, float], name: str) -> None:
        self._seconds = seconds
        self._name = name
        self._began = 0.0

    def __enter__(self) -> None:
        self._began = time.perf_counter()

    def __exit__(self, *_exc: object) -> None:
        self._seconds[self._name] = time.perf_counter() - self._began
