"""Pre-migration checks: the schema revision and the shape of the entries table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.db.datamigration.errors import UnexpectedSchemaError, WrongRevisionError

if TYPE_CHECKING:
    from app.db.datamigration.connection import Connection

EXPECTED_REVISION = "0002_us16_expand"
LEGACY_REVISION = "0001_legacy"
CONTRACTED_REVISION = "0003_us16_contract"
_COLUMNS = (
    "id",
    "entry_date",
    "title",
    "minutes",
    "week_start",
    "iso_year",
    "iso_week",
    "created_at",
    "updated_at",
)


@dataclass(frozen=True)
class SchemaState:
    """What the pre-migration checks found."""

    revision: str | None

    @property
    def contracted(self) -> bool:
        """Whether 0003 is applied: its CHECKs already guarantee every row is migrated."""
        return self.revision == CONTRACTED_REVISION


def current_revision(conn: Connection) -> str | None:
    """Return alembic's recorded revision, or None when there is none."""
    exists = conn.execute("SELECT to_regclass('public.alembic_version') IS NOT NULL AS e")
    row = exists.fetchone()
    if row is None or not row["e"]:
        return None
    found = conn.execute("SELECT version_num FROM public.alembic_version").fetchall()
    if len(found) != 1:
        return ",".join(sorted(str(r["version_num"]) for r in found)) or None
    return str(found[0]["version_num"])


def check_schema(conn: Connection, *, allow_contracted: bool) -> SchemaState:
    """Refuse unless the schema is at 0002_us16_expand (or 0003 when `allow_contracted`)."""
    revision = current_revision(conn)
    if revision == CONTRACTED_REVISION and allow_contracted:
        return SchemaState(revision)
    if revision != EXPECTED_REVISION:
        raise WrongRevisionError(revision, EXPECTED_REVISION, _advice(revision))
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_schema = 'public' AND table_name = 'entries'"
    ).fetchall()
    present = {str(r["column_name"]) for r in rows}
    missing = tuple(c for c in _COLUMNS if c not in present)
    if missing:
        raise UnexpectedSchemaError(missing)
    return SchemaState(revision)


def _advice(revision: str | None) -> str:
    if revision == LEGACY_REVISION:
        return f"apply the expand revision first: python -m app db upgrade {EXPECTED_REVISION}"
    if revision == CONTRACTED_REVISION:
        return (
            "0003_us16_contract is applied: the data is migrated already; to restore legacy"
            f" data, first run python -m app db downgrade {EXPECTED_REVISION}"
        )
    if revision is None:
        return "this database has no Semaine schema: check --database-url / the environment"
    return f"bring the schema to {EXPECTED_REVISION} with python -m app db upgrade|downgrade"
