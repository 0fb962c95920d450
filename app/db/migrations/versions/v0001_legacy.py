"""The pre-US1.6 table: weeks start on Sunday (`week_start` is that Sunday).

Revision ID: 0001_legacy
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_legacy"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create `entries` as the legacy service had it (no ISO columns, no Monday check)."""
    op.create_table(
        "entries",
        sa.Column("id", sa.BigInteger, sa.Identity(always=False), nullable=False),
        sa.Column("entry_date", sa.Date, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("minutes", sa.Integer, nullable=False),
        sa.Column("week_start", sa.Date, nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.PrimaryKeyConstraint("id", name="pk_entries"),
        sa.CheckConstraint("char_length(title) BETWEEN 1 AND 200", name="ck_entries_title_length"),
        sa.CheckConstraint("minutes BETWEEN 0 AND 1440", name="ck_entries_minutes_range"),
    )
    op.create_index("ix_entries_entry_date", "entries", ["entry_date"])


def downgrade() -> None:
    """Drop `entries`."""
    op.drop_index("ix_entries_entry_date", table_name="entries")
    op.drop_table("entries")
