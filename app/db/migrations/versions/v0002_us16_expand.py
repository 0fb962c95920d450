"""US1.6 expand: nullable ISO columns, so old and new code both run against it.

Also creates the ISO-week SQL functions (app/db/week_functions.py) that the US1.6
service's writes, the data migration and 0003's CHECK constraints call.

Revision ID: 0002_us16_expand
Revises: 0001_legacy
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.db.week_functions import FUNCTIONS

revision = "0002_us16_expand"
down_revision = "0001_legacy"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add nullable `iso_year` and `iso_week`, and the ISO-week functions."""
    # Nullable columns without a default only touch the catalog: instant, no rewrite.
    op.add_column("entries", sa.Column("iso_year", sa.SmallInteger, nullable=True))
    op.add_column("entries", sa.Column("iso_week", sa.SmallInteger, nullable=True))
    # The rule's one SQL definition is imported, not copied: changing it later takes a
    # new revision that replaces the functions (CREATE OR REPLACE), never an edit here.
    for function in FUNCTIONS:
        op.execute(function.create)


def downgrade() -> None:
    """Drop the ISO-week functions and the ISO columns (the rows stay)."""
    for function in reversed(FUNCTIONS):
        op.execute(function.drop)
    op.drop_column("entries", "iso_week")
    op.drop_column("entries", "iso_year")
