"""Apply, inspect and diff the schema revisions (alembic, configured in code)."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from psycopg.rows import tuple_row

from app.config import normalise_database_url
from app.db.driver import connected, driver_errors
from app.db.errors import DbError, UnknownRevisionError
from app.db.schema import check_constraint_names, entries, functions, metadata

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    import psycopg

SCRIPT_LOCATION = Path(__file__).with_name("migrations")
VERSION_TABLE = "alembic_version"
LEGACY_REVISION = "0001_legacy"
"""The pre-US1.6 table (Sunday weeks)."""
EXPAND_REVISION = "0002_us16_expand"
"""Nullable ISO columns: old and new code both run; the data migration runs here."""
CONTRACT_REVISION = "0003_us16_contract"
"""ISO columns NOT NULL and checked: refuses while legacy rows remain."""
OLDEST_SUPPORTED_REVISION = EXPAND_REVISION
"""The oldest revision this code runs against: it writes the ISO columns, which expand adds."""
# Taken by every process that runs schema revisions (migrations/env.py) and by the data
# migration: a data migration and a schema revision never overlap, and a release that
# applies the contract waits for a running data migration instead of racing it.
MIGRATION_LOCK_KEY = 20_160_106
_SYMBOLIC_TARGETS = frozenset({"head", "heads", "base"})
_RELATIVE_TARGET = re.compile(r"^[+-]\d+$")
_VERSION_TABLE_EXISTS = "SELECT to_regclass('alembic_version') IS NOT NULL"
_SELECT_VERSION = "SELECT version_num FROM alembic_version"
_CHECK_CONSTRAINTS = (
    "SELECT conname, convalidated FROM pg_constraint"
    " WHERE contype = 'c' AND conrelid = to_regclass(%(table)s)"
)
# The functions of the public schema, except those an extension brought (pg_prewarm...).
_FUNCTIONS = (
    "SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',"
    " p.prosrc, p.provolatile = 'i'"
    " FROM pg_proc AS p"
    " WHERE p.pronamespace = 'public'::regnamespace AND p.prokind = 'f'"
    "   AND NOT EXISTS (SELECT FROM pg_depend AS d"
    "                   WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid"
    "                     AND d.deptype = 'e')"
)


class DatabaseAheadError(UnknownRevisionError):
    """The database is at a revision this image does not know (an app rollback)."""

    def __init__(self, revision: str, known: Sequence[str]) -> None:
        super().__init__(revision, known)
        self.args = (
            (
                f"the database is at schema revision {revision!r}, which this image does not "
                f"know (its head is {known[-1]!r}): the database is ahead of this image; "
                "migrate it with the newer image"
            ),
        )


@dataclasses.dataclass(frozen=True)
class SchemaDifference:
    """One difference between the live database and the declared schema."""

    kind: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


def alembic_config(connection: sa.Connection | None = None) -> Config:
    """Return alembic's Config for our script directory (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@functools.cache
def _script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def known_revisions() -> list[str]:
    """Return this image's revision ids, oldest first."""
    script = _script_directory()
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


def supported_revisions() -> list[str]:
    """Return the revisions this code runs against, oldest first (expand up to head)."""
    known = known_revisions()
    return known[known.index(OLDEST_SUPPORTED_REVISION) :]


def head_revision() -> str:
    """Return this image's head revision id (read from the scripts, no database)."""
    head = _script_directory().get_current_head()
    if head is None:  # pragma: no cover - the package always ships its revisions
        msg = f"no schema revisions in {SCRIPT_LOCATION}"
        raise DbError(msg)
    return head


def upgrade(database_url: str, revision: str = "head") -> None:
    """Upgrade the database to `revision` (default: head)."""
    target = _checked_target(revision)
    with _connection(database_url) as connection:
        _refuse_unknown_current(connection)
        command.upgrade(alembic_config(connection), target)


def downgrade(database_url: str, revision: str) -> None:
    """Downgrade the database to `revision` (`base` removes every revision)."""
    target = _checked_target(revision)
    with _connection(database_url) as connection:
        _refuse_unknown_current(connection)
        command.downgrade(alembic_config(connection), target)


def current_revision(database_url: str) -> str | None:
    """Return the database's revision, or None when it has none (read with psycopg)."""
    url = normalise_database_url(database_url)
    with connected(url, connect_timeout=10) as connection:
        return read_revision(connection)


def read_revision(connection: psycopg.Connection[Any]) -> str | None:
    """Return the revision recorded behind an open connection, or None when there is none."""
    with connection.cursor(row_factory=tuple_row) as cursor:
        exists = cursor.execute(_VERSION_TABLE_EXISTS).fetchone()
        if not exists or not exists[0]:
            return None
        rows = cursor.execute(_SELECT_VERSION).fetchall()
    # Several rows would mean branches, which this linear chain never has: show them all.
    return ",".join(sorted(str(row[0]) for row in rows)) or None


