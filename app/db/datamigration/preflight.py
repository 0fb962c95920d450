"""Pre-migration checks: the schema revision and the shape of the entries table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.db.datamigration.errors import UnexpectedSchemaError, WrongRevisionError
from app.db.migrate import CONTRACT_REVISION, EXPAND_REVISION, LEGACY_REVISION, read_revision

if TYPE_CHECKING:
    from app.db.datamigration.connection import Connection

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
        return self.revision == CONTRACT_REVISION


def check_schema(conn: Connection, *, allow_contracted: bool) -> SchemaState:
    """Refuse unless the schema is at 0002_us16_expand (or 0003 when `allow_contracted`)."""
    revision = read_revision(conn)
    if revision == CONTRACT_REVISION and allow_contracted:
        return SchemaState(revision)
    if revision != EXPAND_REVISION:
        raise WrongRevisionError(revision, EXPAND_REVISION, _advice(revision))
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
        return f"apply the expand revision first: python -m app db upgrade {EXPAND_REVISION}"
    if revision == CONTRACT_REVISION:
        return (
            f"{CONTRACT_REVISION} is applied: the data is migrated already; to restore legacy"
            f" data, first run python -m app db downgrade {EXPAND_REVISION}"
        )
    if revision is None:
        return "this database has no Semaine schema: check --database-url / the environment"
    return f"bring the schema to {EXPAND_REVISION} with python -m app db upgrade|downgrade"
