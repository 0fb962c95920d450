"""US1.6 contract: ISO columns NOT NULL, Monday weeks and ISO fields enforced.

Refuses while legacy rows remain: the US1.6 data migration runs between
0002_us16_expand and this revision.

Revision ID: 0003_us16_contract
Revises: 0002_us16_expand
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.db.driver import driver_errors
from app.db.errors import LegacyRowsRemainError, RejectedValueError

revision = "0003_us16_contract"
down_revision = "0002_us16_expand"
branch_labels: str | None = None
depends_on: str | None = None

# The week rule itself is the functions 0002_us16_expand created (app/db/week_functions.py).
CHECKS = {
    "ck_entries_week_start_monday": "week_start = iso_week_start(week_start)",
    "ck_entries_entry_date_in_week": "entry_date BETWEEN week_start AND week_start + 6",
    "ck_entries_iso_year_matches": "iso_year = iso_week_year(entry_date)",
    "ck_entries_iso_week_matches": "iso_week = iso_week_number(entry_date)",
}
# Stand-ins for NOT NULL while it is being proved; dropped once the columns are NOT NULL.
NOT_NULL_CHECKS = {
    "ck_entries_iso_year_not_null": "iso_year IS NOT NULL",
    "ck_entries_iso_week_not_null": "iso_week IS NOT NULL",
}
# Rows this revision's constraints would reject: those the data migration still owes.
# A CHECK passes on NULL, so a NULL verdict counts as a pass too (the NOT NULL stand-ins
# catch the NULL ISO columns).
LEGACY_ROWS = sa.text(
    "SELECT count(*) FROM entries WHERE NOT coalesce("  # noqa: S608 - constants only  # nosec B608
    + " AND ".join(f"({condition})" for condition in {**CHECKS, **NOT_NULL_CHECKS}.values())
    + ", true)"
)


def upgrade() -> None:
    """Refuse while legacy rows remain; else enforce the ISO columns and checks."""
    count = op.get_bind().execute(LEGACY_ROWS).scalar_one()
    if count:
        raise LegacyRowsRemainError(count)
    constraints = {**CHECKS, **NOT_NULL_CHECKS}
    # ADD ... NOT VALID only touches the catalog: the ACCESS EXCLUSIVE lock it takes
    # lasts milliseconds, and from its commit on every new write is checked.
    for name, condition in constraints.items():
        op.execute(f"ALTER TABLE entries DROP CONSTRAINT IF EXISTS {name}")
        op.execute(f"ALTER TABLE entries ADD CONSTRAINT {name} CHECK ({condition}) NOT VALID")
    # VALIDATE scans the table under SHARE UPDATE EXCLUSIVE, which lets reads and
    # writes go on; it must run after the commit of the ADD, or the ADD's lock
    # would still be held during the scan.
    with op.get_context().autocommit_block():
        try:
            with driver_errors():
                for name in constraints:
                    op.execute(f"ALTER TABLE entries VALIDATE CONSTRAINT {name}")
        except RejectedValueError:
            # An old writer slipped a legacy row in after the count: undo and refuse.
            for name in constraints:
                op.execute(f"ALTER TABLE entries DROP CONSTRAINT IF EXISTS {name}")
            raise LegacyRowsRemainError(op.get_bind().execute(LEGACY_ROWS).scalar_one()) from None
    # With a valid `IS NOT NULL` check, SET NOT NULL skips its full-table scan.
    op.alter_column("entries", "iso_year", nullable=False)
    op.alter_column("entries", "iso_week", nullable=False)
    for name in NOT_NULL_CHECKS:
        op.drop_constraint(name, "entries", type_="check")


def downgrade() -> None:
    """Drop the US1.6 checks and make the ISO columns nullable again (data kept)."""
    for name in CHECKS:
        op.drop_constraint(name, "entries", type_="check")
    op.alter_column("entries", "iso_week", nullable=True)
    op.alter_column("entries", "iso_year", nullable=True)