async def current_revision_async(connection: psycopg.AsyncConnection[Any]) -> str | None:
    """Return the database's revision through an app connection (for /readyz)."""
    cursor = await connection.execute(_VERSION_TABLE_EXISTS)
    exists = await cursor.fetchone()
    if not exists or not exists[0]:
        return None
    cursor = await connection.execute(_SELECT_VERSION)
    row = await cursor.fetchone()
    return None if row is None else str(row[0])


def schema_diff(database_url: str) -> list[SchemaDifference]:
    """Return the differences between the live database and `app.db.schema.metadata`."""
    with _connection(database_url) as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "compare_server_default": True,
                "include_name": _include_name,
            },
        )
        with warnings.catch_warnings():
            # SQLAlchemy cannot rebuild a reflected NOT VALID check (it warns, and
            # pytest makes warnings errors); _check_differences reports those itself.
            warnings.filterwarnings("ignore", "Can't validate argument", sa.exc.SAWarning)
            differences = [_describe(diff) for diff in compare_metadata(context, metadata)]
        differences += _check_differences(connection)
        differences += _function_differences(connection)
    return differences


def _include_name(name: str | None, type_: str, _parent: object) -> bool:
    return not (type_ == "table" and name == VERSION_TABLE)


def _check_differences(connection: sa.Connection) -> list[SchemaDifference]:
    # compare_metadata does not compare CHECK constraints; compare them by name.
    if not connection.dialect.has_table(connection, entries.name):
        return []  # compare_metadata already reports the missing table
    rows = connection.exec_driver_sql(_CHECK_CONSTRAINTS, {"table": entries.name}).all()
    live = {str(name): bool(valid) for name, valid in rows}
    declared = check_constraint_names()
    differences = [
        SchemaDifference("add_check", f"{entries.name}.{name} is declared but missing")
        for name in sorted(declared - live.keys())
    ]
    differences += [
        SchemaDifference("remove_check", f"{entries.name}.{name} is in the database only")
        for name in sorted(live.keys() - declared)
    ]
    differences += [
        SchemaDifference("validate_check", f"{entries.name}.{name} is NOT VALID")
        for name in sorted(declared & live.keys())
        if not live[name]
    ]
    return differences


def _function_differences(connection: sa.Connection) -> list[SchemaDifference]:
    # compare_metadata knows no functions: compare them by signature, body and volatility.
    live = {
        str(signature): (str(body), bool(immutable))
        for signature, body, immutable in connection.exec_driver_sql(_FUNCTIONS).all()
    }
    declared = {f.signature: (f.body, True) for f in functions}
    differences = [
        SchemaDifference("add_function", f"{name} is declared but missing")
        for name in sorted(declared.keys() - live.keys())
    ]
    differences += [
        SchemaDifference("remove_function", f"{name} is in the database only")
        for name in sorted(live.keys() - declared.keys())
    ]
    differences += [
        SchemaDifference("modify_function", f"{name} differs from its declared definition")
        for name in sorted(declared.keys() & live.keys())
        if live[name] != declared[name]
    ]
    return differences


def _describe(diff: Any) -> SchemaDifference:  # noqa: ANN401 - alembic's diff tuples are untyped
    if isinstance(diff, list):
        # modify_* diffs come grouped per column, as lists of tuples.
        return SchemaDifference(
            diff[0][0], "; ".join(str(_describe(item)).partition(": ")[2] for item in diff)
        )
    kind = str(diff[0])
    if kind.startswith("modify_"):
        _, _, table, column, _, existing, declared = diff
        return SchemaDifference(
            kind, f"{table}.{column}: {existing!r} in the database, {declared!r} declared"
        )
    return SchemaDifference(kind, " ".join(_name(part) for part in diff[1:] if part is not None))


def _name(part: object) -> str:
    if isinstance(part, sa.Table):
        return part.name
    if isinstance(part, sa.Column | sa.Index | sa.Constraint):
        table = getattr(part, "table", None)
        prefix = f"{table.name}." if isinstance(table, sa.Table) else ""
        return f"{prefix}{part.name}"
    return str(part)


def _checked_target(revision: str) -> str:
    known = known_revisions()
    if revision in _SYMBOLIC_TARGETS or revision in known or _RELATIVE_TARGET.match(revision):
        return revision
    raise UnknownRevisionError(revision, known)


def _refuse_unknown_current(connection: sa.Connection) -> None:
    exists = connection.exec_driver_sql(_VERSION_TABLE_EXISTS).scalar()
    current = connection.exec_driver_sql(_SELECT_VERSION).scalar() if exists else None
    connection.rollback()
    known = known_revisions()
    if current is not None and current not in known:
        raise DatabaseAheadError(str(current), known)


@contextlib.contextmanager
def _connection(database_url: str) -> Iterator[sa.Connection]:
    url = normalise_database_url(database_url)
    engine = sa.create_engine(
        sa.make_url(url).set(drivername="postgresql+psycopg"), poolclass=sa.NullPool
    )
    try:
        with driver_errors(url, connecting=True):
            connection = engine.connect()
        # A revision PostgreSQL refuses (a lock timeout, a constraint) leaves as a DbError.
        with connection, driver_errors(url):
            yield connection
    finally:
        engine.dispose()
