"""The backup taken before any write: a table per run, its checksums, an optional pg_dump."""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import shutil
import subprocess  # nosec B404 - runs pg_dump, a fixed binary, without a shell
from typing import TYPE_CHECKING

from psycopg import conninfo

from app.db.datamigration import checkpoint, sqlfiles
from app.db.datamigration.connection import one
from app.db.datamigration.errors import DumpError, MissingBackupError
from app.db.tls import require_tls
from app.redaction import scrub

if TYPE_CHECKING:
    from pathlib import Path

    from app.db.datamigration.checkpoint import Run
    from app.db.datamigration.connection import Connection

_RUN_ID = re.compile(r"^[0-9]{8}t[0-9]{6}z_[0-9a-f]{6}$")


def new_run_id(now: dt.datetime | None = None) -> str:
    """Return a fresh run id, sortable by time and usable in a table name."""
    moment = now or dt.datetime.now(dt.UTC)
    return f"{moment:%Y%m%dt%H%M%Sz}_{secrets.token_hex(3)}"


def backup_table_name(run_id: str) -> str:
    """Return the backup table of a run (in the semaine_migration schema)."""
    if not _RUN_ID.match(run_id):
        msg = f"not a run id: {run_id!r}"
        raise ValueError(msg)
    return f"backup_{run_id}"


def take_backup(conn: Connection, environment: str, run_id: str) -> Run:
    """Copy the affected columns of every row and record the run, in one transaction.

    A run killed during the backup leaves nothing: the table, its checksums and the run row
    commit together. REPEATABLE READ makes the copy and its checksums one snapshot.
    """
    checkpoint.ensure_schema(conn)
    table = backup_table_name(run_id)
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        conn.execute(sqlfiles.query("backup", backup=table))
        facts = one(conn.execute(sqlfiles.query("backup_facts", backup=table)))
        conn.execute(
            "INSERT INTO semaine_migration.runs (run_id, environment, status, min_id, max_id,"
            " rows_to_change, backup_table, backup_rows, backup_checksum, untouched_checksum)"
            " VALUES (%(run_id)s, %(environment)s, 'migrating', %(min_id)s, %(max_id)s,"
            " %(rows_to_change)s, %(table)s, %(backup_rows)s, %(backup_checksum)s,"
            " %(untouched_checksum)s)",
            {**facts, "run_id": run_id, "environment": environment, "table": table},
        )
    return checkpoint.load(conn, run_id)


def verify_backup(conn: Connection, run: Run) -> None:
    """Refuse unless the run's backup table exists and still matches its recorded checksum."""
    row = conn.execute(
        "SELECT to_regclass(%s) IS NOT NULL AS e", (f"semaine_migration.{run.backup_table}",)
    ).fetchone()
    if row is None or not row["e"]:
        raise MissingBackupError(run.run_id, run.backup_table, "does not exist")
    facts = one(conn.execute(sqlfiles.query("backup_facts", backup=run.backup_table)))
    if (facts["backup_rows"], facts["backup_checksum"]) != (run.backup_rows, run.backup_checksum):
        raise MissingBackupError(
            run.run_id, run.backup_table, "no longer matches the checksum recorded at backup time"
        )


def dump_table(url: str, path: Path) -> Path:
    """Write `pg_dump -Fc` of public.entries to `path`; the password goes by environment."""
    binary = shutil.which("pg_dump")
    if binary is None:
        raise DumpError(str(path), "pg_dump is not on PATH")
    # The sslmode goes in --dbname: pg_dump runs without the PG* variables of this process.
    params = conninfo.conninfo_to_dict(require_tls(url))
    password = params.pop("password", None)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    if password is not None:
        environment["PGPASSWORD"] = str(password)
    path.parent.mkdir(parents=True, exist_ok=True)
    command = [
        binary,
        "--format=custom",
        "--table=public.entries",
        f"--file={path}",
        f"--dbname={conninfo.make_conninfo('', **params)}",
    ]
    result = subprocess.run(  # noqa: S603 - fixed binary and arguments, no shell  # nosec B603
        command, env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or [f"exit status {result.returncode}"])[-1]
        raise DumpError(str(path), scrub(last, url, str(password or "")))
    return path
