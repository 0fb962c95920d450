"""The database rollback: the schema down to the expand revision, then the data from its backup.

The data rollback (app.db.datamigration) restores legacy rows, which only the expand
revision (0002) accepts: the contract's CHECKs (0003) would refuse them. So the schema
goes down first when it is at 0003, with its own validation; both steps are idempotent
(a downgrade at 0002 does nothing, a restored run is "already rolled back").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.db import migrate
from app.db.datamigration import checkpoint
from app.db.datamigration.connection import connect
from app.db.migrate import CONTRACT_REVISION, EXPAND_REVISION
from app.db.migrations.versions import v0003_us16_contract as contract
from semaine.delivery.errors import DeliveryError, DeliveryRefusedError

if TYPE_CHECKING:
    from app.db.datamigration.frontdoor import FrontDoor
    from app.db.datamigration.operation import Request
    from semaine.delivery.context import DeliveryContext

# What 0003_us16_contract adds, by name: it must all be gone at 0002.
_CONTRACT_CHECKS = [*contract.CHECKS, *contract.NOT_NULL_CHECKS]
_CONTRACT_LEFTOVERS = (
    "SELECT (SELECT count(*) FROM pg_constraint WHERE conrelid = 'entries'::regclass"
    "        AND conname = ANY(%(names)s)) AS checks,"
    " (SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public'"
    "        AND table_name = 'entries' AND column_name IN ('iso_year', 'iso_week')"
    "        AND is_nullable = 'NO') AS not_null"
)


class NothingToRestoreError(DeliveryRefusedError):
    """The schema would go down, but no migration run can be restored: refuse first."""

    def __init__(self) -> None:
        super().__init__(
            "no migration run to restore in this database (semaine_migration.runs)",
            "nothing to roll back in the data; for the application alone use"
            " --rollback-type application",
        )


class SchemaRollbackError(DeliveryError):
    """The downgrade ran but the schema is not what the expand revision declares."""

    def __init__(self, found: str) -> None:
        super().__init__(
            f"after the downgrade to {EXPAND_REVISION} the schema is not right: {found}",
            "inspect with python -m app db current; run the rollback again (it resumes)",
        )


@dataclass(frozen=True)
class DataRollback:
    """The database to roll back and the data operation's request (flags as parsed)."""

    url: str
    request: Request
    door: FrontDoor


def schema_revision(url: str) -> str | None:
    """Return the database's schema revision."""
    return migrate.current_revision(url)


def needs_schema_step(revision: str | None) -> bool:
    """Whether the schema must go down before the data can be restored."""
    return revision == CONTRACT_REVISION


def check_something_to_restore(rollback: DataRollback) -> None:
    """Refuse (before the schema changes) when no run can be restored or is restored already."""
    with connect(rollback.url, purpose="rollback-check") as conn:
        if rollback.request.run_id is not None:
            checkpoint.load(conn, rollback.request.run_id)
            return
        statuses = (checkpoint.COMPLETED, checkpoint.ROLLING_BACK, checkpoint.ROLLED_BACK)
        if checkpoint.latest(conn, statuses) is None:
            raise NothingToRestoreError


def schema_down_to_expand(url: str, context: DeliveryContext) -> None:
    """Downgrade 0003 -> 0002 (nothing at 0002), then check what the contract added is gone."""
    if not needs_schema_step(schema_revision(url)):
        context.say(f"schema: at {schema_revision(url)} already, nothing to do")
        return
    context.say(f"schema: {CONTRACT_REVISION} -> {EXPAND_REVISION}")
    migrate.downgrade(url, EXPAND_REVISION)
    revision = schema_revision(url)
    with connect(url, purpose="rollback-check") as conn:
        row = conn.execute(_CONTRACT_LEFTOVERS, {"names": _CONTRACT_CHECKS}).fetchone()
    if revision != EXPAND_REVISION or row is None or row["checks"] or row["not_null"]:
        checks, not_null = (row["checks"], row["not_null"]) if row else ("?", "?")
        found = f"revision {revision}, {checks} CHECKs, {not_null} NOT NULL ISO columns"
        raise SchemaRollbackError(found)
    context.say(f"schema: at {EXPAND_REVISION}, the contract's CHECKs and NOT NULLs gone")


def restore_data(rollback: DataRollback) -> int:
    """Run the data rollback (its report on stdout, as `semaine rollback` always printed)."""
    from app.db.datamigration.operation import run_verb  # noqa: PLC0415 - loads the runner

    return run_verb(rollback.url, rollback.request, rollback.door)
