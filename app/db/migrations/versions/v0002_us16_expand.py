"""US1.6 expand: nullable ISO columns, so old and new code both run against it.

Revision ID: 0002_us16_expand
Revises: 0001_legacy
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_us16_expand"
down_revision = "0001_legacy"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add nullable `iso_year` and `iso_week`."""
    # Nullable columns without a default only touch the catalog: instant, no rewrite.
    op.add_column("entries", sa.Column("iso_year", sa.SmallInteger, nullable=True))
    op.add_column("entries", sa.Column("iso_week", sa.SmallInteger, nullable=True))


def downgrade() -> None:
    """Drop the ISO columns (the rows stay)."""
    op.drop_column("entries", "iso_week")
    op.drop_column("entries", "iso_year")
